package io.sockudo.jvm.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies environment variables on top of the file configuration. Env has the highest priority. A malformed value is
 * a {@link ConfigException} naming the variable (4.4.0 warns and keeps the old value instead).
 */
final class EnvOverrides
{
    private static final int MAX = Integer.MAX_VALUE;

    private final Map<String, String> env;
    private final ConfigWarnings warnings;

    EnvOverrides(final Map<String, String> env, final ConfigWarnings warnings)
    {
        this.env = null == env ? Map.of() : env;
        this.warnings = warnings;
    }

    void apply(final ServerContext context)
    {
        applyCore(context);
        applyMetrics(context.metrics);
        applyRateLimiter(context.rateLimiter);
        applyWebSocket(context.websocket);
        applyCors(context.cors);
        applyQueueAndWebhooks(context);
        context.httpApi.usageEnabled = bool("HTTP_API_USAGE_ENABLED", context.httpApi.usageEnabled);
        context.connectionRecovery.enabled = bool("CONNECTION_RECOVERY_ENABLED", context.connectionRecovery.enabled);
        context.connectionRecovery.bufferTtlSeconds = integer("CONNECTION_RECOVERY_BUFFER_TTL",
            context.connectionRecovery.bufferTtlSeconds, 1, ServerContext.MAX_SECONDS);
        context.connectionRecovery.maxBufferSize = integer("CONNECTION_RECOVERY_MAX_BUFFER_SIZE",
            context.connectionRecovery.maxBufferSize, 1, 1_000_000);
        applyHistory(context.history, context.versionedMessages);
        context.echoControl.enabled = bool("ECHO_CONTROL_ENABLED", context.echoControl.enabled);
        context.echoControl.defaultEchoMessages = bool("ECHO_CONTROL_DEFAULT_ECHO_MESSAGES",
            context.echoControl.defaultEchoMessages);
        context.ephemeralEnabled = bool("EPHEMERAL_ENABLED", context.ephemeralEnabled);
        context.idempotency.enabled = bool("IDEMPOTENCY_ENABLED", context.idempotency.enabled);
        context.idempotency.ttlSeconds = integer("IDEMPOTENCY_TTL_SECONDS", context.idempotency.ttlSeconds,
            1, ServerContext.MAX_SECONDS);
        context.idempotency.maxKeyLength = integer("IDEMPOTENCY_MAX_KEY_LENGTH", context.idempotency.maxKeyLength,
            1, 65536);
        context.channelLimits.cacheTtlSeconds = integer("CACHE_TTL_SECONDS", context.channelLimits.cacheTtlSeconds,
            0, MAX);
        applyUnsupportedSwitch(context, "SSL_ENABLED", "ssl", "TLS is not supported by this server yet");
        applyUnsupportedSwitch(context, "UNIX_SOCKET_ENABLED", "unix_socket",
            "unix sockets are not supported by this server yet");
        applySectionFlag(context, "ANNOTATIONS_ENABLED", "annotations");
        applyDefaultApp(context);
    }

    /** A boolean env var that sets {@code enabled} of a section kept raw in {@link ServerContext#sections}. */
    @SuppressWarnings("unchecked")
    private void applySectionFlag(final ServerContext context, final String name, final String section)
    {
        if (null == env.get(name))
        {
            return;
        }
        final Object existing = context.sections.get(section);
        final Map<String, Object> table = existing instanceof Map ?
            new LinkedHashMap<>((Map<String, Object>)existing) : new LinkedHashMap<>();
        table.put("enabled", bool(name, false));
        context.sections.put(section, table);
    }

