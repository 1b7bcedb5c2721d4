package io.sockudo.jvm.server.config;

import java.util.List;
import java.util.Map;

/**
 * One app record from {@code [[app_manager.array.apps]]} (canonical {@code policy} form or legacy flat form), or the
 * {@code SOCKUDO_DEFAULT_APP_*} env app, or the built-in demo app.
 * <p>
 * Optional limits hold -1 while unset; {@link ServerContext#conclude()} replaces -1 by the server-level fallback, so
 * after conclude every limit below is a positive number except the two stored-only ones.
 */
public final class AppConfig
{
    /** {@code id}: used in REST paths {@code /apps/{id}}. */
    public String id;
    /** {@code key}: used in the WebSocket path {@code /app/{key}}. */
    public String key;
    /** {@code secret}: signs auth and REST requests. */
    public String secret;
    /** {@code enabled}: defaults to true here (4.4.0 defaults to false). */
    public boolean enabled = true;
    /** {@code limits.max_connections}: 0 = unlimited. */
    public int maxConnections;
    /** {@code limits.max_client_events_per_second}: 0 = off. */
    public int maxClientEventsPerSecond;
    /** {@code limits.decay_seconds}: window of the client-event limiter. */
    public int decaySeconds = 1;
    /** {@code limits.terminate_on_limit}: close with 4301 instead of sending an error. */
    public boolean terminateOnLimit;
    /** {@code limits.message_rate_limit.enabled}: limit all inbound WebSocket messages per socket. */
    public boolean messageRateLimitEnabled;
    /** {@code limits.message_rate_limit.max_attempts}. */
    public int messageRateLimitMaxAttempts = 60;
    /** {@code limits.message_rate_limit.decay_seconds}. */
    public int messageRateLimitDecaySeconds = 60;
    /** {@code limits.message_rate_limit.terminate_on_limit}. */
    public boolean messageRateLimitTerminateOnLimit;
    /** {@code limits.max_presence_members_per_channel}; -1 falls back to {@code presence.max_members_per_channel}. */
    public int maxPresenceMembersPerChannel = -1;
    /** {@code limits.max_presence_member_size_in_kb}; -1 falls back to {@code presence.max_member_size_in_kb}. */
    public int maxPresenceMemberSizeInKb = -1;
    /** {@code limits.max_channel_name_length}; unset (-1) falls back to {@code channel_limits.max_name_length}. */
    public int maxChannelNameLength = -1;
    /** {@code limits.max_event_channels_at_once}; -1 falls back to {@code event_limits.max_channels_at_once}. */
    public int maxEventChannelsAtOnce = -1;
    /** {@code limits.max_event_name_length}; unset (-1) falls back to {@code event_limits.max_name_length}. */
    public int maxEventNameLength = -1;
    /** {@code limits.max_event_payload_in_kb}; unset (-1) falls back to {@code event_limits.max_payload_in_kb}. */
    public int maxEventPayloadInKb = -1;
    /** {@code limits.max_event_batch_size}; unset (-1) falls back to {@code event_limits.max_batch_size}. */
    public int maxEventBatchSize = -1;
    /** {@code limits.max_backend_events_per_second}: stored only, -1 = unset. */
    public int maxBackendEventsPerSecond = -1;
    /** {@code limits.max_read_requests_per_second}: stored only, -1 = unset. */
    public int maxReadRequestsPerSecond = -1;
    /** {@code features.enable_client_messages}. */
    public boolean enableClientMessages;
    /** {@code features.enable_user_authentication}. */
    public boolean enableUserAuthentication;
    /** {@code features.enable_watchlist_events}. */
    public boolean enableWatchlistEvents;
    /** {@code channels.allowed_origins}: WebSocket Origin allow-list; empty = any origin. */
    public List<String> allowedOrigins = List.of();
    /** {@code channels.channel_namespaces}. */
    public List<NamespaceConfig> channelNamespaces = List.of();
    /** {@code policy.webhooks} (or flat {@code webhooks}), kept as plain maps for the webhooks module. */
    public List<Map<String, Object>> webhooks = List.of();
    /** {@code channels.annotations_enabled}: null when unset. */
    public Boolean annotationsEnabled;
    /**
     * The other policy sections, raw: {@code idempotency}, {@code connection_recovery}, {@code history},
     * {@code presence_history} and {@code channel_delta_compression}.
     */
    public Map<String, Object> extra = Map.of();

    /** Where the record came from, for messages, e.g. {@code app_manager.array.apps[0]}; null if built in code. */
    String path;
    /** Dotted prefix of the limit keys ({@code ...apps[0].policy.limits} or {@code ...apps[0]}). */
    String limitsPath;
    /** Dotted prefix of the channel keys ({@code ...apps[0].policy.channels} or {@code ...apps[0]}). */
    String channelsPath;
}
