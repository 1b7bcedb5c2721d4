package io.sockudo.jvm.server.metrics;

import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one reactor: a slot per (app, metric), written only by the owning reactor with release
 * stores and read by the scrape thread. Two extra app slots hold what belongs to no configured app:
 * {@link #systemSlot()} ({@code /up}, rate limits of the HTTP middleware) and {@link #unknownSlot()} (unknown app
 * keys and ids; one label value rather than one per key, so a scan of random keys cannot blow up the series).
 */
public final class ReactorMetrics
{
    /** Established WebSocket sessions. */
    public static final int NEW_CONNECTIONS = 0;
    /** Closed WebSocket sessions. */
    public static final int NEW_DISCONNECTIONS = 1;
    /** Inbound WebSocket messages. */
    public static final int WS_RECEIVED = 2;
    /** Outbound WebSocket frames (a broadcast adds its recipients). */
    public static final int WS_SENT = 3;
    /** Inbound WebSocket message bytes. */
    public static final int SOCKET_RECEIVED_BYTES = 4;
    /** Outbound WebSocket bytes. */
    public static final int SOCKET_TRANSMITTED_BYTES = 5;
    /** HTTP API calls and /up hits. */
    public static final int HTTP_CALLS = 6;
    /** HTTP request body bytes. */
    public static final int HTTP_RECEIVED_BYTES = 7;
    /** HTTP response bytes. */
    public static final int HTTP_TRANSMITTED_BYTES = 8;
    /** Subscriptions by channel type: public, private, presence, private_encrypted, cache (5 slots). */
    public static final int SUBSCRIPTIONS = 9;
    /** Unsubscriptions by channel type (5 slots). */
    public static final int UNSUBSCRIPTIONS = 14;
    /** Connection errors by {@link #ERROR_TYPES} (10 slots). */
    public static final int ERRORS = 19;
    /** Sockets closed because their outbound buffer passed max_backpressure. */
    public static final int SLOW_CONSUMERS = 29;
    /** Rate limit checks by {@link #LIMITERS} (4 slots). */
    public static final int RATE_LIMIT_CHECKS = 30;
    /** Rate limits triggered by {@link #LIMITERS} (4 slots). */
    public static final int RATE_LIMIT_TRIGGERED = 34;
    /** Publishes that carried an idempotency key. */
    public static final int IDEMPOTENCY_PUBLISH = 38;
    /** Publishes answered from the idempotency cache. */
    public static final int IDEMPOTENCY_DUPLICATES = 39;
    /** History rows written. */
    public static final int HISTORY_WRITES = 40;
    /** Channels recovered by resume: hot, cold (2 slots). */
    public static final int RECOVERY_SUCCESS = 41;
    /** Channels that failed to resume, by {@link #RECOVERY_CODES} (4 slots). */
    public static final int RECOVERY_FAILURES = 43;
    /** Versioned-message writes applied, by {@link #VERSION_ACTIONS} (4 slots). */
    public static final int VERSION_MUTATIONS = 47;
    /** Latest-visible substitution results, by {@link #SUBSTITUTION_RESULTS} (3 slots). */
    public static final int SUBSTITUTIONS = 51;
    /** Number of metric slots per app. */
    public static final int METRICS = 54;

    /** Recovery sources in slot order. */
    public static final String[] RECOVERY_SOURCES = {"hot", "cold"};
    /** Recovery failure codes in slot order. */
    public static final String[] RECOVERY_CODES = {"stream_reset", "position_expired", "persistence_unavailable",
        "continuity_unverifiable"};
    /** Version actions in slot order. */
    public static final String[] VERSION_ACTIONS = {"message.create", "message.update", "message.delete",
        "message.append"};
    /** Substitution results in slot order. */
    public static final String[] SUBSTITUTION_RESULTS = {"applied", "missing_latest", "not_versioned"};

