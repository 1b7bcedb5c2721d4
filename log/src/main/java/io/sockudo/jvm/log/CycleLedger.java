package io.sockudo.jvm.log;

import org.agrona.collections.Long2LongHashMap;

/**
 * Per roll cycle, how many records it holds and the greatest record timestamp: what retention needs to decide
 * that a whole file is older than a cutoff. Filled by the scan at open, then by every append. The cycle being
 * written is kept in fields so that an append touches the maps only when the cycle changes.
 * <p>
 * Owned by the appending side of {@link EventLog} (appends and retention, serialised by the caller).
 */
final class CycleLedger
{
    private static final long NONE = Long.MIN_VALUE;

    private final Long2LongHashMap counts = new Long2LongHashMap(0L);
    private final Long2LongHashMap maxTimestamps = new Long2LongHashMap(NONE);
    private long currentCycle = NONE;
    private long currentCount;
    private long currentMaxTimestampMs = NONE;

    void onRecord(final int cycle, final long timestampMs)
    {
        if (cycle != currentCycle)
        {
            switchTo(cycle);
        }
        currentCount++;
        if (timestampMs > currentMaxTimestampMs)
        {
            currentMaxTimestampMs = timestampMs;
        }
    }

    long count(final int cycle)
    {
        return cycle == currentCycle ? currentCount : counts.get(cycle);
    }

    /**
     * Greatest timestamp in a cycle, or {@link Long#MIN_VALUE} if it has no records.
     */
    long maxTimestampMs(final int cycle)
    {
        return cycle == currentCycle ? currentMaxTimestampMs : maxTimestamps.get(cycle);
    }

    void remove(final int cycle)
    {
        if (cycle == currentCycle)
        {
            currentCycle = NONE;
            currentCount = 0;
            currentMaxTimestampMs = NONE;
        }
        counts.remove(cycle);
        maxTimestamps.remove(cycle);
    }

    private void switchTo(final int cycle)
    {
        if (currentCycle != NONE)
        {
            counts.put(currentCycle, currentCount);
            maxTimestamps.put(currentCycle, currentMaxTimestampMs);
        }
        // a cycle seen before (only if the clock went back across a roll) continues from its totals
        currentCycle = cycle;
        currentCount = counts.get(cycle);
        currentMaxTimestampMs = maxTimestamps.get(cycle);
    }
}
