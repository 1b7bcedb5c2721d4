package io.sockudo.jvm.server.webhook;

/**
 * Logs a warning at most once per interval and says how many were suppressed in between. Thread-safe.
 */
final class RateLimitedLog
{
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.webhook");

    private final long intervalNs;
    private long lastNs;
    private boolean logged;
    private long suppressed;

    RateLimitedLog(final long intervalMs)
    {
        this.intervalNs = intervalMs * 1_000_000L;
    }

    void warn(final String message)
    {
        final long now = System.nanoTime();
        final long skipped;
        synchronized (this)
        {
            if (logged && now - lastNs < intervalNs)
            {
                suppressed++;
                return;
            }
            logged = true;
            lastNs = now;
            skipped = suppressed;
            suppressed = 0;
        }
        LOG.log(System.Logger.Level.WARNING, skipped == 0 ? message :
            message + " (" + skipped + " similar messages suppressed)");
    }
}