    private void applyCore(final ServerContext context)
    {
        final String mode = env.get("ENVIRONMENT");
        if (null != mode)
        {
            context.mode = mode;
        }
        context.debug = bool("DEBUG_MODE", context.debug);
        if (bool("DEBUG", false))
        {
            context.debug = true;
        }
        final String host = env.get("HOST");
        if (null != host)
        {
            if (host.isBlank())
            {
                throw ConfigSection.expected("HOST", "a non-empty host name or address", host);
            }
            context.host = host.trim();
        }
        context.port = integer("PORT", context.port, 0, ServerContext.MAX_PORT);
        context.activityTimeoutSeconds = integer("ACTIVITY_TIMEOUT", context.activityTimeoutSeconds,
            1, ServerContext.MAX_SECONDS);
        context.shutdownGracePeriodSeconds = integer("SHUTDOWN_GRACE_PERIOD", context.shutdownGracePeriodSeconds,
            0, ServerContext.MAX_SECONDS);
        context.userAuthenticationTimeoutSeconds = integer("USER_AUTHENTICATION_TIMEOUT",
            context.userAuthenticationTimeoutSeconds, 1, ServerContext.MAX_SECONDS);
        context.websocketMaxPayloadKb = integer("WEBSOCKET_MAX_PAYLOAD_KB", context.websocketMaxPayloadKb,
            1, ServerContext.MAX_KB);
        context.reactorThreads = integer("REACTOR_THREADS", context.reactorThreads,
            0, ServerContext.MAX_REACTOR_THREADS);
        final String processId = env.get("INSTANCE_PROCESS_ID");
        if (null != processId && !processId.isBlank())
        {
            context.instanceProcessId = processId.trim();
        }
        final String driver = env.get("APP_MANAGER_DRIVER");
        if (null != driver)
        {
            context.appManagerDriver = ServerContext.checkAppManagerDriver("APP_MANAGER_DRIVER", driver);
        }
    }

    private void applyMetrics(final MetricsConfig metrics)
    {
        metrics.enabled = bool("METRICS_ENABLED", metrics.enabled);
        final String driver = env.get("METRICS_DRIVER");
        if (null != driver)
        {
            metrics.driver = ServerContext.checkMetricsDriver("METRICS_DRIVER", driver);
        }
        final String host = env.get("METRICS_HOST");
        if (null != host)
        {
            if (host.isBlank())
            {
                throw ConfigSection.expected("METRICS_HOST", "a non-empty host name or address", host);
            }
            metrics.host = host.trim();
        }
        metrics.port = integer("METRICS_PORT", metrics.port, 0, ServerContext.MAX_PORT);
        final String prefix = env.get("METRICS_PROMETHEUS_PREFIX");
        if (null != prefix)
        {
            metrics.prometheusPrefix = prefix;
        }
    }

    private void applyRateLimiter(final RateLimiterConfig rateLimiter)
    {
        rateLimiter.enabled = bool("RATE_LIMITER_ENABLED", rateLimiter.enabled);
        final String driver = env.get("RATE_LIMITER_DRIVER");
        if (null != driver)
        {
            rateLimiter.driver = ServerContext.normaliseRateLimiterDriver("RATE_LIMITER_DRIVER", driver, warnings);
        }
        rateLimiter.api.maxRequests = integer("RATE_LIMITER_API_MAX_REQUESTS", rateLimiter.api.maxRequests, 1, MAX);
        rateLimiter.api.windowSeconds = integer("RATE_LIMITER_API_WINDOW_SECONDS", rateLimiter.api.windowSeconds,
            1, ServerContext.MAX_SECONDS);
        rateLimiter.api.trustHops = integer("RATE_LIMITER_API_TRUST_HOPS", rateLimiter.api.trustHops, 0, MAX);
        rateLimiter.websocket.maxRequests = integer("RATE_LIMITER_WS_MAX_REQUESTS",
            rateLimiter.websocket.maxRequests, 1, MAX);
        rateLimiter.websocket.windowSeconds = integer("RATE_LIMITER_WS_WINDOW_SECONDS",
            rateLimiter.websocket.windowSeconds, 1, ServerContext.MAX_SECONDS);
    }

