package io.sockudo.jvm.server.config;

/**
 * The {@code [presence]} section: server-level fallbacks for the app presence limits.
 */
public final class PresenceConfig
{
    /** {@code presence.max_members_per_channel}. */
    public int maxMembersPerChannel = 100;
    /** {@code presence.max_member_size_in_kb}. */
    public int maxMemberSizeInKb = 2;
}
