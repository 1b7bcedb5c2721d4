package io.sockudo.jvm.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SerialClockTest
{
    private static final long T0 = 1_700_000_000_000L;

    private final AtomicLong nowMs = new AtomicLong(T0);

    private static String serial(final long ms, final String node, final long counter)
    {
        return String.format("%020d:%s:%020d", ms, node, counter);
    }

    @Test
    void shouldMintTheSockudoFormat()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);

        assertEquals(serial(T0, "n1", 1), clock.nextString());
        assertEquals(serial(T0, "n1", 2), clock.nextString());
        assertEquals(42 + 2, clock.serialLength());
    }

    @Test
    void shouldIncreaseCounterOnEveryCallAndFollowTheClockForward()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        clock.next();
        nowMs.addAndGet(5);
        clock.next();

        assertEquals(T0 + 5, clock.lastMs());
        assertEquals(2, clock.counter());
    }

    @Test
    void shouldStrictlyIncreaseWhenClockStepsBack()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        String previous = clock.nextString();
        for (int i = 0; i < 100; i++)
        {
            nowMs.addAndGet(i % 3 == 0 ? -1_000 : 1);
            final String next = clock.nextString();
            assertTrue(next.compareTo(previous) > 0, next + " <= " + previous);
            previous = next;
        }
        assertTrue(clock.lastMs() >= T0);
    }

    @Test
    void shouldStrictlyIncreaseWhenClockStandsStill()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        String previous = clock.nextString();
        for (int i = 0; i < 1_000; i++)
        {
            final String next = clock.nextString();
            assertTrue(next.compareTo(previous) > 0);
            previous = next;
        }
    }

    @Test
    void shouldWriteTheSameSerialAsNextString()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        final int length = clock.nextInto(buffer, 10);

        assertEquals(clock.serialLength(), length);
        assertEquals(serial(T0, "n1", 1), buffer.getStringWithoutLengthAscii(10, length));
    }

    @Test
    void shouldSortAboveObservedSerialOfSameNode()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        final String seen = serial(T0 + 60_000, "n1", 500);

        assertTrue(clock.observe(seen));
        final String next = clock.nextString();
        assertTrue(next.compareTo(seen) > 0, next);
        assertEquals(serial(T0 + 60_000, "n1", 501), next);
    }

    @Test
    void shouldSortAboveObservedSerialOfSameNodeWithOlderMsAndHigherCounter()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        final String seen = serial(T0 - 10, "n1", 9_999);

        assertTrue(clock.observe(seen));
        final String next = clock.nextString();
        assertTrue(next.compareTo(seen) > 0, next);
    }

    @Test
    void shouldSortAboveObservedSerialOfOtherNodes()
    {
        final String[] others = {"a", "n0", "n2", "zz", "n1-b", "n", "n10", "n1a", "N1", "~"};
        for (final String other : others)
        {
            final SerialClock clock = new SerialClock("n1", nowMs::get);
            final String seen = serial(T0 + 1_000, other, 7);

            assertTrue(clock.observe(seen), other);
            final String next = clock.nextString();
            assertTrue(next.compareTo(seen) > 0, next + " <= " + seen);
        }
    }

    @Test
    void shouldSortAboveWhenOurNodeIsAPrefixEndingBelowColon()
    {
        // "node-1:" < "node:" because '-' < ':' although "node-1" is the longer id
        final SerialClock clock = new SerialClock("node-1", nowMs::get);
        final String seen = serial(T0, "node", 3);

        assertTrue(clock.observe(seen));
        final String next = clock.nextString();
        assertTrue(next.compareTo(seen) > 0, next + " <= " + seen);
        assertEquals(T0 + 1, clock.lastMs());
    }

    @Test
    void shouldNotJumpMillisecondWhenOurNodeAlreadySortsAbove()
    {
        final SerialClock clock = new SerialClock("n2", nowMs::get);
        final String seen = serial(T0, "n1", 3);

        assertTrue(clock.observe(seen));
        final String next = clock.nextString();
        assertTrue(next.compareTo(seen) > 0);
        assertEquals(T0, clock.lastMs());
    }

    @Test
    void shouldNotMoveBackwardsWhenObservingALowerSerial()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        clock.next();
        clock.next();
        final String before = serial(clock.lastMs(), "n1", clock.counter());

        assertTrue(clock.observe(serial(T0 - 5_000, "n1", 1)));
        assertTrue(clock.observe(serial(T0 - 5_000, "zz", 1)));
        final String next = clock.nextString();
        assertTrue(next.compareTo(before) > 0);
        assertEquals(3, clock.counter());
    }

    @Test
    void shouldIgnoreMalformedSerials()
    {
        final SerialClock clock = new SerialClock("n1", nowMs::get);
        final String[] malformed = {
            "",
            "abc",
            "00000000000000000001::00000000000000000001",
            "0000000000000000000x:n1:00000000000000000001",
            "00000000000000000001:n1:0000000000000000000y",
            "00000000000000000001-n1-00000000000000000001",
            "1:n1:1",
            "99999999999999999999:n1:00000000000000000001",
            "00000000000000000001:n\u00e9:00000000000000000001",
            "0000000000000000001:n1:000000000000000000001",
            serial(T0, "n1", 1) + "x".repeat(100),
        };
        for (final String bad : malformed)
        {
            assertFalse(clock.observe(bad), bad);
        }
        assertFalse(clock.observe(null));
        assertEquals(serial(T0, "n1", 1), clock.nextString());
    }

    @Test
    void shouldDefaultBlankNodeIdAndRejectBadOnes()
    {
        assertEquals("node", new SerialClock("  ", nowMs::get).nodeId());
        assertEquals("node", new SerialClock(null, nowMs::get).nodeId());
        assertThrows(IllegalArgumentException.class, () -> new SerialClock("a b", nowMs::get));
        assertThrows(IllegalArgumentException.class, () -> new SerialClock("a:b", nowMs::get));
        assertThrows(IllegalArgumentException.class, () -> new SerialClock("n\u00e9", nowMs::get));
        assertThrows(IllegalArgumentException.class,
            () -> new SerialClock("x".repeat(SerialClock.MAX_NODE_ID_LENGTH + 1), nowMs::get));
        final SerialClock longest = new SerialClock("x".repeat(SerialClock.MAX_NODE_ID_LENGTH), nowMs::get);
        assertEquals(SerialClock.MAX_SERIAL_LENGTH, longest.nextString().length());
    }

    @Test
    void shouldCompareBytewise()
    {
        final UnsafeBuffer a = new UnsafeBuffer("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final UnsafeBuffer b = new UnsafeBuffer("abd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertTrue(SerialClock.compare(a, 0, 3, b, 0, 3) < 0);
        assertTrue(SerialClock.compare(b, 0, 3, a, 0, 3) > 0);
        assertTrue(SerialClock.compare(a, 0, 2, a, 0, 3) < 0);
        assertEquals(0, SerialClock.compare(a, 0, 3, a, 0, 3));
    }
}
