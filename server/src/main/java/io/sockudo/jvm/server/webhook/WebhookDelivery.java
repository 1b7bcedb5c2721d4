package io.sockudo.jvm.server.webhook;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends jobs, isolated per target URL: each URL is a lane with at most {@code maxInFlight} requests in flight and
 * its own bounded waiting queue (dropping the oldest when full), so a slow or dead receiver only delays itself.
 * Finished attempts are judged by the job's {@link RetryPolicy}; retries are put on a timer, never slept.
 * Thread-safe: jobs arrive from the dispatcher and the timer, completions from the HTTP client's threads.
 */
final class WebhookDelivery
{
    /** Sends one attempt; the future completes with the HTTP status or fails with the I/O error. */
    interface Transport
    {
        CompletableFuture<Integer> send(DeliveryJob job);
    }

    /** Runs a task later. */
    interface Timer
    {
        void schedule(Runnable task, long delayMs);
    }

    /** Default requests in flight per target URL. */
    static final int MAX_IN_FLIGHT = 4;
    /** Default jobs waiting per target URL. */
    static final int LANE_CAPACITY = 10_000;

    private final Transport transport;
    private final Timer timer;
    private final LongSupplier clockMs;
    private final int maxInFlight;
    private final int laneCapacity;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean closed;

    WebhookDelivery(final Transport transport, final Timer timer, final LongSupplier clockMs, final int maxInFlight,
        final int laneCapacity)
    {
        this.transport = transport;
        this.timer = timer;
        this.clockMs = clockMs;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.laneCapacity = Math.max(1, laneCapacity);
    }

    /**
     * Starts a job now if its lane has room, otherwise queues it in the lane.
     *
     * @param job the job.
     */
    void submit(final DeliveryJob job)
    {
        if (closed)
        {
            return;
        }
        lanes.computeIfAbsent(job.url(), Lane::new).submit(job);
    }

    /** Stops retries and queued work; requests in flight finish on their own. */
    void close()
    {
        closed = true;
    }

    long delivered()
    {
        return delivered.get();
    }

    long failed()
    {
        return failed.get();
    }

    long dropped()
    {
        return dropped.get();
    }

    long retried()
    {
        return retried.get();
    }

    int inFlight(final String url)
    {
        final Lane lane = lanes.get(url);
        return null == lane ? 0 : lane.inFlight();
    }

    int waiting(final String url)
    {
        final Lane lane = lanes.get(url);
        return null == lane ? 0 : lane.waiting();
    }

    /** Outcome of one attempt: done, retry after a delay, or give up. */
    private void finish(final Lane lane, final DeliveryJob job, final Integer status, final Throwable error)
    {
        try
        {
            final Throwable cause = unwrap(error);
            if (null == cause && null != status && RetryPolicy.isSuccess(status))
            {
                delivered.incrementAndGet();
                return;
            }
            final boolean retryable = null == cause ?
                null != status && RetryPolicy.isRetryableStatus(status) : cause instanceof IOException;
            final long delay = retryable && !closed ?
                job.retry().nextDelayMs(job.attempts, clockMs.getAsLong() - job.firstAttemptMs) : -1;
            if (delay >= 0)
            {
                retried.incrementAndGet();
                timer.schedule(() -> submit(job), delay);
                return;
            }
            failed.incrementAndGet();
            lane.failureLog.warn("webhook delivery to " + job.url() + " (app " + job.appId() + ") failed after " +
                job.attempts + (job.attempts == 1 ? " attempt: " : " attempts: ") +
                (null == cause ? "HTTP " + status : cause.toString()));
        }
        catch (final RuntimeException ex)
        {
            failed.incrementAndGet();
            lane.failureLog.warn("webhook delivery to " + job.url() + " failed: " + ex);
        }
        finally
        {
            lane.release();
        }
    }

    private static Throwable unwrap(final Throwable error)
    {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) &&
            null != cause.getCause())
        {
            cause = cause.getCause();
        }
        return cause;
    }

    /** One target URL's slots and waiting jobs. */
    private final class Lane
    {
        final RateLimitedLog failureLog = new RateLimitedLog(10_000);
        final RateLimitedLog dropLog = new RateLimitedLog(10_000);
        private final String url;
        private final ArrayDeque<DeliveryJob> waiting = new ArrayDeque<>();
        private int inFlight;

        Lane(final String url)
        {
            this.url = url;
        }

        void submit(final DeliveryJob job)
        {
            boolean startNow = false;
            boolean droppedOne = false;
            synchronized (this)
            {
                if (inFlight < maxInFlight)
                {
                    inFlight++;
                    startNow = true;
                }
                else
                {
                    if (waiting.size() >= laneCapacity)
                    {
                        waiting.pollFirst();
                        droppedOne = true;
                    }
                    waiting.addLast(job);
                }
            }
            if (droppedOne)
            {
                dropped.incrementAndGet();
                dropLog.warn("webhook target " + url + " is not keeping up: " + laneCapacity +
                    " requests waiting, dropped the oldest");
            }
            if (startNow)
            {
                start(job);
            }
        }

        void release()
        {
            final DeliveryJob next;
            synchronized (this)
            {
                next = closed ? null : waiting.pollFirst();
                if (null == next)
                {
                    inFlight--;
                    return;
                }
            }
            start(next);
        }

        private void start(final DeliveryJob job)
        {
            if (0 == job.attempts)
            {
                job.firstAttemptMs = clockMs.getAsLong();
            }
            job.attempts++;
            final CompletableFuture<Integer> future;
            try
            {
                future = transport.send(job);
            }
            catch (final RuntimeException ex)
            {
                finish(this, job, null, ex);
                return;
            }
            future.whenComplete((status, error) -> finish(this, job, status, error));
        }

        synchronized int inFlight()
        {
            return inFlight;
        }

        synchronized int waiting()
        {
            return waiting.size();
        }
    }
}
