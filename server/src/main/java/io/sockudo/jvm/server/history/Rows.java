package io.sockudo.jvm.server.history;

import java.util.Arrays;

/**
 * The retained history rows of one channel, oldest first: an array with a moving head, so that rows are found by
 * serial with a binary search (serials strictly increase) and evicted from the front in O(1).
 */
final class Rows
{
    private HistoryItem[] items = new HistoryItem[16];
    private int head;
    private int tail;

    boolean isEmpty()
    {
        return head == tail;
    }

    int size()
    {
        return tail - head;
    }

    /** The i-th retained row, oldest first. */
    HistoryItem get(final int i)
    {
        return items[head + i];
    }

    HistoryItem first()
    {
        return items[head];
    }

    HistoryItem last()
    {
        return items[tail - 1];
    }

    void add(final HistoryItem item)
    {
        if (tail == items.length)
        {
            final int size = size();
            if (head > 0 && size < items.length / 2)
            {
                System.arraycopy(items, head, items, 0, size);
                Arrays.fill(items, size, tail, null);
            }
            else
            {
                final HistoryItem[] grown = new HistoryItem[items.length * 2];
                System.arraycopy(items, head, grown, 0, size);
                items = grown;
            }
            head = 0;
            tail = size;
        }
        items[tail++] = item;
    }

    HistoryItem removeFirst()
    {
        final HistoryItem item = items[head];
        items[head++] = null;
        if (head == tail)
        {
            head = 0;
            tail = 0;
        }
        return item;
    }

    void clear()
    {
        Arrays.fill(items, head, tail, null);
        head = 0;
        tail = 0;
    }

    /** Position (0-based from the oldest) of the first row with a serial at or above {@code serial}. */
    int lowerBound(final long serial)
    {
        int lo = head;
        int hi = tail;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (items[mid].serial < serial)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo - head;
    }
}
