package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.SerialClock;

import java.util.concurrent.ConcurrentHashMap;

/**
 * History rows and version chains of every channel (spec protocol-v2 3.9's HistoryStore and VersionStore in one):
 * in memory, with a {@link Journal} that makes them durable (the event log) or keeps nothing (memory backend).
 * Per-channel state lives in {@link ChannelStreams}, locked by its own monitor.
 */
public final class MessageStore implements AutoCloseable
{
    final Journal journal;
    private final SerialClock clock;
    private final ConcurrentHashMap<String, ChannelStreams> streams = new ConcurrentHashMap<>();
    private volatile java.util.concurrent.ScheduledExecutorService purger;
    private io.sockudo.jvm.server.annotation.Annotations annotations;

    /**
     * @param journal where changes are made durable ({@link Journal#NONE} for memory)
     * @param clock the serial clock for message and version serials
     */
    public MessageStore(final Journal journal, final SerialClock clock)
    {
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * The streams of a channel, created on first use.
     *
     * @param app app id
     * @param channel channel name
     * @return the streams
     */
    public ChannelStreams streams(final String app, final String channel)
    {
        return streams.computeIfAbsent(key(app, channel), k -> new ChannelStreams(this, app, channel));
    }

    /**
     * The streams of a channel if it has any.
     *
     * @param app app id
     * @param channel channel name
     * @return the streams or null
     */
    public ChannelStreams existing(final String app, final String channel)
    {
        return streams.get(key(app, channel));
    }

    /**
     * Names the log-writer thread: from now on only it may append to the durable log (start-up).
     *
     * @param writer the thread
     */
    public void writerThread(final Thread writer)
    {
        if (journal instanceof LogJournal)
        {
            ((LogJournal)journal).owner(writer);
        }
    }

    /**
     * The annotation engine (start-up).
     *
     * @param engine the engine
     */
    void annotations(final io.sockudo.jvm.server.annotation.Annotations engine)
    {
        this.annotations = engine;
    }

    /**
     * The annotation engine, sharing this store's serial clock and journal.
     *
     * @return the engine
     */
    public io.sockudo.jvm.server.annotation.Annotations annotations()
    {
        return annotations;
    }

    /**
     * Whether a message serial names a versioned message of a channel.
     *
     * @param app app id
     * @param channel channel
     * @param messageSerial message serial
     * @return true when its version chain exists
     */
    public boolean messageExists(final String app, final String channel, final String messageSerial)
    {
        final ChannelStreams s = existing(app, channel);
        if (s == null)
        {
            return false;
        }
        synchronized (s)
        {
            return s.latest(messageSerial) != null;
        }
    }

    /**
     * A new message or version serial, strictly above every one before (also across restarts with the log).
     *
     * @return the serial
     */
    public String nextSerial()
    {
        synchronized (clock)
        {
            return clock.nextString();
        }
    }

    /**
     * Applies retention to every channel (the purge worker).
     *
     * @param policyOf resolves a channel's policy
     * @param nowMs current time
     * @param versionRetentionMs {@code versioned_messages.retention_window_seconds} in ms, 0 keeps chains forever
     */
    public void evictAll(final java.util.function.BiFunction<String, String, HistoryPolicy> policyOf,
        final long nowMs, final long versionRetentionMs)
    {
        for (final ChannelStreams s : streams.values())
        {
            final HistoryPolicy policy = policyOf.apply(s.app, s.channel);
            synchronized (s)
            {
                if (policy != null)
                {
                    s.evict(policy, nowMs);
                }
                s.evictVersions(nowMs, versionRetentionMs);
            }
        }
    }

    private static String key(final String app, final String channel)
    {
        return app + '\n' + channel;
    }

    /**
     * Runs a maintenance task (retention) every {@code intervalMs} on a daemon thread until {@link #close()}.
     *
     * @param task the task
     * @param intervalMs the period
     */
    public void schedule(final Runnable task, final long intervalMs)
    {
        final java.util.concurrent.ScheduledExecutorService executor =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r ->
            {
                final Thread t = new Thread(r, "history-purge");
                t.setDaemon(true);
                return t;
            });
        executor.scheduleWithFixedDelay(task, intervalMs, intervalMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        purger = executor;
    }

    @Override
    public void close()
    {
        final java.util.concurrent.ScheduledExecutorService executor = purger;
        if (executor != null)
        {
            executor.shutdownNow();
            try
            {
                executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        journal.close();
    }
}
