package io.sockudo.jvm.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLogTest
{
    /** A whole second, so that second-long cycles start on it. */
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path directory;

    private final AtomicLong nowMs = new AtomicLong(T0);
    private final List<EventLog> opened = new ArrayList<>();

    /** What was appended, to compare with what is read back. */
    private record Expected(long index, int type, long timestampMs, String serial, String app, String channel,
        byte[] payload)
    {
    }

    /** A copy of what a handler saw. */
    private record Seen(long index, int type, long timestampMs, String serial, String app, String channel,
        byte[] payload)
    {
        static Seen of(final LogRecord record)
        {
            final StringBuilder serial = record.appendSerialTo(new StringBuilder());
            assertEquals(record.serialString(), serial.toString());
            assertEquals(record.serialString(), record.serial().toString());
            final byte[] viaBuffer = new byte[record.payloadLength()];
            record.buffer().getBytes(record.payloadOffset(), viaBuffer);
            assertArrayEquals(record.payloadBytes(), viaBuffer);
            return new Seen(record.index(), record.type(), record.timestampMs(), record.serialString(),
                record.app(), record.channel(), viaBuffer);
        }

        void assertIs(final Expected expected)
        {
            assertEquals(expected.index(), index);
            assertEquals(expected.type(), type);
            assertEquals(expected.timestampMs(), timestampMs);
            assertEquals(expected.serial(), serial);
            assertEquals(expected.app(), app);
            assertEquals(expected.channel(), channel);
            assertArrayEquals(expected.payload(), payload);
        }
    }

    @AfterEach
    void closeLogs()
    {
        for (final EventLog log : opened)
        {
            log.close();
        }
    }

    private EventLog open(final LogRollCycle cycle)
    {
        final EventLog log = EventLog.open(new EventLogConfig()
            .directory(directory)
            .nodeId("n1")
            .clockMs(nowMs::get)
            .rollCycle(cycle));
        opened.add(log);
        return log;
    }

    private static Expected append(
        final EventLog log, final int type, final long timestampMs, final String serial, final String app,
        final String channel, final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        // payload in the middle of a larger buffer, to check offsets
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 7]);
        buffer.putBytes(3, bytes);
        final long index = log.append(type, timestampMs, serial, app, channel, buffer, 3, bytes.length);
        return new Expected(index, type, timestampMs, serial, app, channel, bytes);
    }

    private static List<Seen> replay(final EventLog log, final long afterIndex, final int max)
    {
        final List<Seen> seen = new ArrayList<>();
        final int count = log.replay(afterIndex, (record) -> seen.add(Seen.of(record)), max);
        assertEquals(seen.size(), count);
        return seen;
    }

    private static Seen read(final EventLog log, final long index)
    {
        final Seen[] seen = new Seen[1];
        assertTrue(log.read(index, (record) -> seen[0] = Seen.of(record)), "no record at " + index);
        return seen[0];
    }

    private static void assertRecords(final List<Expected> expected, final List<Seen> seen)
    {
        assertEquals(expected.size(), seen.size());
        for (int i = 0; i < expected.size(); i++)
        {
            seen.get(i).assertIs(expected.get(i));
        }
    }

    private List<Expected> appendMixed(final EventLog log, final int count)
    {
        final List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final String serial = i % 4 == 3 ? "" : log.serialClock().nextString();
            final String channel = i % 2 == 0 ? "private-chat-" + i : "presence-caf\u00e9-\u65e5\u672c-\ud83d\ude00";
            final String payload = i % 3 == 0 ? "" : "{\"n\":" + i + ",\"t\":\"\u00fcber \ud83d\ude80\"}";
            expected.add(append(log, i % 5, T0 + i, serial, i % 2 == 0 ? "app-1" : "\u00e4pp", channel, payload));
        }
        return expected;
    }

    private long cq4Files() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter((p) -> p.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void shouldBeEmptyWhenNew()
    {
        final EventLog log = open(LogRollCycle.HOURLY);

        assertEquals(-1, log.lastIndex());
        assertEquals(-1, log.firstIndex());
        assertEquals(0, log.replay(-1, (record) -> { }, 10));
        assertEquals(0, log.replay(Long.MIN_VALUE, (record) -> { }, 10));
        assertFalse(log.read(0, (record) -> { }));
        assertEquals(0, log.deleteBefore(Long.MAX_VALUE));
    }

    @Test
    void shouldReplayAllRecordsWithExactFields()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 50);

        assertRecords(expected, replay(log, -1, 1_000));
        assertRecords(expected, replay(log, Long.MIN_VALUE, 1_000));
        assertEquals(expected.get(49).index(), log.lastIndex());
        assertEquals(expected.get(0).index(), log.firstIndex());
    }

    @Test
    void shouldReturnIncreasingIndexes()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 20);

        for (int i = 1; i < expected.size(); i++)
        {
            assertTrue(expected.get(i).index() > expected.get(i - 1).index());
        }
    }

    @Test
    void shouldReplayExactlyTheRestFromAnyIndex()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 30);

        for (int i = 0; i < expected.size(); i++)
        {
            assertRecords(expected.subList(i + 1, expected.size()), replay(log, expected.get(i).index(), 1_000));
        }
    }

    @Test
    void shouldStopAfterMaxRecords()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 10);

        assertRecords(expected.subList(0, 4), replay(log, -1, 4));
        assertRecords(expected.subList(4, 7), replay(log, expected.get(3).index(), 3));
        assertEquals(0, log.replay(-1, (record) -> { }, 0));
    }

    @Test
    void shouldReadAnyRecordByIndex()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 40);

        for (int i = expected.size() - 1; i >= 0; i -= 3)
        {
            read(log, expected.get(i).index()).assertIs(expected.get(i));
        }
        read(log, expected.get(0).index()).assertIs(expected.get(0));
        assertFalse(log.read(log.lastIndex() + 1, (record) -> { }));
        assertFalse(log.read(-1, (record) -> { }));
    }

    @Test
    void shouldMatchNamesWithoutDecoding()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final Expected e = append(log, 1, T0, "", "\u00e4pp", "caf\u00e9-\ud83d\ude00", "x");

        assertTrue(log.read(e.index(), (record) ->
        {
            assertTrue(record.appMatches("\u00e4pp"));
            assertFalse(record.appMatches("app"));
            assertFalse(record.appMatches("\u00e4pp2"));
            assertFalse(record.appMatches("\u00e4p"));
            assertTrue(record.channelMatches(new StringBuilder("caf\u00e9-\ud83d\ude00")));
            assertFalse(record.channelMatches("caf\u00e9-"));
            assertEquals(0, record.serialLength());
            assertEquals("", record.serialString());
        }));
    }

    @Test
    void shouldAcceptNullSerialAndEmptyPayload()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final long index = log.append(7, T0, null, "a", "c", null, 0, 0);

        final Seen seen = read(log, index);
        assertEquals("", seen.serial());
        assertEquals(0, seen.payload().length);
        assertEquals(7, seen.type());
    }

    @Test
    void shouldRejectOversizedSerial()
    {
        final EventLog log = open(LogRollCycle.HOURLY);

        assertThrows(IllegalArgumentException.class,
            () -> log.append(1, T0, "s".repeat(SerialClock.MAX_SERIAL_LENGTH + 1), "a", "c", null, 0, 0));
        assertEquals(-1, log.lastIndex());
    }

    @Test
    void shouldStoreLargePayloads()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final Expected small = append(log, 1, T0, "", "a", "c", "small");
        final Expected large = append(log, 2, T0, "", "a", "c", "0123456789abcdef".repeat(20_000));
        final Expected after = append(log, 3, T0, "", "a", "c", "after");

        assertRecords(List.of(small, large, after), replay(log, -1, 10));
    }

    @Test
    void shouldKeepLastIndexAndResumeSerialsAfterReopen()
    {
        final EventLog first = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(first, 10);
        // a serial of another node, later than ours, replicated into our log
        final String remote = String.format("%020d:%s:%020d", T0 + 3_600_000, "a-node", 5);
        expected.add(append(first, 1, T0, remote, "app-1", "chat", "remote"));
        String greatest = "";
        for (final Expected e : expected)
        {
            greatest = e.serial().compareTo(greatest) > 0 ? e.serial() : greatest;
        }
        assertEquals(remote, greatest);
        final long lastIndex = first.lastIndex();
        first.close();

        nowMs.set(T0 - 86_400_000L);
        final EventLog second = open(LogRollCycle.HOURLY);

        assertEquals(lastIndex, second.lastIndex());
        final String next = second.serialClock().nextString();
        assertTrue(next.compareTo(greatest) > 0, next + " <= " + greatest);
        assertRecords(expected, replay(second, -1, 100));

        final Expected more = append(second, 9, T0, next, "app-1", "chat", "more");
        assertTrue(more.index() > lastIndex);
        read(second, more.index()).assertIs(more);
    }

    @Test
    void shouldResumeSerialsAboveOwnNodeAfterReopen()
    {
        final EventLog first = open(LogRollCycle.HOURLY);
        String last = "";
        for (int i = 0; i < 5; i++)
        {
            last = first.serialClock().nextString();
            append(first, 1, T0, last, "a", "c", "p");
        }
        first.close();

        nowMs.set(T0 - 1);
        final EventLog second = open(LogRollCycle.HOURLY);
        final String next = second.serialClock().nextString();

        assertTrue(next.compareTo(last) > 0, next + " <= " + last);
    }

    @Test
    void shouldObserveSerialsWhenAppending()
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final String remote = String.format("%020d:%s:%020d", T0 + 60_000, "zz", 1);
        append(log, 1, T0, remote, "a", "c", "p");

        assertTrue(log.serialClock().nextString().compareTo(remote) > 0);
    }

    @Test
    void shouldReadAcrossRollsAndReplayFromIndexesThatWereNeverWritten()
    {
        final EventLog log = open(LogRollCycle.SECONDLY);
        final List<Expected> expected = new ArrayList<>();
        for (int cycle = 0; cycle < 3; cycle++)
        {
            for (int i = 0; i < 3; i++)
            {
                expected.add(append(log, cycle, nowMs.get(), "", "a", "c", "r" + cycle + i));
            }
            nowMs.addAndGet(1_000);
        }

        assertRecords(expected, replay(log, -1, 100));
        // the index right after the last of the first cycle does not exist: the next record is in cycle two
        assertRecords(expected.subList(3, 9), replay(log, expected.get(2).index() + 1, 100));
        assertNotEquals(expected.get(2).index() + 1, expected.get(3).index());
        assertFalse(log.read(expected.get(2).index() + 1, (record) -> { }));
        assertEquals(0, log.replay(log.lastIndex() + 5, (record) -> { }, 100));
        for (final Expected e : expected)
        {
            read(log, e.index()).assertIs(e);
        }
    }

    @Test
    void shouldKeepIndexesIncreasingWhenClockStepsBackAcrossARoll()
    {
        final EventLog log = open(LogRollCycle.SECONDLY);
        final Expected early = append(log, 1, nowMs.get(), "", "a", "c", "early");
        nowMs.addAndGet(2_000);
        final Expected later = append(log, 1, nowMs.get(), "", "a", "c", "later");
        nowMs.set(T0 - 5_000);
        final Expected stepBack = append(log, 1, nowMs.get(), "", "a", "c", "step back");

        assertTrue(later.index() > early.index());
        assertTrue(stepBack.index() > later.index());
        assertRecords(List.of(early, later, stepBack), replay(log, -1, 10));
    }

    @Test
    void shouldDeleteExactlyTheCyclesOlderThanCutoff() throws IOException
    {
        final EventLog log = open(LogRollCycle.SECONDLY);
        final List<Expected> expected = new ArrayList<>();
        final int[] perCycle = {3, 2, 2, 1};
        for (int cycle = 0; cycle < perCycle.length; cycle++)
        {
            for (int i = 0; i < perCycle[cycle]; i++)
            {
                expected.add(append(log, cycle, nowMs.get() + i, "", "a", "c", "r" + cycle + i));
            }
            nowMs.addAndGet(1_000);
        }
        assertEquals(4, cq4Files());
        final long thirdCycleStart = T0 + 2_000;

        // nothing in the first cycle is older than its first record
        assertEquals(0, log.deleteBefore(T0));
        assertEquals(4, cq4Files());
        // the second cycle's newest record is not older than T0 + 1001
        assertEquals(3, log.deleteBefore(T0 + 1_001));
        assertEquals(3, cq4Files());
        assertEquals(2, log.deleteBefore(thirdCycleStart));
        assertEquals(2, cq4Files());

        for (int i = 0; i < 5; i++)
        {
            assertFalse(log.read(expected.get(i).index(), (record) -> { }), "deleted " + i);
        }
        for (int i = 5; i < expected.size(); i++)
        {
            read(log, expected.get(i).index()).assertIs(expected.get(i));
        }
        assertRecords(expected.subList(5, 8), replay(log, -1, 100));
        assertRecords(expected.subList(5, 8), replay(log, expected.get(1).index(), 100));
        assertRecords(expected.subList(6, 8), replay(log, expected.get(5).index(), 100));
        assertEquals(expected.get(5).index(), log.firstIndex());
        assertEquals(expected.get(7).index(), log.lastIndex());
    }

    @Test
    void shouldNeverDeleteTheNewestFile() throws IOException
    {
        final EventLog log = open(LogRollCycle.SECONDLY);
        final Expected old = append(log, 1, nowMs.get(), "", "a", "c", "old");
        nowMs.addAndGet(1_000);
        final Expected newest = append(log, 1, nowMs.get(), "", "a", "c", "newest");
        nowMs.addAndGet(60_000);

        assertEquals(1, log.deleteBefore(Long.MAX_VALUE));
        assertEquals(1, cq4Files());
        assertFalse(log.read(old.index(), (record) -> { }));
        read(log, newest.index()).assertIs(newest);
        assertEquals(0, log.deleteBefore(Long.MAX_VALUE));
    }

    @Test
    void shouldStopAtFirstCycleWithANewerRecord() throws IOException
    {
        final EventLog log = open(LogRollCycle.SECONDLY);
        append(log, 1, T0, "", "a", "c", "old");
        nowMs.addAndGet(1_000);
        // a record stamped in the future keeps its file, and so every later file
        append(log, 1, T0 + 100_000, "", "a", "c", "future");
        nowMs.addAndGet(1_000);
        append(log, 1, T0 + 2_000, "", "a", "c", "old too");
        nowMs.addAndGet(1_000);
        append(log, 1, T0 + 3_000, "", "a", "c", "newest");

        assertEquals(1, log.deleteBefore(T0 + 50_000));
        assertEquals(3, cq4Files());
    }

    @Test
    void shouldKeepRetentionAcrossReopen() throws IOException
    {
        final EventLog first = open(LogRollCycle.SECONDLY);
        final List<Expected> expected = new ArrayList<>();
        for (int cycle = 0; cycle < 3; cycle++)
        {
            expected.add(append(first, cycle, nowMs.get(), "", "a", "c", "r" + cycle));
            expected.add(append(first, cycle, nowMs.get(), "", "a", "c", "s" + cycle));
            nowMs.addAndGet(1_000);
        }
        first.close();

        final EventLog second = open(LogRollCycle.SECONDLY);
        assertEquals(4, second.deleteBefore(T0 + 2_000));
        assertEquals(1, cq4Files());
        second.close();

        final EventLog third = open(LogRollCycle.SECONDLY);
        assertEquals(expected.get(5).index(), third.lastIndex());
        assertEquals(expected.get(4).index(), third.firstIndex());
        assertFalse(third.read(expected.get(0).index(), (record) -> { }));
        assertRecords(expected.subList(4, 6), replay(third, -1, 10));
    }

    @Test
    void shouldReadFromOtherThreads() throws Exception
    {
        final EventLog log = open(LogRollCycle.HOURLY);
        final List<Expected> expected = appendMixed(log, 20);
        final ExecutorService reader = Executors.newSingleThreadExecutor();
        try
        {
            final Future<List<Seen>> seen = reader.submit(() -> replay(log, -1, 100));
            assertRecords(expected, seen.get(30, TimeUnit.SECONDS));
            final Expected more = append(log, 1, T0, "", "a", "c", "more");
            final Future<Seen> one = reader.submit(() -> read(log, more.index()));
            one.get(30, TimeUnit.SECONDS).assertIs(more);
        }
        finally
        {
            reader.shutdownNow();
            assertTrue(reader.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertRecords(expected, replay(log, -1, 20));
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedUntilTheFirstCloses(@TempDir final Path dir)
    {
        final EventLogConfig config = new EventLogConfig().directory(dir);
        final EventLog first = EventLog.open(config);
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> EventLog.open(new EventLogConfig().directory(dir)));
        assertTrue(ex.getMessage().startsWith("cannot lock the event log directory "), ex.getMessage());
        first.close();
        EventLog.open(new EventLogConfig().directory(dir)).close();
    }
}
