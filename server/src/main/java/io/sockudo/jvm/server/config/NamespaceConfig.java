package io.sockudo.jvm.server.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of an app's {@code policy.channels.channel_namespaces}. A channel belongs to a namespace when the text
 * before its first {@code :} (after the type prefix) equals {@link #name}.
 */
public final class NamespaceConfig
{
    /** {@code name}: non-empty, without {@code :}, unique within the app. */
    public String name;
    /** {@code channel_name_pattern}: optional regex the logical channel name must match; null when unset. */
    public String channelNamePattern;
    /** {@link #channelNamePattern} compiled by {@link ServerContext#conclude()}; null when unset. */
    public Pattern compiledPattern;
    /** {@code max_channel_name_length}: 0 when unset, otherwise &gt; 0. */
    public int maxChannelNameLength;
    /** {@code annotations_enabled}: null when unset. */
    public Boolean annotationsEnabled;
    /** {@code allow_user_limited_channels}: null when unset. */
    public Boolean allowUserLimitedChannels;
    /** {@code allow_subscribe_for_client}: null when unset. */
    public Boolean allowSubscribeForClient;
    /** {@code allow_publish_for_client}: null when unset. */
    public Boolean allowPublishForClient;
    /** {@code allow_presence_for_client}: null when unset. */
    public Boolean allowPresenceForClient;
    /** {@code history} and {@code presence_history} overrides, raw. */
    public Map<String, Object> extra = Map.of();

    /** Dotted key of this entry for error messages; null if built in code. */
    String path;
}
