package io.sockudo.jvm.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allocation guards: thread-allocated bytes around a warmed loop (an allocation assertion, not a timing one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLogAllocationTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final int WARM_UP = 150_000;
    private static final int MEASURED = 10_000;
    /** Room for Chronicle mapping its next 64 MiB chunk (about 700 bytes) should the loop cross one. */
    private static final long MAX_BYTES = 1024;

    @TempDir
    Path directory;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(200));
    private final StringBuilder serial = new StringBuilder(SerialClock.MAX_SERIAL_LENGTH);
    private long sink;

    private EventLog open()
    {
        // a fixed clock: no roll during the loops
        return EventLog.open(new EventLogConfig().directory(directory).nodeId("n1").clockMs(() -> T0));
    }

    private void appendSome(final EventLog log, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            serial.setLength(0);
            final SerialClock clock = log.serialClock();
            clock.next();
            // mint into a reused builder: the server hands a view over its own buffer
            appendDigits(serial, clock.lastMs()).append(':').append(clock.nodeId()).append(':');
            appendDigits(serial, clock.counter());
            sink += log.append(3, T0 + i, serial, "app-1", "private-chat-room-42", payload, 0, payload.capacity());
        }
    }

    private static StringBuilder appendDigits(final StringBuilder builder, final long value)
    {
        long divisor = 1_000_000_000_000_000_000L;
        builder.append('0');
        for (int i = 0; i < 19; i++)
        {
            builder.append((char)('0' + (value / divisor) % 10));
            divisor /= 10;
        }
        return builder;
    }

    @Test
    void shouldAppendWithoutAllocating()
    {
        try (EventLog log = open())
        {
            appendSome(log, WARM_UP);
            final long before = threads.getCurrentThreadAllocatedBytes();
            appendSome(log, MEASURED);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertTrue(allocated < MAX_BYTES, "append allocated " + allocated + " bytes for " + MEASURED);
            assertEquals(WARM_UP + MEASURED, log.replay(-1, (record) -> { }, Integer.MAX_VALUE));
        }
    }

    @Test
    void shouldReplayAndReadWithoutAllocating()
    {
        try (EventLog log = open())
        {
            appendSome(log, 2_000);
            final long first = log.firstIndex();
            final LogRecordHandler handler = (record) -> sink += record.timestampMs() + record.payloadLength();
            for (int i = 0; i < 20; i++)
            {
                log.replay(-1, handler, Integer.MAX_VALUE);
                for (int j = 0; j < 2_000; j += 7)
                {
                    log.read(first + j, handler);
                }
            }

            final long before = threads.getCurrentThreadAllocatedBytes();
            int delivered = log.replay(-1, handler, Integer.MAX_VALUE);
            for (int j = 0; j < 2_000; j += 7)
            {
                delivered += log.read(first + j, handler) ? 1 : 0;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertEquals(2_000 + 286, delivered);
            assertTrue(allocated < MAX_BYTES, "replay and read allocated " + allocated + " bytes");
        }
    }
}