    private void applyWebSocket(final WebSocketConfig websocket)
    {
        websocket.maxMessages = optionalInteger("WEBSOCKET_MAX_MESSAGES", websocket.maxMessages);
        websocket.maxBytes = optionalInteger("WEBSOCKET_MAX_BYTES", websocket.maxBytes);
        websocket.disconnectOnBufferFull = bool("WEBSOCKET_DISCONNECT_ON_BUFFER_FULL",
            websocket.disconnectOnBufferFull);
        websocket.maxMessageSize = integer("WEBSOCKET_MAX_MESSAGE_SIZE", websocket.maxMessageSize, 1, MAX);
        websocket.maxFrameSize = integer("WEBSOCKET_MAX_FRAME_SIZE", websocket.maxFrameSize, 1, MAX);
        websocket.writeBufferSize = integer("WEBSOCKET_WRITE_BUFFER_SIZE", websocket.writeBufferSize, 1, MAX);
        websocket.maxBackpressure = integer("WEBSOCKET_MAX_BACKPRESSURE", websocket.maxBackpressure, 1, MAX);
        websocket.autoPing = bool("WEBSOCKET_AUTO_PING", websocket.autoPing);
        websocket.pingIntervalSeconds = integer("WEBSOCKET_PING_INTERVAL", websocket.pingIntervalSeconds,
            1, ServerContext.MAX_SECONDS);
        websocket.idleTimeoutSeconds = integer("WEBSOCKET_IDLE_TIMEOUT", websocket.idleTimeoutSeconds,
            0, ServerContext.MAX_SECONDS);
        final String compression = env.get("WEBSOCKET_COMPRESSION");
        if (null != compression)
        {
            websocket.compression = ServerContext.checkCompression("WEBSOCKET_COMPRESSION", compression);
        }
    }

    private void applyQueueAndWebhooks(final ServerContext context)
    {
        final String driver = env.get("QUEUE_DRIVER");
        if (null != driver)
        {
            context.queue.driver = ServerContext.checkQueueDriver("QUEUE_DRIVER", driver);
        }
        final WebhooksConfig webhooks = context.webhooks;
        webhooks.batchingEnabled = bool("WEBHOOK_BATCHING_ENABLED", webhooks.batchingEnabled);
        webhooks.batchingDurationMs = integer("WEBHOOK_BATCHING_DURATION", webhooks.batchingDurationMs, 1, MAX);
        webhooks.batchingSize = integer("WEBHOOK_BATCHING_SIZE", webhooks.batchingSize, 1, MAX);
    }

    private void applyCors(final CorsConfig cors)
    {
        final List<String> origins = list("CORS_ORIGINS");
        if (null != origins)
        {
            OriginPatterns.validate("CORS_ORIGINS", origins);
            cors.origin = origins;
        }
        final List<String> methods = list("CORS_METHODS");
        if (null != methods)
        {
            OriginPatterns.validateTokens("CORS_METHODS", methods);
            cors.methods = methods;
        }
        final List<String> headers = list("CORS_HEADERS");
        if (null != headers)
        {
            OriginPatterns.validateTokens("CORS_HEADERS", headers);
            cors.allowedHeaders = headers;
        }
        cors.credentials = bool("CORS_CREDENTIALS", cors.credentials);
    }

    @SuppressWarnings("unchecked")
    private void applyUnsupportedSwitch(
        final ServerContext context, final String name, final String section, final String reason)
    {
        final String value = env.get(name);
        if (null == value)
        {
            return;
        }
        final boolean enabled = bool(name, false);
        if (enabled)
        {
            throw new ConfigException(name + ": " + reason);
        }
        final Object existing = context.sections.get(section);
        final Map<String, Object> table = existing instanceof Map ?
            new LinkedHashMap<>((Map<String, Object>)existing) : new LinkedHashMap<>();
        table.put("enabled", Boolean.FALSE);
        context.sections.put(section, table);
    }

