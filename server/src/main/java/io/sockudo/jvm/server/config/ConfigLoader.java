package io.sockudo.jvm.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Builds the {@link ServerContext} at start-up: the TOML file (Sockudo 4.4.0's {@code config.toml} keys), then the
 * environment, then {@link ServerContext#conclude()}. Every problem is a {@link ConfigException}; unknown keys are
 * logged as warnings and ignored.
 */
public final class ConfigLoader
{
    /** Sections of Sockudo 4.4.0 that are accepted and kept raw in {@link ServerContext#sections}. */
    static final String[] RAW_SECTIONS =
    {
        "adapter", "cache", "ssl", "cleanup",
        "presence_history", "annotations", "delta_compression", "tag_filtering",
        "event_name_filtering", "unix_socket", "logging", "database",
        "database_pooling", "cluster_health"
    };

    private ConfigLoader()
    {
    }

    /**
     * Full start-up load. Reads {@code --config FILE} / {@code -c FILE} (or {@code --config=FILE}) when given,
     * otherwise {@code ./config/config.toml} when it exists, otherwise the built-in defaults; then applies the
     * environment and concludes. A missing or unparseable file is an error, never a silent fallback.
     *
     * @param args command-line arguments.
     * @param env  environment variables, usually {@code System.getenv()}.
     * @return the concluded configuration.
     * @throws ConfigException on any configuration problem.
     */
    public static ServerContext load(final String[] args, final Map<String, String> env)
    {
        return load(args, env, Path.of(""), new ConfigWarnings());
    }

    /**
     * Parses TOML text (no file), applies the environment (may be empty) and concludes. Used by tests.
     *
     * @param toml the TOML document.
     * @param env  environment variables.
     * @return the concluded configuration.
     * @throws ConfigException on any configuration problem.
     */
    public static ServerContext fromToml(final String toml, final Map<String, String> env)
    {
        return fromToml(toml, env, new ConfigWarnings());
    }

    static ServerContext fromToml(final String toml, final Map<String, String> env, final ConfigWarnings warnings)
    {
        return build(parse(toml, "config"), env, warnings);
    }

    static ServerContext load(
        final String[] args, final Map<String, String> env, final Path workingDir, final ConfigWarnings warnings)
    {
        final String configArg = configArgument(null == args ? new String[0] : args);
        final Map<String, Object> root;
        if (null != configArg)
        {
            if (!configArg.toLowerCase(Locale.ROOT).endsWith(".toml"))
            {
                throw new ConfigException("--config: only TOML config files are supported, got " +
                    ConfigSection.describe(configArg));
            }
            root = parse(read("--config", workingDir.resolve(configArg)), configArg);
            warnings.info("loaded configuration from " + configArg);
        }
        else
        {
            final Path toml = workingDir.resolve("config").resolve("config.toml");
            if (Files.isRegularFile(toml))
            {
                root = parse(read("config/config.toml", toml), "config/config.toml");
                warnings.info("loaded configuration from config/config.toml");
            }
            else
            {
                if (Files.exists(workingDir.resolve("config").resolve("config.json")))
                {
                    warnings.warn("config/config.json ignored: only TOML config files are supported");
                }
                root = Map.of();
                warnings.info("no config file found, using built-in defaults");
            }
        }
        return build(root, env, warnings);
    }

    private static String configArgument(final String[] args)
    {
        String config = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--config".equals(arg) || "-c".equals(arg))
            {
                if (i + 1 >= args.length || args[i + 1].isEmpty())
                {
                    throw new ConfigException(arg + ": expected a file name after the flag");
                }
                config = args[++i];
            }
            else if (arg.startsWith("--config="))
            {
                config = arg.substring("--config=".length());
                if (config.isEmpty())
                {
                    throw new ConfigException("--config: expected a file name after the flag");
                }
            }
            else
            {
                throw new ConfigException(ConfigSection.describe(arg) +
                    ": unknown command-line argument; the only option is --config FILE (-c FILE)");
            }
        }
        return config;
    }

    private static String read(final String what, final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ConfigException(what + ": cannot read config file \"" + file + "\": " + ex);
        }
    }

    static Map<String, Object> parse(final String toml, final String source)
    {
        final TomlParseResult result = Toml.parse(null == toml ? "" : toml);
        if (result.hasErrors())
        {
            final TomlParseError error = result.errors().get(0);
            throw new ConfigException(source + ": TOML syntax error at line " + error.position().line() +
                ", column " + error.position().column() + ": " + error.getMessage());
        }
        return plain(result);
    }

    private static Map<String, Object> plain(final TomlTable table)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> entry : table.entrySet())
        {
            map.put(entry.getKey(), plainValue(entry.getValue()));
        }
        return map;
    }

    private static Object plainValue(final Object value)
    {
        if (value instanceof TomlTable)
        {
            return plain((TomlTable)value);
        }
        if (value instanceof TomlArray)
        {
            final TomlArray array = (TomlArray)value;
            final List<Object> list = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++)
            {
                list.add(plainValue(array.get(i)));
            }
            return list;
        }
        return value;
    }

    private static ServerContext build(
        final Map<String, Object> root, final Map<String, String> env, final ConfigWarnings warnings)
    {
        final ServerContext context = new ServerContext();
        readFile(new ConfigSection("", root), context, warnings);
        new EnvOverrides(env, warnings).apply(context);
        return context.conclude(warnings);
    }

    private static void readFile(final ConfigSection root, final ServerContext context, final ConfigWarnings warnings)
    {
        final int maxSeconds = ServerContext.MAX_SECONDS;
        context.host = root.string("host", context.host);
        context.port = root.integer("port", context.port, 0, ServerContext.MAX_PORT);
        context.debug = root.bool("debug", context.debug);
        context.mode = root.string("mode", context.mode);
        root.string("path_prefix", null);
        context.activityTimeoutSeconds = root.integer("activity_timeout", context.activityTimeoutSeconds,
            1, maxSeconds);
        context.userAuthenticationTimeoutSeconds = root.integer("user_authentication_timeout",
            context.userAuthenticationTimeoutSeconds, 1, maxSeconds);
        context.websocketMaxPayloadKb = root.integer("websocket_max_payload_kb", context.websocketMaxPayloadKb,
            1, ServerContext.MAX_KB);
        context.shutdownGracePeriodSeconds = root.integer("shutdown_grace_period",
            context.shutdownGracePeriodSeconds, 0, maxSeconds);
        context.reactorThreads = root.integer("reactor_threads", context.reactorThreads,
            0, ServerContext.MAX_REACTOR_THREADS);

        final ConfigSection instance = root.table("instance");
        if (null != instance)
        {
            context.instanceProcessId = instance.string("process_id", null);
            instance.warnUnknown(warnings);
        }

        readAppManager(root, context, warnings);
        readMetrics(root, context.metrics, warnings);
        readRateLimiter(root, context.rateLimiter, warnings);
        readWebSocket(root, context.websocket, warnings);
        readQueue(root, context.queue, warnings);
        readWebhooks(root, context.webhooks, warnings);
        readSmallSections(root, context, warnings);

        for (final String name : RAW_SECTIONS)
        {
            final Object value = root.raw(name);
            if (null != value)
            {
                if (!(value instanceof Map))
                {
                    throw ConfigSection.expected(name, "a table", value);
                }
                context.sections.put(name, value);
            }
        }
        root.warnUnknown(warnings);
    }

    private static void readAppManager(
        final ConfigSection root, final ServerContext context, final ConfigWarnings warnings)
    {
        final ConfigSection appManager = root.table("app_manager");
        if (null == appManager)
        {
            return;
        }
        final String driver = appManager.string("driver", null);
        if (null != driver)
        {
            context.appManagerDriver = ServerContext.checkAppManagerDriver(appManager.keyOf("driver"), driver);
        }
        for (final String name : new String[]{ "cache", "scylladb" })
        {
            final Map<String, Object> raw = appManager.rawTable(name);
            if (null != raw)
            {
                context.sections.put(appManager.keyOf(name), raw);
            }
        }
        final ConfigSection array = appManager.table("array");
        if (null != array)
        {
            for (final ConfigSection record : array.tables("apps"))
            {
                context.apps.add(AppRecordParser.parse(record, warnings));
            }
            array.warnUnknown(warnings);
        }
        appManager.warnUnknown(warnings);
    }

    private static void readMetrics(
        final ConfigSection root, final MetricsConfig metrics, final ConfigWarnings warnings)
    {
        final ConfigSection section = root.table("metrics");
        if (null == section)
        {
            return;
        }
        metrics.enabled = section.bool("enabled", metrics.enabled);
        final String driver = section.string("driver", null);
        if (null != driver)
        {
            metrics.driver = ServerContext.checkMetricsDriver(section.keyOf("driver"), driver);
        }
        metrics.host = section.string("host", metrics.host);
        metrics.port = section.integer("port", metrics.port, 0, ServerContext.MAX_PORT);
        final ConfigSection prometheus = section.table("prometheus");
        if (null != prometheus)
        {
            metrics.prometheusPrefix = prometheus.string("prefix", metrics.prometheusPrefix);
            prometheus.warnUnknown(warnings);
        }
        section.warnUnknown(warnings);
    }

    private static void readRateLimiter(
        final ConfigSection root, final RateLimiterConfig rateLimiter, final ConfigWarnings warnings)
    {
        final ConfigSection section = root.table("rate_limiter");
        if (null == section)
        {
            return;
        }
        rateLimiter.enabled = section.bool("enabled", rateLimiter.enabled);
        final String driver = section.string("driver", null);
        if (null != driver)
        {
            rateLimiter.driver = ServerContext.normaliseRateLimiterDriver(section.keyOf("driver"), driver, warnings);
        }
        readRateLimit(section.table("api_rate_limit"), rateLimiter.api, warnings);
        readRateLimit(section.table("websocket_rate_limit"), rateLimiter.websocket, warnings);
        section.rawTable("redis");
        section.warnUnknown(warnings);
    }

    private static void readRateLimit(
        final ConfigSection section, final RateLimiterConfig.RateLimitConfig limit, final ConfigWarnings warnings)
    {
        if (null == section)
        {
            return;
        }
        limit.maxRequests = section.integer("max_requests", limit.maxRequests, 1, Integer.MAX_VALUE);
        limit.windowSeconds = section.integer("window_seconds", limit.windowSeconds, 1, ServerContext.MAX_SECONDS);
        limit.identifier = section.string("identifier", limit.identifier);
        limit.trustHops = section.integer("trust_hops", limit.trustHops, 0, Integer.MAX_VALUE);
        section.warnUnknown(warnings);
    }

    private static void readWebSocket(
        final ConfigSection root, final WebSocketConfig websocket, final ConfigWarnings warnings)
    {
        final ConfigSection section = root.table("websocket");
        if (null == section)
        {
            return;
        }
        final int max = Integer.MAX_VALUE;
        websocket.maxMessages = section.integer("max_messages", websocket.maxMessages, 0, max);
        websocket.maxBytes = section.integer("max_bytes", websocket.maxBytes, 0, max);
        websocket.disconnectOnBufferFull = section.bool("disconnect_on_buffer_full", websocket.disconnectOnBufferFull);
        websocket.maxMessageSize = section.integer("max_message_size", websocket.maxMessageSize, 1, max);
        websocket.maxFrameSize = section.integer("max_frame_size", websocket.maxFrameSize, 1, max);
        websocket.writeBufferSize = section.integer("write_buffer_size", websocket.writeBufferSize, 1, max);
        websocket.maxBackpressure = section.integer("max_backpressure", websocket.maxBackpressure, 1, max);
        websocket.autoPing = section.bool("auto_ping", websocket.autoPing);
        websocket.pingIntervalSeconds = section.integer("ping_interval", websocket.pingIntervalSeconds,
            1, ServerContext.MAX_SECONDS);
        websocket.idleTimeoutSeconds = section.integer("idle_timeout", websocket.idleTimeoutSeconds,
            0, ServerContext.MAX_SECONDS);
        final String compression = section.string("compression", null);
        if (null != compression)
        {
            websocket.compression = ServerContext.checkCompression(section.keyOf("compression"), compression);
        }
        section.warnUnknown(warnings);
    }

    private static void readQueue(final ConfigSection root, final QueueConfig queue, final ConfigWarnings warnings)
    {
        final ConfigSection section = root.table("queue");
        if (null == section)
        {
            return;
        }
        final String driver = section.string("driver", null);
        if (null != driver)
        {
            queue.driver = ServerContext.checkQueueDriver(section.keyOf("driver"), driver);
        }
        for (final String name : QueueConfig.DRIVER_SECTIONS)
        {
            final Map<String, Object> raw = section.rawTable(name);
            if (null != raw)
            {
                queue.drivers.put(name, raw);
            }
        }
        section.warnUnknown(warnings);
    }

    private static void readWebhooks(
        final ConfigSection root, final WebhooksConfig webhooks, final ConfigWarnings warnings)
    {
        final ConfigSection section = root.table("webhooks");
        if (null == section)
        {
            return;
        }
        final int max = Integer.MAX_VALUE;
        webhooks.requestTimeoutMs = section.integer("request_timeout_ms", webhooks.requestTimeoutMs, 1, max);
        webhooks.removalDelayMs = section.integer("removal_delay_ms", webhooks.removalDelayMs, 0, max);
        final ConfigSection batching = section.table("batching");
        if (null != batching)
        {
            webhooks.batchingEnabled = batching.bool("enabled", webhooks.batchingEnabled);
            webhooks.batchingDurationMs = batching.integer("duration", webhooks.batchingDurationMs, 1, max);
            webhooks.batchingSize = batching.integer("size", webhooks.batchingSize, 1, max);
            batching.warnUnknown(warnings);
        }
        final ConfigSection retry = section.table("retry");
        if (null != retry)
        {
            final WebhooksConfig.Retry config = webhooks.retry;
            config.enabled = retry.bool("enabled", config.enabled);
            config.maxAttempts = retry.integer("max_attempts", config.maxAttempts, 1, max);
            config.maxElapsedTimeMs = retry.integer("max_elapsed_time_ms", config.maxElapsedTimeMs, 0, max);
            config.initialBackoffMs = retry.integer("initial_backoff_ms", config.initialBackoffMs, 1, max);
            config.maxBackoffMs = retry.integer("max_backoff_ms", config.maxBackoffMs, 1, max);
            retry.warnUnknown(warnings);
        }
        section.warnUnknown(warnings);
    }

    private static void readSmallSections(
        final ConfigSection root, final ServerContext context, final ConfigWarnings warnings)
    {
        final int max = Integer.MAX_VALUE;
        final ConfigSection httpApi = root.table("http_api");
        if (null != httpApi)
        {
            context.httpApi.requestLimitInMb = httpApi.integer("request_limit_in_mb", context.httpApi.requestLimitInMb,
                1, ServerContext.MAX_MB);
            context.httpApi.usageEnabled = httpApi.bool("usage_enabled", context.httpApi.usageEnabled);
            httpApi.rawTable("accept_traffic");
            httpApi.warnUnknown(warnings);
        }

        final ConfigSection recovery = root.table("connection_recovery");
        if (null != recovery)
        {
            context.connectionRecovery.enabled = recovery.bool("enabled", context.connectionRecovery.enabled);
            context.connectionRecovery.bufferTtlSeconds = recovery.integer("buffer_ttl_seconds",
                context.connectionRecovery.bufferTtlSeconds, 1, ServerContext.MAX_SECONDS);
            context.connectionRecovery.maxBufferSize = recovery.integer("max_buffer_size",
                context.connectionRecovery.maxBufferSize, 1, 1_000_000);
            recovery.warnUnknown(warnings);
        }
        readHistory(root, context, warnings);
        final ConfigSection echo = root.table("echo_control");
        if (null != echo)
        {
            context.echoControl.enabled = echo.bool("enabled", context.echoControl.enabled);
            context.echoControl.defaultEchoMessages = echo.bool("default_echo_messages",
                context.echoControl.defaultEchoMessages);
            echo.warnUnknown(warnings);
        }
        final ConfigSection ephemeral = root.table("ephemeral");
        if (null != ephemeral)
        {
            context.ephemeralEnabled = ephemeral.bool("enabled", context.ephemeralEnabled);
            ephemeral.warnUnknown(warnings);
        }
        final ConfigSection idempotency = root.table("idempotency");
        if (null != idempotency)
        {
            context.idempotency.enabled = idempotency.bool("enabled", context.idempotency.enabled);
            context.idempotency.ttlSeconds = idempotency.integer("ttl_seconds", context.idempotency.ttlSeconds,
                1, ServerContext.MAX_SECONDS);
            context.idempotency.maxKeyLength = idempotency.integer("max_key_length",
                context.idempotency.maxKeyLength, 1, 65536);
            idempotency.warnUnknown(warnings);
        }

        final ConfigSection cors = root.table("cors");
        if (null != cors)
        {
            final CorsConfig config = context.cors;
            config.credentials = cors.bool("credentials", config.credentials);
            config.origin = cors.strings("origin", config.origin);
            OriginPatterns.validate(cors.keyOf("origin"), config.origin);
            config.methods = cors.strings("methods", config.methods);
            OriginPatterns.validateTokens(cors.keyOf("methods"), config.methods);
            config.allowedHeaders = cors.strings("allowed_headers", config.allowedHeaders);
            OriginPatterns.validateTokens(cors.keyOf("allowed_headers"), config.allowedHeaders);
            cors.warnUnknown(warnings);
        }

        final ConfigSection eventLimits = root.table("event_limits");
        if (null != eventLimits)
        {
            final EventLimitsConfig config = context.eventLimits;
            config.maxChannelsAtOnce = eventLimits.integer("max_channels_at_once", config.maxChannelsAtOnce, 1, max);
            config.maxNameLength = eventLimits.integer("max_name_length", config.maxNameLength, 1, max);
            config.maxPayloadInKb = eventLimits.integer("max_payload_in_kb", config.maxPayloadInKb,
                1, ServerContext.MAX_KB);
            config.maxBatchSize = eventLimits.integer("max_batch_size", config.maxBatchSize, 1, max);
            eventLimits.warnUnknown(warnings);
        }

        final ConfigSection presence = root.table("presence");
        if (null != presence)
        {
            final PresenceConfig config = context.presence;
            config.maxMembersPerChannel = presence.integer("max_members_per_channel", config.maxMembersPerChannel,
                1, max);
            config.maxMemberSizeInKb = presence.integer("max_member_size_in_kb", config.maxMemberSizeInKb,
                1, ServerContext.MAX_KB);
            presence.warnUnknown(warnings);
        }

        final ConfigSection channelLimits = root.table("channel_limits");
        if (null != channelLimits)
        {
            final ChannelLimitsConfig config = context.channelLimits;
            config.maxNameLength = channelLimits.integer("max_name_length", config.maxNameLength, 1, max);
            config.cacheTtlSeconds = channelLimits.integer("cache_ttl", config.cacheTtlSeconds, 0, max);
            channelLimits.warnUnknown(warnings);
        }
    }

    private static void readHistory(final ConfigSection root, final ServerContext context,
        final ConfigWarnings warnings)
    {
        final int max = Integer.MAX_VALUE;
        final ConfigSection history = root.table("history");
        if (null != history)
        {
            final HistoryConfig config = context.history;
            config.enabled = history.bool("enabled", config.enabled);
            config.rewindEnabled = history.bool("rewind_enabled", config.rewindEnabled);
            config.backend = history.string("backend", config.backend);
            config.retentionWindowSeconds = history.integer("retention_window_seconds",
                (int)config.retentionWindowSeconds, 0, max);
            config.maxPageSize = history.integer("max_page_size", config.maxPageSize, 1, 100_000);
            config.maxMessagesPerChannel = history.integer("max_messages_per_channel",
                (int)config.maxMessagesPerChannel, 0, max);
            config.maxBytesPerChannel = history.integer("max_bytes_per_channel", (int)config.maxBytesPerChannel,
                0, max);
            config.purgeIntervalSeconds = history.integer("purge_interval_seconds", config.purgeIntervalSeconds,
                1, max);
            history.integer("writer_shards", 16, 1, max);
            history.integer("writer_queue_capacity", 4096, 1, max);
            history.integer("purge_batch_size", 1000, 1, max);
            history.integer("max_purge_per_tick", 100_000, 1, max);
            final ConfigSection log = history.table("log");
            if (null != log)
            {
                config.logDirectory = log.string("directory", config.logDirectory);
                config.logRollCycle = log.string("roll_cycle", config.logRollCycle);
                log.warnUnknown(warnings);
            }
            for (final String backend : new String[] {"postgres", "mysql", "dynamodb", "surrealdb", "scylladb"})
            {
                history.rawTable(backend);
            }
            history.warnUnknown(warnings);
        }
        final ConfigSection versioned = root.table("versioned_messages");
        if (null != versioned)
        {
            final VersionedMessagesConfig config = context.versionedMessages;
            config.enabled = versioned.bool("enabled", config.enabled);
            config.driver = versioned.string("driver", config.driver);
            config.maxPageSize = versioned.integer("max_page_size", config.maxPageSize, 1, 100_000);
            config.retentionWindowSeconds = versioned.integer("retention_window_seconds",
                (int)config.retentionWindowSeconds, 0, max);
            versioned.integer("purge_interval_seconds", 300, 1, max);
            versioned.integer("purge_batch_size", 1000, 1, max);
            versioned.integer("max_purge_per_tick", 100_000, 1, max);
            versioned.warnUnknown(warnings);
        }
    }
}
