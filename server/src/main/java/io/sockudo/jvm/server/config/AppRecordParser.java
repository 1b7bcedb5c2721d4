package io.sockudo.jvm.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code [[app_manager.array.apps]]} record in the canonical ({@code policy}) or the legacy flat form.
 * Types and ranges are checked here; cross-record rules (unique ids, fallbacks, regexes) are left to
 * {@link ServerContext#conclude()}.
 */
final class AppRecordParser
{
    /** Keys of the legacy flat form besides id, key, secret, enabled. */
    static final String[] FLAT_KEYS =
    {
        "max_connections", "max_backend_events_per_second", "max_client_events_per_second",
        "max_read_requests_per_second", "max_presence_members_per_channel", "max_presence_member_size_in_kb",
        "max_channel_name_length", "max_event_channels_at_once", "max_event_name_length", "max_event_payload_in_kb",
        "max_event_batch_size", "decay_seconds", "terminate_on_limit", "message_rate_limit",
        "enable_client_messages", "enable_user_authentication", "enable_watchlist_events",
        "allowed_origins", "annotations_enabled", "channel_delta_compression", "channel_namespaces",
        "webhooks", "idempotency", "connection_recovery"
    };

    private static final int MAX = Integer.MAX_VALUE;

    private AppRecordParser()
    {
    }

    static AppConfig parse(final ConfigSection record, final ConfigWarnings warnings)
    {
        final AppConfig app = new AppConfig();
        app.path = record.path();
        app.id = record.string("id", null);
        app.key = record.string("key", null);
        app.secret = record.string("secret", null);
        app.enabled = record.bool("enabled", true);

        final ConfigSection policy = record.table("policy");
        if (null != policy)
        {
            final List<String> ignored = new ArrayList<>();
            for (final String name : FLAT_KEYS)
            {
                if (record.has(name))
                {
                    record.accept(name);
                    ignored.add(name);
                }
            }
            if (!ignored.isEmpty())
            {
                warnings.warn(record.path() + ": has both 'policy' and flat fields " + ignored +
                    "; the flat fields are ignored");
            }

            final ConfigSection limits = policy.tableOrEmpty("limits");
            app.limitsPath = limits.path();
            readLimits(limits, app, warnings);
            limits.warnUnknown(warnings);

            final ConfigSection features = policy.tableOrEmpty("features");
            readFeatures(features, app);
            features.warnUnknown(warnings);

            final ConfigSection channels = policy.tableOrEmpty("channels");
            app.channelsPath = channels.path();
            final Map<String, Object> extra = new LinkedHashMap<>();
            readChannels(channels, app, extra, warnings);
            channels.warnUnknown(warnings);

            app.webhooks = webhooks(policy);
            copyRaw(policy, "idempotency", extra);
            copyRaw(policy, "connection_recovery", extra);
            copyRaw(policy, "history", extra);
            copyRaw(policy, "presence_history", extra);
            app.extra = extra;
            policy.warnUnknown(warnings);
        }
        else
        {
            app.limitsPath = record.path();
            app.channelsPath = record.path();
            readLimits(record, app, warnings);
            readFeatures(record, app);
            final Map<String, Object> extra = new LinkedHashMap<>();
            readChannels(record, app, extra, warnings);
            app.webhooks = webhooks(record);
            copyRaw(record, "idempotency", extra);
            copyRaw(record, "connection_recovery", extra);
            app.extra = extra;
        }
        record.warnUnknown(warnings);
        return app;
    }

    private static void readLimits(final ConfigSection limits, final AppConfig app, final ConfigWarnings warnings)
    {
        app.maxConnections = limits.number("max_connections", 0, 0, MAX);
        app.maxClientEventsPerSecond = limits.number("max_client_events_per_second", 0, 0, MAX);
        app.decaySeconds = limits.number("decay_seconds", 1, 1, MAX);
        app.terminateOnLimit = limits.bool("terminate_on_limit", false);
        app.maxBackendEventsPerSecond = limits.number("max_backend_events_per_second", -1, 0, MAX);
        app.maxReadRequestsPerSecond = limits.number("max_read_requests_per_second", -1, 0, MAX);
        app.maxPresenceMembersPerChannel = limits.number("max_presence_members_per_channel", -1, 1, MAX);
        app.maxPresenceMemberSizeInKb = limits.number("max_presence_member_size_in_kb", -1, 1, ServerContext.MAX_KB);
        app.maxChannelNameLength = limits.number("max_channel_name_length", -1, 1, MAX);
        app.maxEventChannelsAtOnce = limits.number("max_event_channels_at_once", -1, 1, MAX);
        app.maxEventNameLength = limits.number("max_event_name_length", -1, 1, MAX);
        app.maxEventPayloadInKb = limits.number("max_event_payload_in_kb", -1, 1, ServerContext.MAX_KB);
        app.maxEventBatchSize = limits.number("max_event_batch_size", -1, 1, MAX);

        final ConfigSection rate = limits.table("message_rate_limit");
        if (null != rate)
        {
            app.messageRateLimitEnabled = rate.bool("enabled", false);
            app.messageRateLimitMaxAttempts = rate.number("max_attempts", 60, 1, MAX);
            app.messageRateLimitDecaySeconds = rate.number("decay_seconds", 60, 1, MAX);
            app.messageRateLimitTerminateOnLimit = rate.bool("terminate_on_limit", false);
            rate.warnUnknown(warnings);
        }
    }

    private static void readFeatures(final ConfigSection features, final AppConfig app)
    {
        app.enableClientMessages = features.bool("enable_client_messages", false);
        app.enableUserAuthentication = features.bool("enable_user_authentication", false);
        app.enableWatchlistEvents = features.bool("enable_watchlist_events", false);
    }

    private static void readChannels(
        final ConfigSection channels,
        final AppConfig app,
        final Map<String, Object> extra,
        final ConfigWarnings warnings)
    {
        app.allowedOrigins = channels.strings("allowed_origins", List.of());
        OriginPatterns.validate(channels.keyOf("allowed_origins"), app.allowedOrigins);
        app.annotationsEnabled = channels.optionalBool("annotations_enabled");
        copyRaw(channels, "channel_delta_compression", extra);

        final List<ConfigSection> entries = channels.tables("channel_namespaces");
        final List<NamespaceConfig> namespaces = new ArrayList<>(entries.size());
        for (final ConfigSection entry : entries)
        {
            namespaces.add(readNamespace(entry, warnings));
        }
        app.channelNamespaces = namespaces;
    }

    private static NamespaceConfig readNamespace(final ConfigSection entry, final ConfigWarnings warnings)
    {
        final NamespaceConfig namespace = new NamespaceConfig();
        namespace.path = entry.path();
        namespace.name = entry.string("name", null);
        namespace.channelNamePattern = entry.string("channel_name_pattern", null);
        namespace.maxChannelNameLength = entry.number("max_channel_name_length", 0, 1, MAX);
        namespace.annotationsEnabled = entry.optionalBool("annotations_enabled");
        namespace.allowUserLimitedChannels = entry.optionalBool("allow_user_limited_channels");
        namespace.allowSubscribeForClient = entry.optionalBool("allow_subscribe_for_client");
        namespace.allowPublishForClient = entry.optionalBool("allow_publish_for_client");
        namespace.allowPresenceForClient = entry.optionalBool("allow_presence_for_client");
        final Map<String, Object> extra = new LinkedHashMap<>();
        copyRaw(entry, "history", extra);
        copyRaw(entry, "presence_history", extra);
        namespace.extra = extra;
        entry.warnUnknown(warnings);
        return namespace;
    }

    private static List<Map<String, Object>> webhooks(final ConfigSection section)
    {
        return List.copyOf(section.rawTables("webhooks"));
    }

    private static void copyRaw(final ConfigSection section, final String name, final Map<String, Object> extra)
    {
        final Object value = section.raw(name);
        if (null != value)
        {
            extra.put(name, value);
        }
    }
}
