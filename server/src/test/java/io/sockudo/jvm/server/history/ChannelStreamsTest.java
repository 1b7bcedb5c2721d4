package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.SerialClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * History rows of one channel: reads by direction, cursor and bounds agree with a plain filter over every row, and
 * retention drops exactly the rows outside the window and caps.
 */
class ChannelStreamsTest
{
    private static final HistoryPolicy FOREVER = new HistoryPolicy(true, true, 0, 0, 0, false);

    private static ChannelStreams streams()
    {
        return new MessageStore(Journal.NONE, new SerialClock("n", () -> 1L)).streams("app", "ch");
    }

    private static List<Long> serials(final List<HistoryItem> items)
    {
        final List<Long> out = new ArrayList<>();
        for (final HistoryItem item : items)
        {
            out.add(item.serial);
        }
        return out;
    }

    @Test
    void readsMatchAPlainFilterForEveryCursorBoundAndDirection()
    {
        final ChannelStreams s = streams();
        final int rows = 300;
        for (int i = 1; i <= rows; i++)
        {
            s.appendHistory(FOREVER, 1000 + i * 10L, "m" + i, "e", null, new byte[] {1});
        }
        final Random random = new Random(7);
        for (int run = 0; run < 2000; run++)
        {
            final boolean oldestFirst = random.nextBoolean();
            final long after = random.nextInt(4) == 0 ? -1 : random.nextInt(rows + 2);
            final long start = random.nextInt(3) == 0 ? -1 : random.nextInt(rows + 2);
            final long end = random.nextInt(3) == 0 ? -1 : random.nextInt(rows + 2);
            final long startTime = random.nextInt(4) == 0 ? 1000 + random.nextInt(rows * 10) : -1;
            final long endTime = random.nextInt(4) == 0 ? 1000 + random.nextInt(rows * 10) : -1;
            final int limit = 1 + random.nextInt(40);
            final List<Long> expected = new ArrayList<>();
            for (int k = 0; k < rows && expected.size() < limit; k++)
            {
                final long serial = oldestFirst ? k + 1 : rows - k;
                final long time = 1000 + serial * 10;
                final boolean afterCursor = after < 0 || (oldestFirst ? serial > after : serial < after);
                if (afterCursor && (start < 0 || serial >= start) && (end < 0 || serial <= end) &&
                    (startTime < 0 || time >= startTime) && (endTime < 0 || time <= endTime))
                {
                    expected.add(serial);
                }
            }
            assertEquals(expected, serials(s.read(oldestFirst, after, start, end, startTime, endTime, limit)),
                "run " + run);
        }
    }

    @Test
    void retentionDropsExactlyWhatIsOutsideTheWindowAndCaps()
    {
        final ChannelStreams s = streams();
        for (int i = 1; i <= 10; i++)
        {
            s.appendHistory(FOREVER, i * 1000L, null, "e", null, new byte[10]);
        }
        s.evict(new HistoryPolicy(true, true, 5_500, 0, 0, false), 10_000);
        assertEquals(5, s.oldestSerial(), "rows older than now - 5.5 s are gone");
        s.evict(new HistoryPolicy(true, true, 0, 4, 0, false), 10_000);
        assertEquals(7, s.oldestSerial());
        s.evict(new HistoryPolicy(true, true, 0, 0, 25, false), 10_000);
        assertEquals(9, s.oldestSerial());
        assertEquals(2, s.retainedMessages());
        assertEquals(20, s.retainedBytes());
        s.appendHistory(FOREVER, 11_000, null, "e", null, new byte[10]);
        assertEquals(List.of(11L, 10L, 9L), serials(s.read(false, -1, -1, -1, -1, -1, 10)));
        assertEquals(List.of(9L, 10L, 11L), serials(s.read(true, 8, -1, -1, -1, -1, 10)));
    }

    @Test
    void versionRetentionDropsChainsWhoseLatestVersionIsOlderThanTheWindow()
    {
        final ChannelStreams s = streams();
        for (int i = 1; i <= 3; i++)
        {
            s.appendVersion(new Version(s.takeDeliverySerial(), "m" + i, i, "m" + i, "create", null, i * 1000L, null,
                null, "e", "\"x\"", false, null, null, null));
        }
        s.appendVersion(new Version(s.takeDeliverySerial(), "m1", 1, "m1b", "update", null, 9000L, null, null, "e",
            "\"y\"", false, null, null, null));
        assertEquals(0, s.evictVersions(10_000, 0), "0 keeps chains forever");
        assertEquals(2, s.evictVersions(10_000, 5_000), "m2 and m3 are older than 5 s; m1 was updated at 9 s");
        assertEquals("update", s.latest("m1").action);
        assertEquals(null, s.chain("m2"));
        assertEquals(5, s.nextDeliverySerial(), "delivery serials never go back");
    }
}
