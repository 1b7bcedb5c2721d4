package io.sockudo.jvm.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The whole server configuration, filled by {@link ConfigLoader} (or by code in tests) and then checked and
 * completed by {@link #conclude()}. Fields are plain and mutable until conclude; after it, treat the object as
 * read-only and share it freely.
 */
public final class ServerContext
{
    /** Largest TCP port. */
    static final int MAX_PORT = 65535;
    /** Largest number of seconds accepted for timeouts, so that milliseconds still fit an {@code int}. */
    static final int MAX_SECONDS = Integer.MAX_VALUE / 1000;
    /** Largest size in KiB, so that bytes still fit an {@code int}. */
    static final int MAX_KB = Integer.MAX_VALUE / 1024;
    /** Largest size in MiB, so that bytes still fit an {@code int}. */
    static final int MAX_MB = Integer.MAX_VALUE / (1024 * 1024);
    /** Largest explicit {@code reactor_threads}. */
    static final int MAX_REACTOR_THREADS = 64; // a channel's reactor set is one 64-bit mask

    /** Id, key and secret of the demo app used when no app is configured. */
    static final String DEMO_APP_ID = "app-id";
    static final String DEMO_APP_KEY = "app-key";
    static final String DEMO_APP_SECRET = "app-secret";

    /** Prefix of the path of the env-bootstrapped app, whose error messages name env vars. */
    static final String ENV_APP_PATH = "SOCKUDO_DEFAULT_APP";

    /** {@code host}, env {@code HOST}: the address the HTTP/WebSocket listener binds. */
    public String host = "0.0.0.0";
    /** {@code port}, env {@code PORT}: 0 binds an ephemeral port (tests). */
    public int port = 6001;
    /** {@code debug}, env {@code DEBUG_MODE}; {@code DEBUG=true} forces it on. */
    public boolean debug;
    /** {@code mode}, env {@code ENVIRONMENT}. */
    public String mode = "production";
    /** {@code activity_timeout} in seconds, env {@code ACTIVITY_TIMEOUT}. */
    public int activityTimeoutSeconds = 120;
    /** {@code user_authentication_timeout} in seconds, env {@code USER_AUTHENTICATION_TIMEOUT}. */
    public int userAuthenticationTimeoutSeconds = 3600;
    /** {@code websocket_max_payload_kb}, env {@code WEBSOCKET_MAX_PAYLOAD_KB}. */
    public int websocketMaxPayloadKb = 64;
    /** {@code shutdown_grace_period} in seconds, env {@code SHUTDOWN_GRACE_PERIOD}; 0 = exit at once. */
    public int shutdownGracePeriodSeconds = 10;
    /** {@code reactor_threads} (this server's extension), env {@code REACTOR_THREADS}; 0 = number of cores. */
    public int reactorThreads = 0;
    /** {@code instance.process_id}, env {@code INSTANCE_PROCESS_ID}; a random UUID when unset. */
    public String instanceProcessId;
    /** {@code app_manager.driver}, env {@code APP_MANAGER_DRIVER}: only {@code memory}. */
    public String appManagerDriver = "memory";
    /** {@code app_manager.array.apps}, plus the {@code SOCKUDO_DEFAULT_APP_*} app; never empty after conclude. */
    public final List<AppConfig> apps = new ArrayList<>();
    /** {@code [metrics]}. */
    public final MetricsConfig metrics = new MetricsConfig();
    /** {@code [rate_limiter]}. */
    public final RateLimiterConfig rateLimiter = new RateLimiterConfig();
    /** {@code [websocket]}. */
    public final WebSocketConfig websocket = new WebSocketConfig();
    /** {@code [connection_recovery]}. */
    public final ConnectionRecoveryConfig connectionRecovery = new ConnectionRecoveryConfig();
    /** {@code [history]}. */
    public final HistoryConfig history = new HistoryConfig();
    /** {@code [versioned_messages]}. */
    public final VersionedMessagesConfig versionedMessages = new VersionedMessagesConfig();
    /** {@code [echo_control]}. */
    public final EchoControlConfig echoControl = new EchoControlConfig();
    /** {@code [ephemeral] enabled}, env {@code EPHEMERAL_ENABLED}: {@code extras.ephemeral} is honoured. */
    public boolean ephemeralEnabled = true;
        /** {@code [idempotency]}. */
    public final IdempotencyConfig idempotency = new IdempotencyConfig();
        /** {@code [http_api]}. */
    public final HttpApiConfig httpApi = new HttpApiConfig();
    /** {@code [queue]}: the webhook job transport. */
    public final QueueConfig queue = new QueueConfig();
    /** {@code [webhooks]}: delivery settings and the defaults of every app webhook. */
    public final WebhooksConfig webhooks = new WebhooksConfig();
    /** {@code [cors]}. */
    public final CorsConfig cors = new CorsConfig();
    /** {@code [event_limits]}: fallbacks for unset app event limits. */
    public final EventLimitsConfig eventLimits = new EventLimitsConfig();
    /** {@code [presence]}: fallbacks for unset app presence limits. */
    public final PresenceConfig presence = new PresenceConfig();
    /** {@code [channel_limits]}. */
    public final ChannelLimitsConfig channelLimits = new ChannelLimitsConfig();
    /**
     * Sockudo sections this server accepts but does not implement yet, raw, by name ({@code adapter},
     * {@code cache}, {@code ssl}, ..., plus {@code app_manager.cache} and
     * {@code app_manager.scylladb} under those dotted names).
     */
    public final Map<String, Object> sections = new LinkedHashMap<>();

    /**
     * The inbound WebSocket message limit in bytes: {@code websocket.max_bytes} when set, otherwise
     * {@code websocket_max_payload_kb * 1024}. Larger messages are refused with close 1009.
     *
     * @return the limit in bytes.
     */
    public int maxWebSocketMessageBytes()
    {
        return websocket.maxBytes > 0 ? websocket.maxBytes : websocketMaxPayloadKb * 1024;
    }

    /**
     * The number of reactor threads to run.
     *
     * @return {@link #reactorThreads} when positive, otherwise the number of available processors.
     */
    public int effectiveReactorThreads()
    {
        return reactorThreads > 0 ? reactorThreads :
            Math.min(MAX_REACTOR_THREADS, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Validates every value and completes the configuration: adds the demo app when there is none, replaces unset
     * (-1) app limits by the server-level fallbacks, compiles namespace patterns, normalises drivers and CORS
     * credentials, and draws a process id. Safe to call more than once.
     *
     * @return this.
     * @throws ConfigException naming the first key whose value is wrong.
     */
    public ServerContext conclude()
    {
        return conclude(new ConfigWarnings());
    }

    ServerContext conclude(final ConfigWarnings warnings)
    {
        if (null == host || host.isBlank())
        {
            throw ConfigSection.expected("host", "a non-empty host name or address", host);
        }
        range("port", port, 0, MAX_PORT);
        if (null == mode)
        {
            mode = "production";
        }
        range("activity_timeout", activityTimeoutSeconds, 1, MAX_SECONDS);
        range("user_authentication_timeout", userAuthenticationTimeoutSeconds, 1, MAX_SECONDS);
        range("websocket_max_payload_kb", websocketMaxPayloadKb, 1, MAX_KB);
        range("shutdown_grace_period", shutdownGracePeriodSeconds, 0, MAX_SECONDS);
        range("reactor_threads", reactorThreads, 0, MAX_REACTOR_THREADS);
        if (null == instanceProcessId || instanceProcessId.isBlank())
        {
            instanceProcessId = UUID.randomUUID().toString();
        }
        appManagerDriver = checkAppManagerDriver("app_manager.driver", appManagerDriver);

        concludeMetrics();
        concludeRateLimiter(warnings);
        concludeWebSocket();
        range("http_api.request_limit_in_mb", httpApi.requestLimitInMb, 1, MAX_MB);
        concludeCors(warnings);
        range("event_limits.max_channels_at_once", eventLimits.maxChannelsAtOnce, 1, Integer.MAX_VALUE);
        range("event_limits.max_name_length", eventLimits.maxNameLength, 1, Integer.MAX_VALUE);
        range("event_limits.max_payload_in_kb", eventLimits.maxPayloadInKb, 1, MAX_KB);
        range("event_limits.max_batch_size", eventLimits.maxBatchSize, 1, Integer.MAX_VALUE);
        range("presence.max_members_per_channel", presence.maxMembersPerChannel, 1, Integer.MAX_VALUE);
        range("presence.max_member_size_in_kb", presence.maxMemberSizeInKb, 1, MAX_KB);
        range("channel_limits.max_name_length", channelLimits.maxNameLength, 1, Integer.MAX_VALUE);
        range("channel_limits.cache_ttl", channelLimits.cacheTtlSeconds, 0, Integer.MAX_VALUE);
        concludeQueueAndWebhooks();
        concludeSections();
        concludeApps(warnings);
        return this;
    }

    private void concludeMetrics()
    {
        metrics.driver = checkMetricsDriver("metrics.driver", metrics.driver);
        if (null == metrics.host || metrics.host.isBlank())
        {
            throw ConfigSection.expected("metrics.host", "a non-empty host name or address", metrics.host);
        }
        range("metrics.port", metrics.port, 0, MAX_PORT);
        if (null == metrics.prometheusPrefix)
        {
            metrics.prometheusPrefix = "";
        }
    }

    private void concludeRateLimiter(final ConfigWarnings warnings)
    {
        rateLimiter.driver = normaliseRateLimiterDriver("rate_limiter.driver", rateLimiter.driver, warnings);
        if ("none".equals(rateLimiter.driver))
        {
            rateLimiter.enabled = false;
        }
        concludeLimit("rate_limiter.api_rate_limit", rateLimiter.api);
        concludeLimit("rate_limiter.websocket_rate_limit", rateLimiter.websocket);
    }

    private static void concludeLimit(final String key, final RateLimiterConfig.RateLimitConfig limit)
    {
        range(key + ".max_requests", limit.maxRequests, 1, Integer.MAX_VALUE);
        range(key + ".window_seconds", limit.windowSeconds, 1, MAX_SECONDS);
        range(key + ".trust_hops", limit.trustHops, 0, Integer.MAX_VALUE);
        if (null == limit.identifier || limit.identifier.isEmpty())
        {
            throw ConfigSection.expected(key + ".identifier", "a non-empty string", limit.identifier);
        }
    }

    private void concludeWebSocket()
    {
        range("websocket.max_messages", websocket.maxMessages, 0, Integer.MAX_VALUE);
        range("websocket.max_bytes", websocket.maxBytes, 0, Integer.MAX_VALUE);
        range("websocket.max_message_size", websocket.maxMessageSize, 1, Integer.MAX_VALUE);
        range("websocket.max_frame_size", websocket.maxFrameSize, 1, Integer.MAX_VALUE);
        range("websocket.write_buffer_size", websocket.writeBufferSize, 1, Integer.MAX_VALUE);
        range("websocket.max_backpressure", websocket.maxBackpressure, 1, Integer.MAX_VALUE);
        range("websocket.ping_interval", websocket.pingIntervalSeconds, 1, MAX_SECONDS);
        range("websocket.idle_timeout", websocket.idleTimeoutSeconds, 0, MAX_SECONDS);
        websocket.compression = checkCompression("websocket.compression", websocket.compression);
    }

    private void concludeCors(final ConfigWarnings warnings)
    {
        cors.origin = null == cors.origin ? List.of() : List.copyOf(cors.origin);
        cors.methods = null == cors.methods ? List.of() : List.copyOf(cors.methods);
        cors.allowedHeaders = null == cors.allowedHeaders ? List.of() : List.copyOf(cors.allowedHeaders);
        OriginPatterns.validate("cors.origin", cors.origin);
        OriginPatterns.validateTokens("cors.methods", cors.methods);
        OriginPatterns.validateTokens("cors.allowed_headers", cors.allowedHeaders);
        if (cors.origin.isEmpty())
        {
            if (cors.credentials)
            {
                warnings.warn("cors.origin is empty: no cross-origin request is allowed and credentials are off");
            }
            cors.credentials = false;
        }
        else if (OriginPatterns.allowsAny(cors.origin))
        {
            cors.credentials = false;
        }
    }

    private void concludeQueueAndWebhooks()
    {
        queue.driver = checkQueueDriver("queue.driver", queue.driver);
        final int max = Integer.MAX_VALUE;
        range("webhooks.request_timeout_ms", webhooks.requestTimeoutMs, 1, max);
        range("webhooks.removal_delay_ms", webhooks.removalDelayMs, 0, max);
        range("webhooks.batching.duration", webhooks.batchingDurationMs, 1, max);
        range("webhooks.batching.size", webhooks.batchingSize, 1, max);
        range("webhooks.retry.max_attempts", webhooks.retry.maxAttempts, 0, max);
        range("webhooks.retry.max_elapsed_time_ms", webhooks.retry.maxElapsedTimeMs, 0, max);
        range("webhooks.retry.initial_backoff_ms", webhooks.retry.initialBackoffMs, 1, max);
        range("webhooks.retry.max_backoff_ms", webhooks.retry.maxBackoffMs, 1, max);
    }

    private void concludeSections()
    {
        if (isEnabled("ssl"))
        {
            throw new ConfigException("ssl.enabled: TLS is not supported by this server yet; " +
                "terminate TLS in a reverse proxy and set ssl.enabled = false");
        }
        if (isEnabled("unix_socket"))
        {
            throw new ConfigException("unix_socket.enabled: unix sockets are not supported by this server yet; " +
                "set unix_socket.enabled = false");
        }
        history.backend = storageBackend("history.backend", history.backend);
        versionedMessages.driver = storageBackend("versioned_messages.driver", versionedMessages.driver);
        if (history.purgeIntervalSeconds < 10)
        {
            history.purgeIntervalSeconds = 10;
        }
        if (isEnabled("annotations") && !versionedMessages.enabled)
        {
            throw new ConfigException("annotations.enabled: requires versioned_messages.enabled = true");
        }
    }

    private static String storageBackend(final String key, final String value)
    {
        final String name = value.trim().toLowerCase(java.util.Locale.ROOT);
        if ("log".equals(name) || "memory".equals(name))
        {
            return name;
        }
        throw new ConfigException(key + ": '" + value + "' is not supported by this server; use \"log\" (the " +
            "durable event log on local disk) or \"memory\"");
    }

    private boolean isEnabled(final String section)
    {
        final Object table = sections.get(section);
        if (!(table instanceof Map))
        {
            return false;
        }
        final Object enabled = ((Map<?, ?>)table).get("enabled");
        if (null == enabled)
        {
            return false;
        }
        if (!(enabled instanceof Boolean))
        {
            throw ConfigSection.expected(section + ".enabled", "a boolean", enabled);
        }
        return (Boolean)enabled;
    }

    private void concludeApps(final ConfigWarnings warnings)
    {
        if (apps.isEmpty())
        {
            apps.add(demoApp());
            warnings.warn("no apps configured: using the demo app (id '" + DEMO_APP_ID + "', key '" + DEMO_APP_KEY +
                "', secret '" + DEMO_APP_SECRET + "'); configure [[app_manager.array.apps]] or " +
                "SOCKUDO_DEFAULT_APP_* before exposing this server");
        }
        final Set<String> ids = new HashSet<>();
        final Set<String> keys = new HashSet<>();
        for (int i = 0; i < apps.size(); i++)
        {
            final AppConfig app = apps.get(i);
            if (null == app)
            {
                throw new ConfigException("apps[" + i + "]: is null");
            }
            final String base = null != app.path ? app.path : "apps[" + i + "]";
            nonEmpty(fieldKey(base, "id"), app.id);
            nonEmpty(fieldKey(base, "key"), app.key);
            nonEmpty(fieldKey(base, "secret"), app.secret);
            if (!ids.add(app.id))
            {
                throw new ConfigException(fieldKey(base, "id") + ": duplicate app id \"" + app.id + "\"");
            }
            if (!keys.add(app.key))
            {
                throw new ConfigException(fieldKey(base, "key") + ": duplicate app key \"" + app.key + "\"");
            }
            concludeAppLimits(app, null != app.limitsPath ? app.limitsPath : base);
            concludeAppChannels(app, null != app.channelsPath ? app.channelsPath : base);
            app.webhooks = null == app.webhooks ? List.of() : app.webhooks;
            app.extra = null == app.extra ? Map.of() : app.extra;
        }
    }

    private void concludeAppLimits(final AppConfig app, final String limits)
    {
        final int max = Integer.MAX_VALUE;
        range(fieldKey(limits, "max_connections"), app.maxConnections, 0, max);
        range(fieldKey(limits, "max_client_events_per_second"), app.maxClientEventsPerSecond, 0, max);
        range(fieldKey(limits, "decay_seconds"), app.decaySeconds, 1, max);
        range(fieldKey(limits, "message_rate_limit.max_attempts"), app.messageRateLimitMaxAttempts, 1, max);
        range(fieldKey(limits, "message_rate_limit.decay_seconds"), app.messageRateLimitDecaySeconds, 1, max);
        range(fieldKey(limits, "max_backend_events_per_second"), app.maxBackendEventsPerSecond, -1, max);
        range(fieldKey(limits, "max_read_requests_per_second"), app.maxReadRequestsPerSecond, -1, max);
        app.maxPresenceMembersPerChannel = fallback(
            fieldKey(limits, "max_presence_members_per_channel"), app.maxPresenceMembersPerChannel,
            presence.maxMembersPerChannel, max);
        app.maxPresenceMemberSizeInKb = fallback(
            fieldKey(limits, "max_presence_member_size_in_kb"), app.maxPresenceMemberSizeInKb,
            presence.maxMemberSizeInKb, MAX_KB);
        app.maxChannelNameLength = fallback(
            fieldKey(limits, "max_channel_name_length"), app.maxChannelNameLength, channelLimits.maxNameLength, max);
        app.maxEventChannelsAtOnce = fallback(
            fieldKey(limits, "max_event_channels_at_once"), app.maxEventChannelsAtOnce,
            eventLimits.maxChannelsAtOnce, max);
        app.maxEventNameLength = fallback(
            fieldKey(limits, "max_event_name_length"), app.maxEventNameLength, eventLimits.maxNameLength, max);
        app.maxEventPayloadInKb = fallback(
            fieldKey(limits, "max_event_payload_in_kb"), app.maxEventPayloadInKb, eventLimits.maxPayloadInKb, MAX_KB);
        app.maxEventBatchSize = fallback(
            fieldKey(limits, "max_event_batch_size"), app.maxEventBatchSize, eventLimits.maxBatchSize, max);
    }

    private static void concludeAppChannels(final AppConfig app, final String channels)
    {
        app.allowedOrigins = null == app.allowedOrigins ? List.of() : List.copyOf(app.allowedOrigins);
        OriginPatterns.validate(fieldKey(channels, "allowed_origins"), app.allowedOrigins);
        if (null == app.channelNamespaces)
        {
            app.channelNamespaces = List.of();
        }
        final Set<String> names = new HashSet<>();
        for (int j = 0; j < app.channelNamespaces.size(); j++)
        {
            final NamespaceConfig namespace = app.channelNamespaces.get(j);
            final String path = null != namespace.path ?
                namespace.path : fieldKey(channels, "channel_namespaces") + "[" + j + "]";
            if (null == namespace.name || namespace.name.isEmpty() || namespace.name.indexOf(':') >= 0)
            {
                throw ConfigSection.expected(path + ".name", "a non-empty namespace name without ':'", namespace.name);
            }
            if (!names.add(namespace.name))
            {
                throw new ConfigException(path + ".name: duplicate namespace name \"" + namespace.name + "\"");
            }
            if (0 != namespace.maxChannelNameLength)
            {
                range(path + ".max_channel_name_length", namespace.maxChannelNameLength, 1, Integer.MAX_VALUE);
            }
            if (null == namespace.channelNamePattern)
            {
                namespace.compiledPattern = null;
            }
            else
            {
                try
                {
                    namespace.compiledPattern = Pattern.compile(namespace.channelNamePattern);
                }
                catch (final PatternSyntaxException ex)
                {
                    throw new ConfigException(path + ".channel_name_pattern: invalid regular expression " +
                        ConfigSection.describe(namespace.channelNamePattern) + ": " + ex.getDescription() +
                        " near index " + ex.getIndex());
                }
            }
            if (null == namespace.extra)
            {
                namespace.extra = Map.of();
            }
        }
    }

    private static int fallback(final String key, final int value, final int fallback, final int max)
    {
        if (-1 == value)
        {
            return fallback;
        }
        range(key, value, 1, max);
        return value;
    }

    private static AppConfig demoApp()
    {
        final AppConfig app = new AppConfig();
        app.id = DEMO_APP_ID;
        app.key = DEMO_APP_KEY;
        app.secret = DEMO_APP_SECRET;
        app.enabled = true;
        app.enableClientMessages = true;
        app.enableUserAuthentication = false;
        app.path = "demo app";
        return app;
    }

    /** {@code base.field}, or the {@code SOCKUDO_DEFAULT_APP_FIELD} env var name for the env app. */
    static String fieldKey(final String base, final String field)
    {
        if (base.startsWith(ENV_APP_PATH))
        {
            return ENV_APP_PATH + "_" + field.replace('.', '_').toUpperCase(Locale.ROOT);
        }
        return base + "." + field;
    }

    static void range(final String key, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw ConfigSection.expected(key, ConfigSection.integerRange(min, max), value);
        }
    }

    private static void nonEmpty(final String key, final String value)
    {
        if (null == value || value.isEmpty())
        {
            throw ConfigSection.expected(key, "a non-empty string", value);
        }
    }

    static String checkAppManagerDriver(final String key, final String value)
    {
        if (null != value && "memory".equalsIgnoreCase(value.trim()))
        {
            return "memory";
        }
        throw new ConfigException(key + ": only \"memory\" is supported by this server, got " +
            ConfigSection.describe(value));
    }

    static String checkQueueDriver(final String key, final String value)
    {
        final String driver = null == value ? "" : value.trim().toLowerCase(Locale.ROOT);
        if ("memory".equals(driver) || "none".equals(driver))
        {
            return driver;
        }
        throw new ConfigException(key + ": only \"memory\" and \"none\" are supported by this server, got " +
            ConfigSection.describe(value));
    }

    static String checkMetricsDriver(final String key, final String value)
    {
        if (null != value && "prometheus".equalsIgnoreCase(value.trim()))
        {
            return "prometheus";
        }
        throw new ConfigException(key + ": only \"prometheus\" is supported, got " + ConfigSection.describe(value));
    }

    static String checkCompression(final String key, final String value)
    {
        if (null != value && "disabled".equalsIgnoreCase(value.trim()))
        {
            return "disabled";
        }
        throw new ConfigException(key + ": permessage-deflate is not supported by this server; only \"disabled\" " +
            "is accepted, got " + ConfigSection.describe(value));
    }

    static String normaliseRateLimiterDriver(final String key, final String value, final ConfigWarnings warnings)
    {
        final String driver = null == value ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (driver)
        {
            case "memory":
            case "none":
                return driver;
            case "redis":
            case "redis-cluster":
            case "redis_cluster":
                warnings.warn(key + ": driver \"" + driver + "\" is not supported by this server yet; " +
                    "using \"memory\" (limits are per node)");
                return "memory";
            default:
                throw new ConfigException(key + ": expected one of \"memory\", \"none\", \"redis\", " +
                    "\"redis-cluster\" but was " + ConfigSection.describe(value));
        }
    }
}
