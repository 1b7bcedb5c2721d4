package io.sockudo.jvm.protocol.pusher;

import java.util.regex.Pattern;

/**
 * The parts of a configured channel namespace ({@code policy.channels.channel_namespaces[]}) that channel-name
 * validation needs.
 *
 * @param name                     the namespace name: the text before the first {@code :} of a logical channel name.
 * @param channelNamePattern       unanchored pattern the logical channel name must contain a match of, or null.
 * @param maxChannelNameLength     maximum channel name length in bytes, 0 when unset.
 * @param allowUserLimitedChannels whether {@code ns:name#user} channels are allowed.
 */
public record ChannelNamespace(
    String name,
    Pattern channelNamePattern,
    int maxChannelNameLength,
    boolean allowUserLimitedChannels)
{
}
