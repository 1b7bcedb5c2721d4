package io.sockudo.jvm.log;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of an {@link EventLog}: a fluent, mutable holder read once by {@link EventLog#open(EventLogConfig)}.
 */
public final class EventLogConfig
{
    /** Node id used when none is given. */
    public static final String NODE_ID_DEFAULT = "node";
    /** Roll cycle used when none is given. */
    public static final LogRollCycle ROLL_CYCLE_DEFAULT = LogRollCycle.HOURLY;

    private Path directory;
    private String nodeId = NODE_ID_DEFAULT;
    private LongSupplier clockMs = System::currentTimeMillis;
    private LogRollCycle rollCycle = ROLL_CYCLE_DEFAULT;

    /**
     * Directory of the queue files, created if needed. Required.
     *
     * @param directory the directory.
     * @return this.
     */
    public EventLogConfig directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * Directory of the queue files.
     *
     * @return the directory, or null if not set.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Node part of the serials this log's {@link SerialClock} mints.
     *
     * @param nodeId printable ASCII without whitespace or {@code ':'}.
     * @return this.
     */
    public EventLogConfig nodeId(final String nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * Node part of the serials.
     *
     * @return the node id.
     */
    public String nodeId()
    {
        return nodeId;
    }

    /**
     * Wall clock in epoch milliseconds, used by the serial clock and to decide when files roll.
     *
     * @param clockMs the clock; tests pass one they can move.
     * @return this.
     */
    public EventLogConfig clockMs(final LongSupplier clockMs)
    {
        this.clockMs = clockMs;
        return this;
    }

    /**
     * Wall clock in epoch milliseconds.
     *
     * @return the clock.
     */
    public LongSupplier clockMs()
    {
        return clockMs;
    }

    /**
     * How often a new file starts (only for a new log: an existing one keeps its cycle).
     *
     * @param rollCycle the cycle.
     * @return this.
     */
    public EventLogConfig rollCycle(final LogRollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        return this;
    }

    /**
     * How often a new file starts.
     *
     * @return the cycle.
     */
    public LogRollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * Checks that the settings are complete.
     *
     * @return this.
     * @throws NullPointerException if the directory, clock or roll cycle is missing.
     */
    public EventLogConfig conclude()
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(clockMs, "clockMs");
        Objects.requireNonNull(rollCycle, "rollCycle");
        return this;
    }
}
