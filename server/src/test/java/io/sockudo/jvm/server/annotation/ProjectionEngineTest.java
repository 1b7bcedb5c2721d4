package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Store and projection behaviour (tests 9.A11 to A14, 9.B10, B13 to B21): dedup, serial order, stale and cold
 * rebuilds, snapshots, restart and eviction.
 */
@Timeout(20)
class ProjectionEngineTest
{
    private static final String UNIQUE = "reactions:unique.v1";
    private static final String DISTINCT = "reactions:distinct.v1";
    private static final String TOTAL = "reactions:total.v1";

    private final Fixture f = new Fixture();

    private void restore(final Fixture target, final byte[] payload, final String serial)
    {
        final long index = target.journal.append(Fixture.APP, Fixture.CHANNEL, serial, 1L, payload);
        target.annotations.restore(Fixture.APP, Fixture.CHANNEL, serial, 1L, payload, index);
    }

    private void restoreCreate(final String serial, final String type, final String name, final String client)
    {
        restore(f, Fixture.record(false, "id-" + serial, serial, type, null, name, client, null), serial);
    }

    @Test
    void shouldSortBySerialAndIgnoreDuplicateSerials()
    {
        restoreCreate("ann:2", UNIQUE, "laugh", "client-1");
        restore(f, Fixture.record(false, "other-id", "ann:2", UNIQUE, null, "sad", "client-1", null), "ann:2");
        restoreCreate("ann:1", UNIQUE, "like", "client-1");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", f.summary(UNIQUE));
        assertEquals(2, f.annotations.rebuild(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, UNIQUE));
    }

    @Test
    void shouldMaterialiseProjectionOnAppend()
    {
        restoreCreate("ann:1", "reactions:flag.v1", null, "client-1");
        restoreCreate("ann:2", "reactions:flag.v1", null, "client-2");
        assertEquals("{\"total\":2,\"clientIds\":[\"client-1\",\"client-2\"],\"clipped\":false}",
            f.summary("reactions:flag.v1"));
    }

    @Test
    void shouldDeduplicateBySerial()
    {
        final byte[] payload = Fixture.record(false, "id-1", "ann:1", TOTAL, null, null, null, null);
        restore(f, payload, "ann:1");
        restore(f, payload, "ann:1");
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        assertEquals(1, f.list(Map.of()).body().split("\"action\"").length - 1);
    }

    @Test
    void shouldRepairStaleProjectionWhenAnEventArrivesBelowTheWatermark()
    {
        restoreCreate("ann:1", TOTAL, null, null);
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        final long rebuilds = f.annotations.rebuildCount();
        restoreCreate("ann:2", TOTAL, null, null);
        assertEquals("{\"total\":2}", f.summary(TOTAL));
        assertEquals(rebuilds, f.annotations.rebuildCount(), "above the watermark: applied incrementally");
        restoreCreate("ann:0", TOTAL, null, null);
        assertEquals("{\"total\":3}", f.summary(TOTAL));
        assertEquals(rebuilds + 1, f.annotations.rebuildCount(), "below the watermark: rebuilt");
    }

