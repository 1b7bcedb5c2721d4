package io.sockudo.jvm.protocol.json;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonScannerAllocationTest
{
    private static final String FRAME = "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-room\"," +
        "\"auth\":\"app-key:abc\",\"channel_data\":\"{\\\"user_id\\\":\\\"u1\\\"}\"}}";
    private static final int ITERATIONS = 10_000;

    private final JsonScanner scanner = new JsonScanner();
    private final JsonScanner inner = new JsonScanner();
    private final UnsafeBuffer frame = new UnsafeBuffer(FRAME.getBytes(StandardCharsets.UTF_8));
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    @Test
    void shouldNotAllocateWhenScanningAndLookingUpMembersOfWarmedFrame()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        long checksum = runFrames(ITERATIONS);
        assertEquals(expectedChecksum(ITERATIONS), checksum);

        threads.getCurrentThreadAllocatedBytes();
        final long before = threads.getCurrentThreadAllocatedBytes();
        checksum = runFrames(ITERATIONS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(expectedChecksum(ITERATIONS), checksum);
        assertTrue(allocated < 1024, () -> "allocated " + allocated + " bytes");
    }

    private long runFrames(final int iterations)
    {
        long checksum = 0;
        for (int i = 0; i < iterations; i++)
        {
            if (!scanner.scan(frame, 0, frame.capacity()))
            {
                return -1;
            }
            final int root = scanner.root();
            final int event = scanner.member(root, "event");
            final int data = scanner.member(root, "data");
            final int channel = scanner.member(data, "channel");
            final int auth = scanner.member(data, "auth");
            final int channelData = scanner.member(data, "channel_data");
            if (scanner.stringEquals(event, "pusher:subscribe") && scanner.stringEquals(channel, "presence-room"))
            {
                checksum += scanner.stringValueLength(auth) + scanner.stringValueLength(channelData);
            }
            checksum += scanner.member(data, "absent");

            // channel_data is JSON inside a string: unescape it into scratch and scan it too.
            final int length = JsonWriter.writeCompact(scratch, 0, scanner, channelData);
            if (inner.scan(scratch, 0, length) && inner.stringEquals(inner.root(), "{\"user_id\":\"u1\"}"))
            {
                checksum++;
            }
        }
        return checksum;
    }

    private static long expectedChecksum(final int iterations)
    {
        // "app-key:abc" = 11 bytes, {"user_id":"u1"} = 16 bytes, absent member = -1, nested check = +1.
        return (long)iterations * (11 + 16 - 1 + 1);
    }
}
