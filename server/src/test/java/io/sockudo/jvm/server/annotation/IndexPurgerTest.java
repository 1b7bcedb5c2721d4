package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retention of the index ({@link Annotations#purgeBefore}): what it frees, and that summaries and lists then equal
 * those of an engine restored from the surviving records only (spec 3.2 {@code purge_before}, 3.4).
 */
@Timeout(60)
class IndexPurgerTest
{
    private static final String FLAG = "reactions:flag.v1";
    private static final String UNIQUE = "reactions:unique.v1";
    private static final String TOTAL = "reactions:total.v1";
    private static final String[] TYPES = {
        "p:total.v1", "p:flag.v1", "p:distinct.v1", "p:unique.v1", "p:multiple.v1"};
    private static final Summarizer[] KINDS = Summarizer.values();
    private static final String[] CHANNELS = {"chat", "news"};
    private static final String[] MESSAGES = {"msg:1", "msg:2", "msg:3"};
    private static final String[] NAMES = {"like", "laugh", "\u00E9t\u00E9", "\uD83D\uDE00"};
    private static final String[] CLIENTS = {"c1", "c2", "c3", "C", "\uFF21", "\uD83D\uDE01"};

    private final Fixture f = new Fixture();

    private String publishOn(final String message, final String type, final String name, final String clientId)
    {
        final StringBuilder body = new StringBuilder("{\"type\":\"").append(type).append('"');
        if (name != null)
        {
            body.append(",\"name\":\"").append(name).append('"');
        }
        if (clientId != null)
        {
            body.append(",\"clientId\":\"").append(clientId).append('"');
        }
        final Reply reply = f.annotations.publish(f.request(message, body.append('}').toString(), Map.of()));
        assertEquals(200, reply.status(), reply.body());
        return Fixture.serialOf(reply);
    }

    /** Deletes what retention deleted: the journal records below an index. */
    private static void dropBefore(final InMemoryJournal journal, final int firstRetained)
    {
        for (int i = 0; i < firstRetained; i++)
        {
            journal.drop(i);
        }
    }

    @Test
    void shouldShrinkTheIndexAndTheInternersWhenRecordsAreGone()
    {
        for (int i = 0; i < 1_500; i++)
        {
            publishOn(i % 2 == 0 ? "msg:1" : "msg:2", FLAG, null, "client-" + i);
        }
        publishOn("msg:3", FLAG, null, "keep-1");
        publishOn("msg:3", FLAG, null, "keep-2");
        assertTrue(f.summary(FLAG).startsWith("{\"total\":750,"));
        final ProjectionEngine engine = f.annotations.engine();
        final ChannelIndex channel = engine.channel(Fixture.APP, Fixture.CHANNEL, false);
        assertEquals(1_502, f.annotations.indexedEvents());
        assertEquals(1_502, engine.internedSerials());
        assertEquals(3, channel.messageSerials.size());
        assertTrue(engine.strings.size() >= 750);
        final int poolBefore = engine.strings.poolBytes();

        dropBefore(f.journal, 1_500);
        assertEquals(1_500, f.annotations.purgeBefore(1_500));

        assertEquals(2, f.annotations.indexedEvents());
        assertEquals(2, engine.internedSerials(), "serials compacted");
        assertEquals(1, channel.messageSerials.size(), "messages without events dropped");
        assertTrue(channel.flags.length < 64, "slot arrays shrunk: " + channel.flags.length);
        assertTrue(engine.strings.size() <= 2, "unreferenced client ids reclaimed: " + engine.strings.size());
        assertTrue(engine.strings.poolBytes() < poolBefore / 100);
        assertNull(f.summary(FLAG), "no event left: no projection");
        assertEquals("{\"total\":2,\"clientIds\":[\"keep-1\",\"keep-2\"],\"clipped\":false}",
            f.annotations.summary(Fixture.APP, Fixture.CHANNEL, "msg:3", FLAG));
        assertEquals(0, f.annotations.purgeBefore(1_500), "idempotent");
    }

    @Test
    void shouldDropChannelsLeftWithoutEvents()
    {
        f.publishOk(TOTAL, null, null);
        f.annotations.publish(new Request(Fixture.APP, "other", Fixture.MSG,
            "{\"type\":\"reactions:total.v1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of(), true,
            s -> true, s -> null));
        f.summary(TOTAL);
        assertEquals(2, f.annotations.engine().channelCount());
        dropBefore(f.journal, 1);
        assertEquals(1, f.annotations.purgeBefore(1));
        assertEquals(1, f.annotations.engine().channelCount());
        assertEquals(1, f.annotations.residentProjections(), "only the other channel's");
        assertNull(f.summary(TOTAL));
        assertEquals(List.of(), f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL));
        assertEquals(1, f.annotations.snapshot(Fixture.APP, "other").size());
    }

    @Test
    void shouldPurgeNothingBelowEveryIndex()
    {
        f.publishOk(TOTAL, null, null);
        assertEquals(0, f.annotations.purgeBefore(-1));
        assertEquals(0, f.annotations.purgeBefore(0));
        assertEquals("{\"total\":1}", f.summary(TOTAL));
    }

    @Test
    void shouldSkipPurgedEventsInListsAndNotFindThemForDelete()
    {
        final String first = f.publishOk(TOTAL, null, null);
        final String second = f.publishOk(TOTAL, null, null);
        final String third = f.publishOk(TOTAL, null, null);
        dropBefore(f.journal, 1);
        f.annotations.purgeBefore(1);
        final String body = f.list(Map.of()).body();
        assertTrue(!body.contains(first) && body.contains(second) && body.contains(third), body);
        final String page = f.list(Map.of("limit", "1")).body();
        assertTrue(page.contains("\"hasMore\":true,\"nextCursor\":\"" + second + "\""), page);
        assertTrue(f.list(Map.of("from_serial", first)).body().contains(second));
        assertEquals(404, f.delete(first).status());
        assertEquals(200, f.delete(second).status());
        assertEquals("{\"total\":1}", f.summary(TOTAL));
    }

    @Test
    void shouldCountOnlySurvivingEventsWhenACreateIsPurgedBeforeItsDelete()
    {
        final String a = f.publishOk(TOTAL, null, null);
        f.publishOk(TOTAL, null, null);
        f.delete(a);
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        dropBefore(f.journal, 1);
        f.annotations.purgeBefore(1);
        // a rebuild of the surviving log: one create, then a delete whose create is gone (spec 3.4)
        assertEquals("{\"total\":0}", f.summary(TOTAL));
        assertEquals(restored().summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TOTAL), f.summary(TOTAL));
    }

    @Test
    void shouldPromoteTheNextDeleteWhenTheFirstDeleteIsPurged()
    {
        final long[] index = new long[4];
        // log order differs from serial order, as with events from another node
        index[0] = restore(Fixture.record(true, "id-ann:1", "ann:2", TOTAL, "ann:1", null, null, null), "ann:2");
        index[1] = restore(Fixture.record(false, "id-ann:1", "ann:1", TOTAL, null, null, null, null), "ann:1");
        index[2] = restore(Fixture.record(true, "id-ann:1", "ann:3", TOTAL, "ann:1", null, null, null), "ann:3");
        index[3] = restore(Fixture.record(false, "id-ann:0", "ann:0", TOTAL, null, null, null, null), "ann:0");
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        final ChannelIndex channel = f.annotations.engine().channel(Fixture.APP, Fixture.CHANNEL, false);
        dropBefore(f.journal, 1);
        f.annotations.purgeBefore(index[1]);
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        final int target = channel.serials.find("ann:1");
        assertEquals(channel.serials.find("ann:3"), channel.firstDelete[target]);
        assertEquals(200, f.delete("ann:1").status(), "still deleted: idempotent");
        assertEquals(4, f.journal.entries.size(), "no new event");
    }

    private long restore(final byte[] payload, final String serial)
    {
        final long index = f.journal.append(Fixture.APP, Fixture.CHANNEL, serial, 1L, payload);
        f.annotations.restore(Fixture.APP, Fixture.CHANNEL, serial, 1L, payload, index);
        return index;
    }

    private Annotations restored()
    {
        final Annotations fresh = new Annotations(true, 65_536, f.journal, () -> "unused", () -> 0L, 100, 16);
        f.journal.restoreInto(fresh);
        return fresh;
    }

    @Test
    void shouldKeepUnaffectedProjectionsResidentThroughACompaction()
    {
        for (int i = 0; i < 100; i++)
        {
            publishOn("msg:1", FLAG, null, "old-" + i);
        }
        publishOn("msg:2", UNIQUE, "like", "client-1");
        publishOn("msg:2", UNIQUE, "like", "client-2");
        final String laugh = publishOn("msg:2", UNIQUE, "laugh", "client-1");
        final String expected = "{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}," +
            "\"like\":{\"total\":1,\"clientIds\":[\"client-2\"],\"clipped\":false}}";
        assertEquals(expected, f.annotations.summary(Fixture.APP, Fixture.CHANNEL, "msg:2", UNIQUE));
        final long rebuilds = f.annotations.rebuildCount();

        dropBefore(f.journal, 100);
        assertEquals(100, f.annotations.purger().purgeBefore(100, 0));
        assertEquals(1, f.annotations.purger().compactedChannels);
        assertEquals(3, f.annotations.engine().internedSerials());
        assertEquals(4, f.annotations.engine().strings.size(), "names and clients of the resident projection");
        assertEquals(1, f.annotations.residentProjections());
        assertEquals(expected, f.annotations.summary(Fixture.APP, Fixture.CHANNEL, "msg:2", UNIQUE));
        assertEquals(rebuilds, f.annotations.rebuildCount(), "state kept, ids and tokens renamed");

        // deleting client-1's active annotation matches its token, which survived the remap
        assertEquals(200, f.annotations.delete(f.request("msg:2", null, Map.of()), laugh).status());
        publishOn("msg:2", UNIQUE, "wow", "client-3");
        final String after = f.annotations.summary(Fixture.APP, Fixture.CHANNEL, "msg:2", UNIQUE);
        assertEquals(rebuilds, f.annotations.rebuildCount(), "applied incrementally");
        assertEquals("{\"like\":{\"total\":1,\"clientIds\":[\"client-2\"],\"clipped\":false}," +
            "\"wow\":{\"total\":1,\"clientIds\":[\"client-3\"],\"clipped\":false}}", after);
        assertEquals(restored().summary(Fixture.APP, Fixture.CHANNEL, "msg:2", UNIQUE), after);
    }

    @Test
    void shouldEqualAnEngineRestoredFromTheSurvivingRecords()
    {
        final Random random = new Random(20_260_405L);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            final InMemoryJournal journal = new InMemoryJournal();
            final Annotations purged = new Annotations(true, 0, journal, () -> "unused", () -> 0L, 100,
                1 + random.nextInt(6));
            final List<Generated> creates = new ArrayList<>();
            int serial = 0;
            serial = append(random, journal, purged, creates, serial, 1 + random.nextInt(60));
            int cut = random.nextInt(journal.entries.size() + 1);
            purgeAndCompare(random, journal, purged, cut, iteration);
            // new events after the purge, some deleting purged creates, then a second purge
            serial = append(random, journal, purged, creates, serial, random.nextInt(20));
            cut += random.nextInt(journal.entries.size() - cut + 1);
            purgeAndCompare(random, journal, purged, cut, iteration);
            append(random, journal, purged, creates, serial, random.nextInt(10));
            compare(journal, purged, iteration);
        }
    }

    /** A create as generated: where it is and what it carries, so that a delete can copy it. */
    private record Generated(String channel, String message, ReferenceModel.Event event)
    {
    }

    private static int append(final Random random, final InMemoryJournal journal, final Annotations engine,
        final List<Generated> creates, final int firstSerial, final int n)
    {
        // serials mostly ascend with the log, sometimes not (another node's clock)
        int serial = firstSerial;
        for (int i = 0; i < n; i++)
        {
            serial++;
            final int s = random.nextInt(8) == 0 ? Math.max(0, serial - random.nextInt(5)) * 10 + 5 : serial * 10;
            final String text = String.format("s%06d", s) + "-" + serial;
            final Generated g;
            if (!creates.isEmpty() && random.nextInt(3) == 0)
            {
                final Generated target = creates.get(random.nextInt(creates.size()));
                final ReferenceModel.Event t = target.event();
                g = new Generated(target.channel(), target.message(), new ReferenceModel.Event(true, text, t.type(),
                    t.serial(), t.name(), t.clientId(), t.count()));
            }
            else
            {
                final int type = random.nextInt(TYPES.length);
                final Summarizer kind = KINDS[type];
                final String name = kind.needsName() || random.nextBoolean() ?
                    NAMES[random.nextInt(NAMES.length)] : null;
                final String client = !kind.needsClient() && random.nextInt(4) == 0 ? null :
                    CLIENTS[random.nextInt(CLIENTS.length)];
                g = new Generated(CHANNELS[random.nextInt(CHANNELS.length)],
                    MESSAGES[random.nextInt(MESSAGES.length)],
                    new ReferenceModel.Event(false, text, TYPES[type], null, name, client, 1 + random.nextInt(3)));
                creates.add(g);
            }
            final byte[] payload = g.event().payload(g.message());
            final long index = journal.append(Fixture.APP, g.channel(), text, 1L, payload);
            engine.restore(Fixture.APP, g.channel(), text, 1L, payload, index);
            if (random.nextInt(3) == 0)
            {
                engine.summary(Fixture.APP, g.channel(), g.message(), g.event().type());
            }
        }
        return serial;
    }

    private static void purgeAndCompare(final Random random, final InMemoryJournal journal, final Annotations engine,
        final int cut, final int iteration)
    {
        dropBefore(journal, cut);
        int survivors = 0;
        for (final InMemoryJournal.Entry e : journal.entries)
        {
            survivors += e == null ? 0 : 1;
        }
        final long before = engine.indexedEvents();
        final int purged = engine.purger().purgeBefore(cut, random.nextBoolean() ? 0 : 1_024);
        assertEquals(before - purged, engine.indexedEvents());
        assertEquals(survivors, engine.indexedEvents(), "iteration " + iteration);
        compare(journal, engine, iteration);
    }

    private static void compare(final InMemoryJournal journal, final Annotations engine, final int iteration)
    {
        final Annotations fresh = new Annotations(true, 0, journal, () -> "unused", () -> 0L, 100, 1_000);
        journal.restoreInto(fresh);
        assertEquals(fresh.indexedEvents(), engine.indexedEvents());
        assertEquals(fresh.engine().channelCount(), engine.engine().channelCount(), "iteration " + iteration);
        for (final String channel : CHANNELS)
        {
            final String where = "iteration " + iteration + " channel " + channel;
            assertEquals(fresh.snapshot(Fixture.APP, channel), engine.snapshot(Fixture.APP, channel), where);
            for (final String message : MESSAGES)
            {
                for (final String type : TYPES)
                {
                    assertEquals(fresh.summary(Fixture.APP, channel, message, type),
                        engine.summary(Fixture.APP, channel, message, type), where + " " + message + " " + type);
                }
                final Request list = new Request(Fixture.APP, channel, message, null, Map.of(), true, s -> true,
                    s -> null);
                assertEquals(fresh.list(list).body(), engine.list(list).body(), where + " " + message);
            }
        }
        fresh.evictAll();
    }
}
