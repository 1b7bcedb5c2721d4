package io.sockudo.jvm.server.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed-window counter per key (the memory driver of Sockudo's {@code [rate_limiter]}): the window starts at a
 * key's first request, every request counts, and a request is allowed while the count is at most the limit.
 * Shared by all reactors; each key's window is updated under its own monitor. Expired windows are purged
 * every 1024 checks so memory stays proportional to the keys seen within one window.
 */
public final class RateLimiter
{
    private final int maxRequests;
    private final long windowMs;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private int checks;

    /**
     * @param maxRequests requests allowed per window
     * @param windowSeconds window length
     */
    public RateLimiter(final int maxRequests, final int windowSeconds)
    {
        this.maxRequests = maxRequests;
        this.windowMs = windowSeconds * 1000L;
    }

    /**
     * Requests allowed per window.
     *
     * @return the limit
     */
    public int limit()
    {
        return maxRequests;
    }

    /**
     * Counts one request.
     *
     * @param key client key (IP)
     * @param nowMs wall clock
     * @param result receives remaining requests and seconds until the window resets
     * @return true when allowed
     */
    public boolean tryAcquire(final String key, final long nowMs, final Result result)
    {
        if ((++checks & 1023) == 0)
        {
            windows.values().removeIf(w -> w.expired(nowMs, windowMs));
        }
        final Window window = windows.computeIfAbsent(key, k -> new Window());
        final boolean allowed;
        synchronized (window)
        {
            if (window.count == 0 || nowMs - window.startMs >= windowMs)
            {
                window.startMs = nowMs;
                window.count = 0;
            }
            window.count++;
            allowed = window.count <= maxRequests;
            result.remaining = Math.max(0, maxRequests - window.count);
            result.resetSeconds = Math.max(1, (window.startMs + windowMs - nowMs + 999) / 1000);
        }
        return allowed;
    }

    /** Outcome details of {@link #tryAcquire}, reused by the caller. */
    public static final class Result
    {
        /** Requests left in the window. */
        public int remaining;
        /** Seconds until the window resets (Sockudo's {@code X-RateLimit-Reset} is relative). */
        public long resetSeconds;
    }

    private static final class Window
    {
        long startMs;
        int count;

        synchronized boolean expired(final long nowMs, final long windowMs)
        {
            return nowMs - startMs >= windowMs;
        }
    }
}