    /** Channel type label values, in slot order. */
    public static final String[] CHANNEL_TYPES = {"public", "private", "presence", "private_encrypted", "cache"};
    /** {@code connection_errors_total} error_type label values, in slot order. */
    public static final String[] ERROR_TYPES = {"app_not_found", "app_disabled", "app_validation_failed",
        "origin_not_allowed", "invalid_message_format", "message_parse_error", "missing_event_name",
        "authentication_failed", "authentication_error", "socket_handling_failed"};
    /** Error slot: unknown app key. */
    public static final int ERROR_APP_NOT_FOUND = 0;
    /** Error slot: disabled app. */
    public static final int ERROR_APP_DISABLED = 1;
    /** Error slot: over connection quota. */
    public static final int ERROR_APP_VALIDATION = 2;
    /** Error slot: origin refused. */
    public static final int ERROR_ORIGIN = 3;
    /** Error slot: a frame that is not JSON. */
    public static final int ERROR_INVALID_FORMAT = 4;
    /** Error slot: missing event name. */
    public static final int ERROR_MISSING_EVENT = 6;
    /** Error slot: a refused signature. */
    public static final int ERROR_AUTH_FAILED = 7;
    /** Limiter label values (limiter_type, request_context), in slot order. */
    public static final String[][] LIMITERS = {{"api_rate_limit", "http_api"},
        {"websocket_rate_limit", "websocket_upgrade"}, {"messages", "unknown"}, {"client_events", "unknown"}};
    /** Limiter slot: HTTP API per IP. */
    public static final int LIMITER_API = 0;
    /** Limiter slot: WebSocket upgrades per IP. */
    public static final int LIMITER_WS = 1;
    /** Limiter slot: all messages per socket. */
    public static final int LIMITER_MESSAGES = 2;
    /** Limiter slot: client events per socket. */
    public static final int LIMITER_CLIENT_EVENTS = 3;

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final int apps;
    private final AtomicLongArray counters;
    private final SingleWriterRecorder[] broadcastLatencyMicros;
    private final SingleWriterRecorder httpLatencyMicros = new SingleWriterRecorder(HIGHEST_MICROS, 3);

    /**
     * @param apps number of configured apps
     */
    public ReactorMetrics(final int apps)
    {
        this.apps = apps;
        this.counters = new AtomicLongArray((apps + 2) * METRICS);
        this.broadcastLatencyMicros = new SingleWriterRecorder[apps];
        for (int i = 0; i < apps; i++)
        {
            broadcastLatencyMicros[i] = new SingleWriterRecorder(HIGHEST_MICROS, 3);
        }
    }

    /**
     * Slot for things of no configured app.
     *
     * @return slot index
     */
    public int systemSlot()
    {
        return apps;
    }

    /**
     * Slot for unknown app keys and ids.
     *
     * @return slot index
     */
    public int unknownSlot()
    {
        return apps + 1;
    }

    /**
     * Adds to a counter. Owning reactor only.
     *
     * @param app app slot
     * @param metric metric slot
     * @param delta amount
     */
    public void add(final int app, final int metric, final long delta)
    {
        final int i = app * METRICS + metric;
        counters.lazySet(i, counters.get(i) + delta);
    }

    /**
     * Adds one. Owning reactor only.
     *
     * @param app app slot
     * @param metric metric slot
     */
    public void increment(final int app, final int metric)
    {
        add(app, metric, 1);
    }

    /**
     * Records a broadcast's publish-to-last-local-write time. Owning reactor only.
     *
     * @param app app slot
     * @param nanos elapsed nanoseconds
     */
    public void recordBroadcast(final int app, final long nanos)
    {
        broadcastLatencyMicros[app].recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    /**
     * Records the handling time of one HTTP API request. Owning reactor only.
     *
     * @param nanos elapsed nanoseconds
     */
    public void recordHttp(final long nanos)
    {
        httpLatencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    long get(final int app, final int metric)
    {
        return counters.get(app * METRICS + metric);
    }

    SingleWriterRecorder broadcastRecorder(final int app)
    {
        return broadcastLatencyMicros[app];
    }

    SingleWriterRecorder httpRecorder()
    {
        return httpLatencyMicros;
    }
}