    private void applyDefaultApp(final ServerContext context)
    {
        final String id = env.get("SOCKUDO_DEFAULT_APP_ID");
        final String key = env.get("SOCKUDO_DEFAULT_APP_KEY");
        final String secret = env.get("SOCKUDO_DEFAULT_APP_SECRET");
        final boolean enabled = bool("SOCKUDO_DEFAULT_APP_ENABLED", true);
        if (null == id || null == key || null == secret)
        {
            if (null != id || null != key || null != secret)
            {
                warnings.warn("SOCKUDO_DEFAULT_APP_ID, SOCKUDO_DEFAULT_APP_KEY and SOCKUDO_DEFAULT_APP_SECRET must " +
                    "all be set; no default app registered");
            }
            return;
        }
        if (!enabled)
        {
            warnings.info("default app registration disabled by SOCKUDO_DEFAULT_APP_ENABLED=false");
            return;
        }
        final String prefix = "SOCKUDO_DEFAULT_APP_";
        final AppConfig app = new AppConfig();
        app.path = ServerContext.ENV_APP_PATH;
        app.limitsPath = ServerContext.ENV_APP_PATH;
        app.channelsPath = ServerContext.ENV_APP_PATH;
        app.id = id;
        app.key = key;
        app.secret = secret;
        app.enabled = true;
        app.maxConnections = integer(prefix + "MAX_CONNECTIONS", 100, 0, MAX);
        app.maxBackendEventsPerSecond = integer(prefix + "MAX_BACKEND_EVENTS_PER_SECOND", 100, 0, MAX);
        app.maxClientEventsPerSecond = integer(prefix + "MAX_CLIENT_EVENTS_PER_SECOND", 100, 0, MAX);
        app.maxReadRequestsPerSecond = integer(prefix + "MAX_READ_REQUESTS_PER_SECOND", 100, 0, MAX);
        app.maxPresenceMembersPerChannel = integer(prefix + "MAX_PRESENCE_MEMBERS_PER_CHANNEL", 100, 1, MAX);
        app.maxPresenceMemberSizeInKb = integer(prefix + "MAX_PRESENCE_MEMBER_SIZE_IN_KB", 100,
            1, ServerContext.MAX_KB);
        app.maxChannelNameLength = integer(prefix + "MAX_CHANNEL_NAME_LENGTH", 100, 1, MAX);
        app.maxEventChannelsAtOnce = integer(prefix + "MAX_EVENT_CHANNELS_AT_ONCE", 100, 1, MAX);
        app.maxEventNameLength = integer(prefix + "MAX_EVENT_NAME_LENGTH", 100, 1, MAX);
        app.maxEventPayloadInKb = integer(prefix + "MAX_EVENT_PAYLOAD_IN_KB", 100, 1, ServerContext.MAX_KB);
        app.maxEventBatchSize = integer(prefix + "MAX_EVENT_BATCH_SIZE", 100, 1, MAX);
        final String clientMessages = prefix + "ENABLE_CLIENT_MESSAGES";
        app.enableClientMessages = env.containsKey(clientMessages) ?
            bool(clientMessages, false) : bool("SOCKUDO_ENABLE_CLIENT_MESSAGES", false);
        app.enableUserAuthentication = bool(prefix + "ENABLE_USER_AUTHENTICATION", false);
        app.enableWatchlistEvents = bool(prefix + "ENABLE_WATCHLIST_EVENTS", false);
        app.annotationsEnabled = bool(prefix + "ANNOTATIONS_ENABLED", false);
        final List<String> origins = list(prefix + "ALLOWED_ORIGINS");
        if (null != origins)
        {
            OriginPatterns.validate(prefix + "ALLOWED_ORIGINS", origins);
            app.allowedOrigins = origins;
        }

        for (int i = 0; i < context.apps.size(); i++)
        {
            if (id.equals(context.apps.get(i).id))
            {
                warnings.info("SOCKUDO_DEFAULT_APP_ID '" + id + "' replaces the configured app with that id");
                context.apps.set(i, app);
                return;
            }
        }
        context.apps.add(app);
    }

