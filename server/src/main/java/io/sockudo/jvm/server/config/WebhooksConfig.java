package io.sockudo.jvm.server.config;

/**
 * The {@code [webhooks]} section: server-wide delivery settings and the defaults of every app webhook's
 * {@code request_timeout_ms} and {@code retry}. The per-app targets live in {@link AppConfig#webhooks}.
 */
public final class WebhooksConfig
{
    /** Default {@link #removalDelayMs}: 4.4.0 holds {@code member_removed} and {@code channel_vacated} 3 s. */
    public static final int DEFAULT_REMOVAL_DELAY_MS = 3000;

    /** {@code request_timeout_ms}: timeout of one delivery attempt, the default of each webhook's own key. */
    public int requestTimeoutMs = 10_000;
    /** {@code batching.enabled}, env {@code WEBHOOK_BATCHING_ENABLED}. */
    public boolean batchingEnabled = true;
    /** {@code batching.duration} in ms, env {@code WEBHOOK_BATCHING_DURATION}: the collection window. */
    public int batchingDurationMs = 50;
    /** {@code batching.size}, env {@code WEBHOOK_BATCHING_SIZE}: most events in one request. */
    public int batchingSize = 100;
    /**
     * {@code removal_delay_ms} (this server's extension): how long {@code member_removed} and
     * {@code channel_vacated} are held before they are sent, and cancelled when the member or channel comes back.
     */
    public int removalDelayMs = DEFAULT_REMOVAL_DELAY_MS;
    /** {@code retry}: the default retry policy of every webhook. */
    public final Retry retry = new Retry();

    /**
     * A retry policy ({@code [webhooks] retry} or one webhook's {@code retry} table).
     */
    public static final class Retry
    {
        /** {@code enabled}: false sends each request once. */
        public boolean enabled = true;
        /** {@code max_attempts}: most attempts in all, first included; 0 = unset (bounded by elapsed time only). */
        public int maxAttempts;
        /** {@code max_elapsed_time_ms}: no retry starts later than this after the first attempt. */
        public int maxElapsedTimeMs = 300_000;
        /** {@code initial_backoff_ms}: the wait before the first retry; it doubles for each further one. */
        public int initialBackoffMs = 1000;
        /** {@code max_backoff_ms}: the longest wait between two attempts. */
        public int maxBackoffMs = 60_000;
    }

    /**
     * The dotted config path of an app's webhook list, for error messages, e.g.
     * {@code app_manager.array.apps[0].policy.webhooks} (canonical form) or {@code app_manager.array.apps[0].webhooks}
     * (legacy flat form).
     *
     * @param app   the app record.
     * @param index the app's position in the app list, used when the record was built in code.
     * @return the path.
     */
    public static String webhooksKey(final AppConfig app, final int index)
    {
        final String base = null != app.path ? app.path : "apps[" + index + "]";
        final String limits = app.limitsPath;
        if (null != limits && limits.endsWith(".policy.limits"))
        {
            return base + ".policy.webhooks";
        }
        return base + ".webhooks";
    }
}
