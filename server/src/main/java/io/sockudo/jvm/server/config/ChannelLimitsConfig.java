package io.sockudo.jvm.server.config;

/**
 * The {@code [channel_limits]} section.
 */
public final class ChannelLimitsConfig
{
    /** {@code channel_limits.max_name_length}: fallback for apps that leave {@code max_channel_name_length} unset. */
    public int maxNameLength = 200;
    /** {@code channel_limits.cache_ttl} in seconds, env {@code CACHE_TTL_SECONDS}. */
    public int cacheTtlSeconds = 3600;
}
