package io.sockudo.jvm.server.config;

/**
 * The {@code [rate_limiter]} section: per-IP limits on the HTTP API and on WebSocket upgrades.
 */
public final class RateLimiterConfig
{
    /**
     * One fixed-window limit ({@code api_rate_limit} or {@code websocket_rate_limit}).
     */
    public static final class RateLimitConfig
    {
        /** {@code max_requests} per window per client IP. */
        public int maxRequests;
        /** {@code window_seconds}. */
        public int windowSeconds;
        /** {@code identifier}: the key prefix ({@code api} or {@code websocket_connect}). */
        public String identifier;
        /** {@code trust_hops}: 0 ignores {@code X-Forwarded-For}, n takes the n-th entry from the right. */
        public int trustHops;

        /**
         * Creates a limit.
         *
         * @param maxRequests   requests allowed per window.
         * @param windowSeconds window length in seconds.
         * @param identifier    key prefix.
         */
        public RateLimitConfig(final int maxRequests, final int windowSeconds, final String identifier)
        {
            this.maxRequests = maxRequests;
            this.windowSeconds = windowSeconds;
            this.identifier = identifier;
        }
    }

    /**
     * {@code rate_limiter.enabled}, env {@code RATE_LIMITER_ENABLED}. Concluding with {@code driver = "none"} sets it
     * to false.
     */
    public boolean enabled = true;
    /**
     * {@code rate_limiter.driver}, env {@code RATE_LIMITER_DRIVER}: {@code memory} or {@code none} after conclude
     * ({@code redis} and {@code redis-cluster} are accepted with a warning and replaced by {@code memory}).
     */
    public String driver = "memory";
    /** {@code rate_limiter.api_rate_limit}: the {@code /apps/**} routes. */
    public final RateLimitConfig api = new RateLimitConfig(100, 60, "api");
    /** {@code rate_limiter.websocket_rate_limit}: {@code GET /app/{key}}. */
    public final RateLimitConfig websocket = new RateLimitConfig(20, 60, "websocket_connect");
}