    private boolean bool(final String name, final boolean current)
    {
        final String value = env.get(name);
        if (null == value)
        {
            return current;
        }
        switch (value.trim().toLowerCase(Locale.ROOT))
        {
            case "true":
            case "1":
            case "yes":
            case "on":
                return true;
            case "false":
            case "0":
            case "no":
            case "off":
                return false;
            default:
                throw ConfigSection.expected(name, "a boolean (true/false, 1/0, yes/no, on/off)", value);
        }
    }

    private int integer(final String name, final int current, final int min, final int max)
    {
        final String value = env.get(name);
        if (null == value)
        {
            return current;
        }
        final long number;
        try
        {
            number = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw ConfigSection.expected(name, ConfigSection.integerRange(min, max), value);
        }
        if (number < min || number > max)
        {
            throw ConfigSection.expected(name, ConfigSection.integerRange(min, max), value);
        }
        return (int)number;
    }

    /** An integer where {@code none} (or 0) means unset, returned as 0. */
    private int optionalInteger(final String name, final int current)
    {
        final String value = env.get(name);
        if (null != value && "none".equalsIgnoreCase(value.trim()))
        {
            return 0;
        }
        return integer(name, current, 0, MAX);
    }

    /** A comma-separated list, trimmed, empty entries dropped; null when the variable is not set. */
    private List<String> list(final String name)
    {
        final String value = env.get(name);
        if (null == value)
        {
            return null;
        }
        final List<String> result = new ArrayList<>();
        for (final String part : value.split(","))
        {
            final String item = part.trim();
            if (!item.isEmpty())
            {
                result.add(item);
            }
        }
        return List.copyOf(result);
    }

    private void applyHistory(final HistoryConfig history, final VersionedMessagesConfig versioned)
    {
        history.enabled = bool("HISTORY_ENABLED", history.enabled);
        history.rewindEnabled = bool("HISTORY_REWIND_ENABLED", history.rewindEnabled);
        final String backend = env.get("HISTORY_BACKEND");
        if (null != backend)
        {
            history.backend = backend;
        }
        history.retentionWindowSeconds = integer("HISTORY_RETENTION_WINDOW_SECONDS",
            (int)history.retentionWindowSeconds, 0, MAX);
        history.maxPageSize = integer("HISTORY_MAX_PAGE_SIZE", history.maxPageSize, 1, 100_000);
        history.maxMessagesPerChannel = integer("HISTORY_MAX_MESSAGES_PER_CHANNEL", (int)history.maxMessagesPerChannel,
            0, MAX);
        history.maxBytesPerChannel = integer("HISTORY_MAX_BYTES_PER_CHANNEL", (int)history.maxBytesPerChannel, 0, MAX);
        history.purgeIntervalSeconds = integer("HISTORY_PURGE_INTERVAL_SECONDS", history.purgeIntervalSeconds, 1, MAX);
        final String directory = env.get("HISTORY_LOG_DIRECTORY");
        if (null != directory)
        {
            history.logDirectory = directory;
        }
        final String rollCycle = env.get("HISTORY_LOG_ROLL_CYCLE");
        if (null != rollCycle)
        {
            history.logRollCycle = rollCycle;
        }
        versioned.enabled = bool("VERSIONED_MESSAGES_ENABLED", versioned.enabled);
        final String driver = env.get("VERSIONED_MESSAGES_DRIVER");
        if (null != driver)
        {
            versioned.driver = driver;
        }
        versioned.maxPageSize = integer("VERSIONED_MESSAGES_MAX_PAGE_SIZE", versioned.maxPageSize, 1, 100_000);
        versioned.retentionWindowSeconds = integer("VERSIONED_MESSAGES_RETENTION_WINDOW_SECONDS",
            (int)versioned.retentionWindowSeconds, 0, MAX);
    }
}
