package io.sockudo.jvm.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * Makes Chronicle roll its files on the log's clock rather than its own, so tests that move the clock also move
 * the roll cycle. The time never goes backwards (the greatest time seen, or the floor set at open): Chronicle
 * appends to the file of the cycle the time falls in, so a clock stepping back, or a restart with an earlier
 * clock, would otherwise append into an older file and the log index would go backwards.
 */
final class ClockTimeProvider implements TimeProvider
{
    private static final VarHandle FLOOR_MS_VH;

    static
    {
        try
        {
            FLOOR_MS_VH = MethodHandles.lookup().findVarHandle(ClockTimeProvider.class, "floorMs", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final LongSupplier clockMs;
    @SuppressWarnings("unused")
    private volatile long floorMs = Long.MIN_VALUE;

    ClockTimeProvider(final LongSupplier clockMs)
    {
        this.clockMs = clockMs;
    }

    /**
     * Never report a time before this one again.
     *
     * @param ms epoch milliseconds.
     */
    void raiseFloor(final long ms)
    {
        while (true)
        {
            final long floor = floorMs;
            if (ms <= floor || FLOOR_MS_VH.compareAndSet(this, floor, ms))
            {
                return;
            }
        }
    }

    @Override
    public long currentTimeMillis()
    {
        final long nowMs = clockMs.getAsLong();
        final long floor = floorMs;
        if (nowMs <= floor)
        {
            return floor;
        }
        raiseFloor(nowMs);
        return nowMs;
    }

    @Override
    public long currentTimeMicros()
    {
        return currentTimeMillis() * 1_000L;
    }

    @Override
    public long currentTimeNanos()
    {
        return currentTimeMillis() * 1_000_000L;
    }
}
