package io.sockudo.jvm.protocol.pusher;

/**
 * The underlying type of a channel, with any {@code cache-} prefix already looked through (see {@link ChannelName}).
 */
public enum ChannelType
{
    /**
     * No authentication; includes {@code #server-to-user-} channels.
     */
    PUBLIC,

    /**
     * {@code private-} channels: signed with {@code socket_id:channel}.
     */
    PRIVATE,

    /**
     * {@code private-encrypted-} channels: private auth, payloads encrypted end to end by the SDKs.
     */
    PRIVATE_ENCRYPTED,

    /**
     * {@code presence-} channels: signed with {@code socket_id:channel:channel_data}, members tracked.
     */
    PRESENCE
}
