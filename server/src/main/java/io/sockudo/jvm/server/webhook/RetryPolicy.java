package io.sockudo.jvm.server.webhook;

/**
 * When a failed delivery is tried again: only after a network error or timeout, or an HTTP status of 5xx, 408,
 * 409, 425 or 429; after a wait that starts at {@code initial_backoff_ms} and doubles up to
 * {@code max_backoff_ms}; and never when the next attempt would start more than {@code max_elapsed_time_ms} after
 * the first, or when {@code max_attempts} attempts have been made. Immutable.
 */
public final class RetryPolicy
{
    /** A policy that never retries. */
    public static final RetryPolicy NEVER = new RetryPolicy(false, 0, 0, 1, 1);

    private final boolean enabled;
    private final int maxAttempts;
    private final long maxElapsedMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    /**
     * Creates a policy.
     *
     * @param enabled          false never retries.
     * @param maxAttempts      most attempts in all, the first included; 0 = no limit besides the elapsed time.
     * @param maxElapsedMs     no retry starts later than this after the first attempt started.
     * @param initialBackoffMs wait before the first retry (at least 1).
     * @param maxBackoffMs     longest wait.
     */
    public RetryPolicy(final boolean enabled, final int maxAttempts, final long maxElapsedMs,
        final long initialBackoffMs, final long maxBackoffMs)
    {
        this.enabled = enabled;
        this.maxAttempts = maxAttempts;
        this.maxElapsedMs = maxElapsedMs;
        this.initialBackoffMs = Math.max(1, initialBackoffMs);
        this.maxBackoffMs = Math.max(1, maxBackoffMs);
    }

    /**
     * Whether an HTTP status may succeed when tried again.
     *
     * @param status the response status.
     * @return true for 5xx, 408, 409, 425 and 429.
     */
    public static boolean isRetryableStatus(final int status)
    {
        return (status >= 500 && status <= 599) || status == 408 || status == 409 || status == 425 || status == 429;
    }

    /**
     * Whether an HTTP status means the delivery succeeded.
     *
     * @param status the response status.
     * @return true for 2xx.
     */
    public static boolean isSuccess(final int status)
    {
        return status >= 200 && status <= 299;
    }

    /**
     * The wait before retry number {@code retry} (1 = the first retry): the initial back-off doubled
     * {@code retry - 1} times, capped at the maximum.
     *
     * @param retry 1-based retry number.
     * @return the wait in ms.
     */
    public long backoffMs(final int retry)
    {
        long delay = initialBackoffMs;
        for (int i = 1; i < retry && delay < maxBackoffMs; i++)
        {
            delay = delay * 2;
        }
        return Math.min(delay, maxBackoffMs);
    }

    /**
     * Decides whether to try again after a retryable failure.
     *
     * @param attempts  attempts made so far (at least 1).
     * @param elapsedMs time since the first attempt started.
     * @return the wait before the next attempt in ms, or -1 to give up.
     */
    public long nextDelayMs(final int attempts, final long elapsedMs)
    {
        if (!enabled || (maxAttempts > 0 && attempts >= maxAttempts))
        {
            return -1;
        }
        final long delay = backoffMs(attempts);
        if (elapsedMs + delay > maxElapsedMs)
        {
            return -1;
        }
        return delay;
    }

    /**
     * Whether retries are on.
     *
     * @return the {@code enabled} flag.
     */
    public boolean enabled()
    {
        return enabled;
    }

    /**
     * The attempt limit.
     *
     * @return {@code max_attempts}, 0 when unset.
     */
    public int maxAttempts()
    {
        return maxAttempts;
    }
}
