package io.sockudo.jvm.server.webhook;

import java.util.ArrayDeque;

/**
 * The {@code memory} queue driver: a bounded in-process FIFO that drops the oldest job when full (as 4.4.0's
 * memory queue does, at 100,000 jobs by default), counts drops and logs them at most once per 10 seconds.
 */
public final class MemoryJobQueue implements JobQueue
{
    /** 4.4.0's bound. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final ArrayDeque<DeliveryJob> jobs = new ArrayDeque<>();
    private final RateLimitedLog dropLog = new RateLimitedLog(10_000);
    private long dropped;

    /** A queue of {@link #DEFAULT_CAPACITY} jobs. */
    public MemoryJobQueue()
    {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A queue of a given bound.
     *
     * @param capacity most jobs held (at least 1).
     */
    public MemoryJobQueue(final int capacity)
    {
        this.capacity = Math.max(1, capacity);
    }

    @Override
    public boolean offer(final DeliveryJob job)
    {
        final DeliveryJob oldest;
        synchronized (this)
        {
            oldest = jobs.size() >= capacity ? jobs.pollFirst() : null;
            if (null != oldest)
            {
                dropped++;
            }
            jobs.addLast(job);
        }
        if (null != oldest)
        {
            dropLog.warn("webhook job queue full (" + capacity + " jobs): dropped the oldest job for " +
                oldest.url());
        }
        return true;
    }

    @Override
    public synchronized DeliveryJob poll()
    {
        return jobs.pollFirst();
    }

    @Override
    public synchronized int size()
    {
        return jobs.size();
    }

    @Override
    public synchronized long dropped()
    {
        return dropped;
    }
}
