package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The five summarizers (spec 2, tests 9.A1 to A7, 9.B5 to B9, 9.B11, 9.B12, 9.C1 to C5).
 */
@Timeout(10)
class SummaryStateTest
{
    private static final int NONE = SummaryState.NONE;
    private SummaryState state;
    private int token;

    @AfterEach
    void close()
    {
        if (state != null)
        {
            state.close();
        }
    }

    private SummaryState of(final Summarizer kind)
    {
        state = SummaryState.standalone(kind);
        return state;
    }

    private int id(final String value)
    {
        return value == null ? NONE : state.intern(value);
    }

    private int create(final String name, final String client)
    {
        state.applyCreate(id(name), id(client), 1, ++token);
        return token;
    }

    private void create(final String name, final String client, final long count)
    {
        state.applyCreate(id(name), id(client), count, ++token);
    }

    private void delete(final String name, final String client, final int target)
    {
        state.applyDelete(id(name), id(client), target);
    }

    private String clipped(final int limit)
    {
        final StringBuilder sb = new StringBuilder();
        state.render(sb, limit);
        return sb.toString();
    }

    @Test
    void shouldCountCreatesAndDeletesForTotal()
    {
        of(Summarizer.TOTAL);
        create(null, "client-1");
        create(null, "client-1");
        delete(null, "client-1", 3);
        assertEquals("{\"total\":1}", state.toJson());
    }

    @Test
    void shouldCountUnidentifiedAndRepeatedClientEventsForTotal()
    {
        of(Summarizer.TOTAL);
        final int anon = create(null, null);
        create(null, "client-1");
        create(null, "client-1");
        delete(null, null, anon);
        assertEquals("{\"total\":2}", state.toJson());
    }

    @Test
    void shouldIgnoreCountAndFloorAtZeroForTotal()
    {
        of(Summarizer.TOTAL);
        create(null, null, 5);
        delete(null, null, 1);
        delete(null, null, 1);
        assertEquals("{\"total\":0}", state.toJson());
    }

    @Test
    void shouldCountEachIdentifiedClientOnceForFlag()
    {
        of(Summarizer.FLAG);
        final int c1 = create(null, "client-1");
        create(null, "client-1");
        create(null, "client-2");
        assertEquals("{\"total\":2,\"clientIds\":[\"client-1\",\"client-2\"],\"clipped\":false}", state.toJson());
        delete(null, "client-1", c1);
        assertEquals("{\"total\":1,\"clientIds\":[\"client-2\"],\"clipped\":false}", state.toJson());
    }

    @Test
    void shouldRenderEmptyFlag()
    {
        of(Summarizer.FLAG);
        delete(null, "never", 9);
        assertEquals("{\"total\":0,\"clientIds\":[],\"clipped\":false}", state.toJson());
    }

