package io.sockudo.jvm.server.config;

/**
 * The {@code [event_limits]} section: server-level fallbacks for the app event limits (unused by 4.4.0, applied here
 * to apps that leave the limit unset).
 */
public final class EventLimitsConfig
{
    /** {@code event_limits.max_channels_at_once}. */
    public int maxChannelsAtOnce = 100;
    /** {@code event_limits.max_name_length}. */
    public int maxNameLength = 200;
    /** {@code event_limits.max_payload_in_kb}. */
    public int maxPayloadInKb = 100;
    /** {@code event_limits.max_batch_size}. */
    public int maxBatchSize = 10;
}
