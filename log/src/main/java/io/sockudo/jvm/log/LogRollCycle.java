package io.sockudo.jvm.log;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How often the log starts a new file. Retention ({@link EventLog#deleteBefore(long)}) removes whole files, so the
 * cycle is also the granularity of retention. The cycle is fixed when a log directory is created: reopening an
 * existing directory keeps the cycle it was created with.
 */
public enum LogRollCycle
{
    /** One file per second: for tests of rolling and retention only. */
    SECONDLY(TestRollCycles.TEST_SECONDLY),
    /** One file per minute (up to 2^26 records a minute). */
    MINUTELY(LegacyRollCycles.MINUTELY),
    /** One file per hour (up to 2^32 - 1 records an hour); the default. */
    HOURLY(RollCycles.FAST_HOURLY),
    /** One file per day (up to 2^32 - 1 records a day). */
    DAILY(RollCycles.FAST_DAILY);

    private final RollCycle rollCycle;

    LogRollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
    }

    RollCycle chronicleRollCycle()
    {
        return rollCycle;
    }

    /**
     * Length of one cycle.
     *
     * @return milliseconds per file.
     */
    public long lengthMs()
    {
        return rollCycle.lengthInMillis();
    }
}