    @Test
    void shouldTrackPerNameBucketsAndNamedDeletesForDistinct()
    {
        of(Summarizer.DISTINCT);
        final int likeC1 = create("like", "client-1");
        create("laugh", "client-1");
        create("like", "client-2");
        delete("like", "client-1", likeC1);
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}," +
            "\"like\":{\"total\":1,\"clientIds\":[\"client-2\"],\"clipped\":false}}", state.toJson());
    }

    @Test
    void shouldAllowOneClientInManyNamesAndDropEmptyBucketsForDistinct()
    {
        of(Summarizer.DISTINCT);
        final int like = create("like", "client-1");
        create("laugh", "client-1");
        create("like", "client-1");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}," +
            "\"like\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", state.toJson());
        delete("like", "client-1", like);
        delete("laugh", "client-1", 2);
        assertEquals("{}", state.toJson());
    }

    @Test
    void shouldMoveClientBetweenNamesForUnique()
    {
        of(Summarizer.UNIQUE);
        create("like", "client-1");
        create("laugh", "client-1");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", state.toJson());
    }

    @Test
    void shouldIgnoreDeleteOfReplacedAnnotationForUnique()
    {
        of(Summarizer.UNIQUE);
        final int like = create("like", "client-1");
        final int laugh = create("laugh", "client-1");
        delete("like", "client-1", like);
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", state.toJson());
        delete("laugh", "client-1", laugh);
        assertEquals("{}", state.toJson());
    }

    @Test
    void shouldTreatRecreatingTheSameNameAsReplacementForUnique()
    {
        of(Summarizer.UNIQUE);
        final int first = create("like", "client-1");
        final int second = create("like", "client-1");
        delete("like", "client-1", first);
        assertEquals("{\"like\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", state.toJson());
        delete("like", "client-1", second);
        assertEquals("{}", state.toJson());
    }

    @Test
    void shouldTrackCountsUnidentifiedAndDeleteByClientForMultiple()
    {
        of(Summarizer.MULTIPLE);
        create("spam", "client-1", 2);
        create("spam", "client-2", 3);
        create("spam", null, 4);
        delete("spam", "client-1", 1);
        assertEquals("{\"spam\":{\"total\":7,\"clientCounts\":{\"client-2\":3},\"totalUnidentified\":4," +
            "\"clipped\":false,\"totalClientIds\":1}}", state.toJson());
    }

    @Test
    void shouldRemoveWholeClientContributionAndKeepBucketForMultiple()
    {
        of(Summarizer.MULTIPLE);
        create("vote", "client-1", 2);
        create("vote", "client-1", 3);
        final int anon = token + 1;
        create("vote", null, 4);
        delete("vote", "client-1", 1);
        delete("vote", null, anon);
        assertEquals("{\"vote\":{\"total\":4,\"clientCounts\":{},\"totalUnidentified\":4,\"clipped\":false," +
            "\"totalClientIds\":0}}", state.toJson());
    }

    @Test
    void shouldCreateBucketOnDeleteForMultiple()
    {
        of(Summarizer.MULTIPLE);
        delete("vote", "client-1", 1);
        assertEquals("{\"vote\":{\"total\":0,\"clientCounts\":{},\"totalUnidentified\":0,\"clipped\":false," +
            "\"totalClientIds\":0}}", state.toJson());
    }

    @Test
    void shouldTrackIdentifiedAndUnidentifiedCountsForMultiple()
    {
        of(Summarizer.MULTIPLE);
        create("vote", "client-1", 2);
        create("vote", null, 4);
        assertEquals("{\"vote\":{\"total\":6,\"clientCounts\":{\"client-1\":2},\"totalUnidentified\":4," +
            "\"clipped\":false,\"totalClientIds\":1}}", state.toJson());
    }

    @Test
    void shouldSaturateCountsForMultiple()
    {
        of(Summarizer.MULTIPLE);
        create("vote", "client-1", -1L);
        create("vote", "client-1", 5);
        create("vote", null, -2L);
        create("vote", null, 7);
        assertEquals("{\"vote\":{\"total\":18446744073709551615,\"clientCounts\":{\"client-1\":18446744073709551615}," +
            "\"totalUnidentified\":18446744073709551615,\"clipped\":false,\"totalClientIds\":1}}", state.toJson());
    }

    @Test
    void shouldOrderClientIdsByCodePoint()
    {
        of(Summarizer.FLAG);
        create(null, "\uFF21");
        create(null, "\uD83D\uDE00");
        create(null, "b");
        create(null, "a");
        // U+1F600 sorts after U+FF21 by code point, although its UTF-16 units sort before
        assertEquals("{\"total\":4,\"clientIds\":[\"a\",\"b\",\"\uFF21\",\"\uD83D\uDE00\"],\"clipped\":false}",
            state.toJson());
    }

    @Test
    void shouldClipClientIdsOnlyWhenOverLimit()
    {
        of(Summarizer.FLAG);
        create(null, "client-1");
        create(null, "client-2");
        assertEquals("{\"total\":2,\"clientIds\":[\"client-1\",\"client-2\"],\"clipped\":false}", clipped(2));
        create(null, "client-3");
        assertEquals("{\"total\":3,\"clientIds\":[\"client-1\",\"client-2\"],\"clipped\":true}", clipped(2));
        assertEquals(3, state.clippedContributors());
    }

    @Test
    void shouldClipFlagAtConfiguredLimit()
    {
        of(Summarizer.FLAG);
        for (int i = 5; i >= 1; i--)
        {
            create(null, "client-" + i);
        }
        assertEquals("{\"total\":5,\"clientIds\":[\"client-1\",\"client-2\",\"client-3\"],\"clipped\":true}",
            clipped(3));
    }

    @Test
    void shouldClipClientCountsAndPreserveTotalClientIdsForMultiple()
    {
        of(Summarizer.MULTIPLE);
        for (int i = 1; i <= 5; i++)
        {
            create("spam", "client-" + i, 1);
        }
        final StringBuilder sb = new StringBuilder();
        assertTrue(state.render(sb, 3));
        assertEquals("{\"spam\":{\"total\":5,\"clientCounts\":{\"client-1\":1,\"client-2\":1,\"client-3\":1}," +
            "\"totalUnidentified\":0,\"clipped\":true,\"totalClientIds\":5}}", sb.toString());
    }

    @Test
    void shouldClipEachBucketIndependently()
    {
        of(Summarizer.DISTINCT);
        create("a", "c1");
        create("a", "c2");
        create("b", "c1");
        final StringBuilder sb = new StringBuilder();
        assertTrue(state.render(sb, 1));
        assertEquals("{\"a\":{\"total\":2,\"clientIds\":[\"c1\"],\"clipped\":true}," +
            "\"b\":{\"total\":1,\"clientIds\":[\"c1\"],\"clipped\":false}}", sb.toString());
        assertEquals(2, state.clippedContributors());
        sb.setLength(0);
        assertFalse(state.render(sb, 2));
    }

    @Test
    void shouldKeepManyRecordsSortedThroughGrowth()
    {
        of(Summarizer.DISTINCT);
        final java.util.TreeSet<String> expected = new java.util.TreeSet<>();
        final java.util.Random random = new java.util.Random(7);
        final String[] clients = new String[500];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = "c" + i;
        }
        // enough operations for the JIT to compile the overlapping moves
        for (int i = 0; i < 300_000; i++)
        {
            final String client = clients[random.nextInt(clients.length)];
            if (random.nextInt(3) == 0)
            {
                delete("n", client, NONE);
                expected.remove(client);
            }
            else
            {
                create("n", client);
                expected.add(client);
            }
        }
        final StringBuilder sb = new StringBuilder("{");
        if (!expected.isEmpty())
        {
            sb.append("\"n\":{\"total\":").append(expected.size()).append(",\"clientIds\":[");
            sb.append(String.join(",", expected.stream().map(c -> "\"" + c + "\"").toList()));
            sb.append("],\"clipped\":false}");
        }
        assertEquals(sb.append('}').toString(), state.toJson());
    }
}