    @Test
    void shouldConvergeAfterOutOfOrderUniqueEvents()
    {
        restoreCreate("ann:2", UNIQUE, "laugh", "client-1");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", f.summary(UNIQUE));
        restoreCreate("ann:1", UNIQUE, "like", "client-1");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}", f.summary(UNIQUE));
    }

    @Test
    void shouldApplyOnlyTheFirstDeleteOfAnAnnotation()
    {
        restoreCreate("ann:1", TOTAL, null, null);
        restoreCreate("ann:2", TOTAL, null, null);
        restore(f, Fixture.record(true, "id-ann:1", "ann:4", TOTAL, "ann:1", null, null, null), "ann:4");
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        // a concurrent delete of the same annotation from another node, with a lower serial
        restore(f, Fixture.record(true, "id-ann:1", "ann:3", TOTAL, "ann:1", null, null, null), "ann:3");
        assertEquals("{\"total\":1}", f.summary(TOTAL));
    }

    @Test
    void shouldRebuildColdProjectionsForSnapshotAndMeterThem()
    {
        restoreCreate("ann:1", DISTINCT, "like", "client-1");
        final List<String> frames = f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL);
        assertEquals(List.of("{\"event\":\"sockudo_internal:message\",\"channel\":\"chat\",\"data\":" +
            "{\"action\":\"message.summary\",\"serial\":\"msg:1\",\"annotations\":{\"summary\":" +
            "{\"reactions:distinct.v1\":{\"like\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}}}}}," +
            "\"extras\":{\"ephemeral\":true}}"), frames);
        final String metrics = f.annotations.metricsText("sockudo_");
        assertTrue(metrics.contains("sockudo_annotation_projection_rebuild_total{channel=\"chat\"} 1\n"), metrics);
        assertTrue(metrics.contains(
            "sockudo_annotation_projection_rebuild_duration_seconds_count{channel=\"chat\"} 1\n"), metrics);
        assertTrue(metrics.contains("sockudo_annotation_summary_deliveries_total{channel=\"chat\"} 1\n"), metrics);
        f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL);
        assertTrue(f.annotations.metricsText("sockudo_")
            .contains("sockudo_annotation_projection_rebuild_total{channel=\"chat\"} 1\n"), "warm: no rebuild");
    }

    @Test
    void shouldSnapshotEveryProjectionInMessageThenTypeOrder()
    {
        f.annotations.publish(f.request("msg:2", "{\"type\":\"b:total.v1\"}", Map.of()));
        f.publishOk("b:total.v1", null, null);
        f.publishOk(DISTINCT, "like", "client-1");
        f.publishOk(DISTINCT, "like", "client-2");
        f.delete(f.publishOk("a:total.v1", null, null));
        final List<String> frames = f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL);
        assertEquals(4, frames.size());
        assertTrue(frames.get(0).contains("\"serial\":\"msg:1\",\"annotations\":{\"summary\":{\"a:total.v1\":" +
            "{\"total\":0}}"));
        assertTrue(frames.get(1).contains("\"serial\":\"msg:1\",\"annotations\":{\"summary\":{\"b:total.v1\":"));
        assertTrue(frames.get(2).contains("{\"reactions:distinct.v1\":{\"like\":{\"total\":2,"));
        assertTrue(frames.get(3).contains("\"serial\":\"msg:2\""));
        assertEquals(List.of(), f.annotations.snapshot(Fixture.APP, "other"));
        assertEquals(List.of(), f.annotations.snapshot("other-app", Fixture.CHANNEL));
    }

    @Test
    void shouldConvergeAcrossTwoNodesSharingTheLog()
    {
        final InMemoryJournal shared = new InMemoryJournal();
        final Fixture a = new Fixture(true, 65_536, 16, shared, "node-a");
        final Fixture b = new Fixture(true, 65_536, 16, shared, "node-b");
        final String sa = a.publishOk(DISTINCT, "like", "client-a");
        final String sb = b.publishOk(DISTINCT, "like", "client-b");
        assertNotEquals(sa, sb);
        replicate(shared, 0, b);
        replicate(shared, 1, a);
        final String expected = "{\"like\":{\"total\":2,\"clientIds\":[\"client-a\",\"client-b\"],\"clipped\":false}}";
        assertEquals(expected, a.summary(DISTINCT));
        assertEquals(expected, b.summary(DISTINCT));

        replicate(shared, 0, b);
        assertEquals(expected, b.summary(DISTINCT), "replaying an existing event changes nothing");
        assertEquals(200, b.delete(sa).status());
        replicate(shared, 2, a);
        final String after = "{\"like\":{\"total\":1,\"clientIds\":[\"client-b\"],\"clipped\":false}}";
        assertEquals(after, a.summary(DISTINCT));
        assertEquals(after, b.summary(DISTINCT));
    }

    private static void replicate(final InMemoryJournal journal, final int index, final Fixture to)
    {
        final InMemoryJournal.Entry e = journal.entries.get(index);
        to.annotations.restore(e.app(), e.channel(), e.serial(), e.timestampMs(), e.payload(), index);
    }

    @Test
    void shouldRestoreIdenticalSummariesAndContinueApplying()
    {
        f.publishOk(TOTAL, null, null);
        final String like = f.publishOk(UNIQUE, "like", "client-1");
        f.publishOk(UNIQUE, "laugh", "client-1");
        f.delete(like);
        f.publish("{\"type\":\"r:multiple.v1\",\"name\":\"vote\",\"clientId\":\"c1\",\"count\":5}");
        f.publish("{\"type\":\"r:multiple.v1\",\"name\":\"vote\",\"count\":2}");
        final String flag = f.publishOk("r:flag.v1", null, "c2");
        f.delete(flag);
        final List<String> before = f.annotations.snapshot(Fixture.APP, Fixture.CHANNEL);

        final Fixture restarted = new Fixture(true, 65_536, 16, f.journal, "node-a");
        restarted.counter = f.counter;
        f.journal.restoreInto(restarted.annotations);
        assertEquals(before, restarted.annotations.snapshot(Fixture.APP, Fixture.CHANNEL));
        assertEquals(f.list(Map.of()).body(), restarted.list(Map.of()).body());

        assertEquals(200, restarted.delete(flag).status(), "already deleted: idempotent after restart");
        assertEquals(f.journal.entries.size(), 8);
        restarted.publishOk(UNIQUE, "like", "client-2");
        assertEquals("{\"laugh\":{\"total\":1,\"clientIds\":[\"client-1\"],\"clipped\":false}," +
            "\"like\":{\"total\":1,\"clientIds\":[\"client-2\"],\"clipped\":false}}", restarted.summary(UNIQUE));
        restarted.publish("{\"type\":\"r:multiple.v1\",\"name\":\"vote\",\"clientId\":\"c1\",\"count\":1}");
        assertEquals("{\"vote\":{\"total\":8,\"clientCounts\":{\"c1\":6},\"totalUnidentified\":2,\"clipped\":false," +
            "\"totalClientIds\":1}}", restarted.summary("r:multiple.v1"));
    }

    @Test
    void shouldEvictBeyondTheCapAndRebuildIdentically()
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final Fixture capped = new Fixture(true, 65_536, 2, journal, "node-a");
        final Fixture uncapped = new Fixture(true, 65_536, 1_000, new InMemoryJournal(), "node-a");
        final String[] types = {"a:total.v1", "b:flag.v1", "c:distinct.v1", "d:unique.v1", "e:multiple.v1"};
        final java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 300; i++)
        {
            final String type = types[random.nextInt(types.length)];
            final String body = "{\"type\":\"" + type + "\",\"name\":\"n" + random.nextInt(3) + "\",\"clientId\":\"c" +
                random.nextInt(5) + "\"}";
            final Reply x = capped.publish(body);
            final Reply y = uncapped.publish(body);
            assertEquals(x.broadcasts().get(0), y.broadcasts().get(0));
            if (random.nextInt(4) == 0)
            {
                final String serial = Fixture.serialOf(x);
                assertEquals(capped.delete(serial).broadcasts(), uncapped.delete(serial).broadcasts());
            }
            assertTrue(capped.annotations.residentProjections() <= 2);
        }
        for (final String type : types)
        {
            assertEquals(uncapped.summary(type), capped.summary(type));
        }
        assertEquals(uncapped.annotations.snapshot(Fixture.APP, Fixture.CHANNEL),
            capped.annotations.snapshot(Fixture.APP, Fixture.CHANNEL));
        assertTrue(capped.annotations.rebuildCount() > 10);
    }

    @Test
    void shouldSkipRecordsGoneFromTheJournalOnRebuild()
    {
        f.publishOk(TOTAL, null, null);
        f.publishOk(TOTAL, null, null);
        f.journal.drop(0);
        f.annotations.evictAll();
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        assertEquals(0, f.annotations.residentProjections() - 1);
    }
}
