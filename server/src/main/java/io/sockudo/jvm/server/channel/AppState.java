package io.sockudo.jvm.server.channel;

import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.ChannelNamespace;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.NamespaceConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runtime state of one app, shared by all reactors: its occupied channels, the sockets registered under a
 * user id, the connection count and the cache-channel last events.
 */
public final class AppState
{
    private final AppConfig config;
    private final int reactorCount;
    private final AtomicInteger channelIds;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<UserSocket>> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CachedEvent> cache = new ConcurrentHashMap<>();
    private final List<ChannelNamespace> namespaces;

    /**
     * @param config the app record
     * @param reactorCount number of reactors
     * @param channelIds server-wide channel id sequence
     */
    public AppState(final AppConfig config, final int reactorCount, final AtomicInteger channelIds)
    {
        this.config = config;
        this.reactorCount = reactorCount;
        this.channelIds = channelIds;
        final List<ChannelNamespace> list = new ArrayList<>();
        for (final NamespaceConfig ns : config.channelNamespaces)
        {
            list.add(new ChannelNamespace(
                ns.name, ns.compiledPattern, ns.maxChannelNameLength, Boolean.TRUE.equals(ns.allowUserLimitedChannels)));
        }
        this.namespaces = Collections.unmodifiableList(list);
    }

    /**
     * The app record.
     *
     * @return config
     */
    public AppConfig config()
    {
        return config;
    }

    /**
     * Channel namespaces in the protocol module's form.
     *
     * @return namespaces
     */
    public List<ChannelNamespace> namespaces()
    {
        return namespaces;
    }

    /**
     * Validates a channel name against this app's rules.
     *
     * @param name the channel
     * @return null when valid, else the message
     */
    public String validateChannelName(final String name)
    {
        return ChannelName.validate(name, config.maxChannelNameLength, namespaces);
    }

    /**
     * Connection quota check and increment.
     *
     * @return false when over {@code max_connections}
     */
    public boolean tryAddConnection()
    {
        final int max = config.maxConnections;
        while (true)
        {
            final int current = connections.get();
            if (max > 0 && current >= max)
            {
                return false;
            }
            if (connections.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    /** A connection of this app closed. */
    public void removeConnection()
    {
        connections.decrementAndGet();
    }

    /**
     * Current socket count.
     *
     * @return count
     */
    public int connectionCount()
    {
        return connections.get();
    }

    /**
     * An occupied channel, or null.
     *
     * @param name channel name
     * @return channel or null
     */
    public Channel channel(final String name)
    {
        return channels.get(name);
    }

    /**
     * All occupied channels.
     *
     * @return live view
     */
    public Iterable<Channel> channels()
    {
        return channels.values();
    }

    /**
     * Joins a socket to a channel, creating the channel if needed.
     *
     * @param name channel name
     * @param reactorIndex the socket's reactor
     * @param userId presence user id or null
     * @param userInfoJson compact user_info JSON or null
     * @param maxMembers presence member limit, 0 = unlimited
     * @return the channel, or null when over presence capacity
     */
    public Join join(final String name, final int reactorIndex, final String userId, final String userInfoJson,
        final int maxMembers)
    {
        final boolean presence = ChannelName.isPresence(name);
        while (true)
        {
            Channel channel = channels.get(name);
            if (channel == null)
            {
                final Channel created = new Channel(name, channelIds.incrementAndGet(), presence, reactorCount);
                channel = channels.putIfAbsent(name, created);
                if (channel == null)
                {
                    channel = created;
                }
            }
            final Channel.JoinResult result = channel.join(reactorIndex, userId, userInfoJson, maxMembers);
            switch (result)
            {
                case OVER_CAPACITY:
                    return null;
                case RETRY:
                    channels.remove(name, channel);
                    continue;
                default:
                    return new Join(channel, result == Channel.JoinResult.JOINED_NEW_MEMBER);
            }
        }
    }

    /**
     * Removes a socket from a channel, dropping the channel when it empties.
     *
     * @param channel the channel
     * @param reactorIndex socket's reactor
     * @param userId presence user id or null
     * @return true when a presence member left
     */
    public boolean leave(final Channel channel, final int reactorIndex, final String userId)
    {
        final boolean memberLeft = channel.leave(reactorIndex, userId);
        if (channel.isRemoved())
        {
            channels.remove(channel.name(), channel);
        }
        return memberLeft;
    }

    /**
     * Registers a socket under a user id (signin or presence).
     *
     * @param userId user
     * @param socket the socket's address
     */
    public void addUserSocket(final String userId, final UserSocket socket)
    {
        users.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(socket);
    }

    /**
     * Unregisters a socket from a user id.
     *
     * @param userId user
     * @param socket the socket
     */
    public void removeUserSocket(final String userId, final UserSocket socket)
    {
        users.computeIfPresent(userId, (k, set) ->
        {
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Sockets registered under a user id.
     *
     * @param userId user
     * @return sockets (possibly empty)
     */
    public Set<UserSocket> userSockets(final String userId)
    {
        final Set<UserSocket> set = users.get(userId);
        return set == null ? Set.of() : set;
    }

    /**
     * Number of distinct user ids with registered sockets.
     *
     * @return count
     */
    public int userCount()
    {
        return users.size();
    }

    /**
     * Stores the last event of a cache channel.
     *
     * @param channel channel name
     * @param frameJson the full event JSON as delivered
     * @param expiresAtMs expiry time
     */
    public void cacheEvent(final String channel, final String frameJson, final long expiresAtMs)
    {
        cache.put(channel, new CachedEvent(frameJson, expiresAtMs));
    }

    /**
     * The cached last event of a channel, or null when absent or expired.
     *
     * @param channel channel name
     * @param nowMs current time
     * @return cached event or null
     */
    public CachedEvent cachedEvent(final String channel, final long nowMs)
    {
        final CachedEvent e = cache.get(channel);
        if (e != null && e.expiresAtMs <= nowMs)
        {
            cache.remove(channel, e);
            return null;
        }
        return e;
    }

    /** Result of a successful join. */
    public static final class Join
    {
        /** The joined channel. */
        public final Channel channel;
        /** True when the user had no other socket in this presence channel. */
        public final boolean newMember;

        Join(final Channel channel, final boolean newMember)
        {
            this.channel = channel;
            this.newMember = newMember;
        }
    }

    /** The last event published to a cache channel. */
    public static final class CachedEvent
    {
        /** Full event JSON ({@code {"event":...,"channel":...,"data":"..."}}). */
        public final String frameJson;
        /** Absolute expiry. */
        public final long expiresAtMs;

        CachedEvent(final String frameJson, final long expiresAtMs)
        {
            this.frameJson = frameJson;
            this.expiresAtMs = expiresAtMs;
        }
    }

    /** Address of a socket: its reactor and connection id. */
    public static final class UserSocket
    {
        /** Reactor index. */
        public final int reactorIndex;
        /** Connection id within the server. */
        public final long connectionId;

        /**
         * @param reactorIndex reactor
         * @param connectionId connection id
         */
        public UserSocket(final int reactorIndex, final long connectionId)
        {
            this.reactorIndex = reactorIndex;
            this.connectionId = connectionId;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof UserSocket && ((UserSocket)o).connectionId == connectionId;
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(connectionId);
        }
    }
}
