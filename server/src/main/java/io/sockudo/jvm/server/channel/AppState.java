package io.sockudo.jvm.server.channel;

import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.ChannelNamespace;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.IdempotencyConfig;
import io.sockudo.jvm.server.webhook.WebhookSink;
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
    private final int index;
    private final int reactorCount;
    private final AtomicInteger channelIds;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<UserSocket>> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CachedEvent> cache = new ConcurrentHashMap<>();
    private static final String[] TYPE_PREFIXES = {"private-encrypted-cache-", "private-cache-", "presence-cache-",
        "cache-", "private-encrypted-", "presence-", "private-"};
    private boolean annotationsGlobal;
    private io.sockudo.jvm.server.config.HistoryConfig historyDefaults =
        new io.sockudo.jvm.server.config.HistoryConfig();
    private boolean versionedGlobal;
    private boolean historyPossible;
    private static final int MAX_CACHED_POLICIES = 65_536;
    private final ConcurrentHashMap<String, io.sockudo.jvm.server.history.HistoryPolicy> policies =
        new ConcurrentHashMap<>();
    private final java.util.function.Function<String, io.sockudo.jvm.server.history.HistoryPolicy> resolver =
        this::resolve;
    private final ConcurrentHashMap<String, SocketInfo> sockets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReplayBuffer> replayBuffers = new ConcurrentHashMap<>();
    private boolean recoveryEnabled;
    private int replayBufferSize;
    private long replayTtlMs;
    private final List<ChannelNamespace> namespaces;
    private volatile WebhookSink webhooks = WebhookSink.NONE;
    private volatile boolean webhooksEnabled;
    private final Object watchLock = new Object();
    private final java.util.HashMap<String, Integer> signedInSockets = new java.util.HashMap<>();
    private final java.util.HashMap<String, java.util.Map<String, Integer>> watchers = new java.util.HashMap<>();
    private final ConcurrentHashMap<String, StoredResponse> idempotency = new ConcurrentHashMap<>();
    private final boolean idempotencyEnabled;
    private final long idempotencyTtlMs;
    private int idempotencyPuts;

    /**
     * @param config the app record
     * @param index position of the app in the registry (metrics slots)
     * @param reactorCount number of reactors
     * @param channelIds server-wide channel id sequence
     * @param idempotencyConfig server-level idempotency settings
     */
    public AppState(final AppConfig config, final int index, final int reactorCount, final AtomicInteger channelIds,
        final IdempotencyConfig idempotencyConfig)
    {
        this.config = config;
        this.index = index;
        boolean enabled = idempotencyConfig.enabled;
        long ttlSeconds = idempotencyConfig.ttlSeconds;
        // policy.idempotency {enabled, ttl_seconds} overrides the server values (max_key_length stays global)
        final Object override = config.extra.get("idempotency");
        if (override instanceof java.util.Map)
        {
            final Object e = ((java.util.Map<?, ?>)override).get("enabled");
            final Object t = ((java.util.Map<?, ?>)override).get("ttl_seconds");
            if (e instanceof Boolean)
            {
                enabled = (Boolean)e;
            }
            if (t instanceof Number && ((Number)t).longValue() > 0)
            {
                ttlSeconds = ((Number)t).longValue();
            }
        }
        this.idempotencyEnabled = enabled;
        this.idempotencyTtlMs = ttlSeconds * 1000;
        this.reactorCount = reactorCount;
        this.channelIds = channelIds;
        final List<ChannelNamespace> list = new ArrayList<>();
        for (final NamespaceConfig ns : config.channelNamespaces)
        {
            list.add(new ChannelNamespace(
                ns.name, ns.compiledPattern, ns.maxChannelNameLength,
                Boolean.TRUE.equals(ns.allowUserLimitedChannels)));
        }
        this.namespaces = Collections.unmodifiableList(list);
    }

    /**
     * Connects the webhook sink (at start-up, before any socket).
     *
     * @param sink where channel and member transitions are reported
     * @param enabled whether this app has any webhook (when false, nothing is reported)
     */
    public void webhooks(final WebhookSink sink, final boolean enabled)
    {
        this.webhooks = sink;
        this.webhooksEnabled = enabled;
    }

    /**
     * The webhook sink.
     *
     * @return sink ({@link WebhookSink#NONE} when the app has no webhooks)
     */
    public WebhookSink webhooks()
    {
        return webhooksEnabled ? webhooks : WebhookSink.NONE;
    }

    /**
     * Whether anything is reported to webhooks for this app.
     *
     * @return true when the app has webhooks
     */
    public boolean hasWebhooks()
    {
        return webhooksEnabled;
    }

    /**
     * Position of this app in the registry, used to index per-app counters.
     *
     * @return index from 0
     */
    public int index()
    {
        return index;
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
     * The namespace a channel belongs to (spec ops-config 2: type prefix stripped, text before the first ':').
     *
     * @param channel channel name
     * @return the namespace, or null
     */
    public NamespaceConfig namespaceOf(final String channel)
    {
        String logical = channel;
        for (final String prefix : TYPE_PREFIXES)
        {
            if (logical.startsWith(prefix))
            {
                logical = logical.substring(prefix.length());
                break;
            }
        }
        final int colon = logical.indexOf(':');
        if (colon <= 0)
        {
            return null;
        }
        final String name = logical.substring(0, colon);
        for (final NamespaceConfig ns : config.channelNamespaces)
        {
            if (ns.name.equals(name))
            {
                return ns;
            }
        }
        return null;
    }

    /**
     * Annotations on a channel: the namespace's flag wins, then the app's, else off.
     *
     * @param channel channel name
     * @return true when the channel's policy enables annotations
     */
    public boolean annotationsEnabled(final String channel)
    {
        return annotationsEnabled(namespaceOf(channel));
    }

    private boolean annotationsEnabled(final NamespaceConfig ns)
    {
        if (ns != null && ns.annotationsEnabled != null)
        {
            return ns.annotationsEnabled;
        }
        return Boolean.TRUE.equals(config.annotationsEnabled);
    }

    /**
     * The global {@code [annotations] enabled}.
     *
     * @return the flag
     */
    public boolean annotationsEnabledGlobally()
    {
        return annotationsGlobal;
    }

    /**
     * Sets the global {@code [annotations] enabled} (start-up).
     *
     * @param enabled the flag
     */
    public void annotationsGlobal(final boolean enabled)
    {
        this.annotationsGlobal = enabled;
    }

    /**
     * Sets the global {@code [history]} and {@code versioned_messages.enabled} used by {@link #historyPolicy}
     * (start-up).
     *
     * @param history the global history section
     * @param versioned global versioned-messages flag
     */
    public void historyDefaults(final io.sockudo.jvm.server.config.HistoryConfig history, final boolean versioned)
    {
        this.historyDefaults = history;
        this.versionedGlobal = versioned;
        boolean annotations = Boolean.TRUE.equals(config.annotationsEnabled);
        for (final NamespaceConfig ns : config.channelNamespaces)
        {
            annotations |= Boolean.TRUE.equals(ns.annotationsEnabled);
        }
        final Object appEnabled = appHistory().get("enabled");
        this.historyPossible = annotations || (appEnabled instanceof Boolean ? (Boolean)appEnabled : history.enabled);
        policies.clear();
    }

    /**
     * Whether versioned messages are enabled globally.
     *
     * @return {@code versioned_messages.enabled}
     */
    public boolean versionedMessagesEnabled()
    {
        return versionedGlobal;
    }

    /**
     * The resolved history policy of a channel (spec protocol-v2 6.3). Asked on every publish: an app where no
     * channel can have history answers without looking at the name, and resolved policies are cached by channel
     * (the policy is fixed at start-up).
     *
     * @param channel channel name
     * @return the policy
     */
    public io.sockudo.jvm.server.history.HistoryPolicy historyPolicy(final String channel)
    {
        if (!historyPossible)
        {
            return io.sockudo.jvm.server.history.HistoryPolicy.DISABLED;
        }
        if (policies.size() > MAX_CACHED_POLICIES)
        {
            policies.clear();
        }
        return policies.computeIfAbsent(channel, resolver);
    }

    private java.util.Map<?, ?> appHistory()
    {
        final Object app = config.extra.get("history");
        return app instanceof java.util.Map ? (java.util.Map<?, ?>)app : java.util.Map.of();
    }

    private io.sockudo.jvm.server.history.HistoryPolicy resolve(final String channel)
    {
        final io.sockudo.jvm.server.config.HistoryConfig global = historyDefaults;
        final java.util.Map<?, ?> app = appHistory();
        final NamespaceConfig ns = namespaceOf(channel);
        final java.util.Map<?, ?> space = ns != null && ns.extra.get("history") instanceof java.util.Map ?
            (java.util.Map<?, ?>)ns.extra.get("history") : java.util.Map.of();
        final Object appEnabled = app.get("enabled");
        final boolean enabled = annotationsEnabled(ns) || (appEnabled instanceof Boolean ? (Boolean)appEnabled : global.enabled);
        if (!enabled)
        {
            return io.sockudo.jvm.server.history.HistoryPolicy.DISABLED;
        }
        final Object rewind = first(space.get("rewind_enabled"), app.get("rewind_enabled"));
        final boolean rewindEnabled = rewind instanceof Boolean ? (Boolean)rewind : global.rewindEnabled;
        final long retention = number(first(space.get("retention_window_seconds"),
            app.get("retention_window_seconds")), global.retentionWindowSeconds);
        final long maxMessages = number(first(space.get("max_messages_per_channel"),
            app.get("max_messages_per_channel")), global.maxMessagesPerChannel);
        final long maxBytes = number(first(space.get("max_bytes_per_channel"), app.get("max_bytes_per_channel")),
            global.maxBytesPerChannel);
        return new io.sockudo.jvm.server.history.HistoryPolicy(true, rewindEnabled, retention * 1000, maxMessages,
            maxBytes, versionedGlobal);
    }

    private static Object first(final Object a, final Object b)
    {
        return a != null ? a : b;
    }

    private static long number(final Object value, final long fallback)
    {
        if (value instanceof Number)
        {
            return Math.max(0, ((Number)value).longValue());
        }
        if (value instanceof String)
        {
            try
            {
                return Math.max(0, Long.parseLong(((String)value).trim()));
            }
            catch (final NumberFormatException ex)
            {
                return fallback;
            }
        }
        return fallback;
    }

    /**
     * Registers a connected socket (any reactor) so that the HTTP API can find it by socket id.
     *
     * @param socketId the socket id
     * @param info its shared description
     */
    public void registerSocket(final String socketId, final SocketInfo info)
    {
        sockets.put(socketId, info);
    }

    /**
     * Forgets a closed socket.
     *
     * @param socketId the socket id
     */
    public void unregisterSocket(final String socketId)
    {
        sockets.remove(socketId);
    }

    /**
     * A connected socket of this app, or null.
     *
     * @param socketId the socket id
     * @return its description or null
     */
    public SocketInfo socket(final String socketId)
    {
        return socketId == null ? null : sockets.get(socketId);
    }

    /**
     * What the HTTP API needs to know of a connected socket: protocol, current user id (from sign-in or the last
     * presence join) and sign-in capabilities. Written by the owning reactor, read by any thread.
     */
    public static final class SocketInfo
    {
        /** Protocol V2. */
        public final boolean protocolV2;
        /** Current user id, or null. */
        public volatile String userId;
        /** Sign-in capabilities by key (underscore spelling), or null when the sign-in had none. */
        public volatile java.util.Map<String, List<String>> capabilities;

        /**
         * @param protocolV2 protocol V2
         */
        public SocketInfo(final boolean protocolV2)
        {
            this.protocolV2 = protocolV2;
        }
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
     * A socket signed in (+1) or a signed-in socket closed (-1).
     *
     * @param delta +1 or -1
     */
    public void authenticated(final int delta)
    {
        authenticated.addAndGet(delta);
    }

    /**
     * Sockets that completed {@code pusher:signin}.
     *
     * @return count
     */
    public int authenticatedCount()
    {
        return authenticated.get();
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
                final Channel created = new Channel(this, name, channelIds.incrementAndGet(), presence, reactorCount);
                channel = channels.putIfAbsent(name, created);
                if (channel == null)
                {
                    channel = created;
                }
            }
            final long result = channel.join(reactorIndex, userId, userInfoJson, maxMembers);
            if (result == Channel.OVER_CAPACITY)
            {
                return null;
            }
            if (result == Channel.RETRY)
            {
                channels.remove(name, channel);
                continue;
            }
            return new Join(channel, (result & 1) == 1, result >>> 1);
        }
    }

    /**
     * Removes a socket from a channel, dropping the channel when it empties.
     *
     * @param channel the channel
     * @param reactorIndex socket's reactor
     * @param userId presence user id or null
     * @return {@code sequence << 1 | (memberLeft ? 1 : 0)}, see {@link Channel#joinSequence()}
     */
    public long leave(final Channel channel, final int reactorIndex, final String userId)
    {
        final long result = channel.leave(reactorIndex, userId);
        if (channel.isRemoved())
        {
            channels.remove(channel.name(), channel);
        }
        return result;
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

    /**
     * Turns the replay buffer on for this app (global {@code [connection_recovery]} on, and not switched off by
     * {@code policy.connection_recovery.enabled}).
     *
     * @param globalEnabled the global flag
     * @param bufferSize entries per channel
     * @param ttlMs entry lifetime
     */
    public void recovery(final boolean globalEnabled, final int bufferSize, final long ttlMs)
    {
        boolean enabled = globalEnabled;
        final Object override = config.extra.get("connection_recovery");
        if (override instanceof java.util.Map && ((java.util.Map<?, ?>)override).get("enabled") instanceof Boolean)
        {
            enabled &= (Boolean)((java.util.Map<?, ?>)override).get("enabled");
        }
        this.recoveryEnabled = enabled;
        this.replayBufferSize = bufferSize;
        this.replayTtlMs = ttlMs;
    }

    /**
     * Whether broadcasts of this app are buffered for recovery.
     *
     * @return true when buffered
     */
    public boolean recoveryEnabled()
    {
        return recoveryEnabled;
    }

    /**
     * The replay buffer of a channel.
     *
     * @param channel channel name
     * @param create create it when absent
     * @return the buffer, or null when absent and not created
     */
    public ReplayBuffer replayBuffer(final String channel, final boolean create)
    {
        if (!create)
        {
            return replayBuffers.get(channel);
        }
        return replayBuffers.computeIfAbsent(channel, k -> new ReplayBuffer(replayBufferSize, replayTtlMs));
    }

    /**
     * Whether idempotent publishing is on for this app.
     *
     * @return true when enabled
     */
    public boolean idempotencyEnabled()
    {
        return idempotencyEnabled;
    }

    /**
     * The response stored for an idempotency key, or null when absent or expired.
     *
     * @param key idempotency key (already scoped by the caller)
     * @param nowMs current time
     * @return stored response or null
     */
    public StoredResponse storedResponse(final String key, final long nowMs)
    {
        final StoredResponse r = idempotency.get(key);
        if (r != null && r.expiresAtMs <= nowMs)
        {
            idempotency.remove(key, r);
            return null;
        }
        return r;
    }

    /**
     * Remembers the response of a publish for the idempotency TTL. Expired keys are purged every 1024 stores.
     *
     * @param key idempotency key
     * @param status HTTP status
     * @param body JSON body
     * @param nowMs current time
     */
    public void storeResponse(final String key, final int status, final String body, final long nowMs)
    {
        idempotency.put(key, new StoredResponse(status, body, nowMs + idempotencyTtlMs));
        if ((++idempotencyPuts & 1023) == 0)
        {
            idempotency.values().removeIf(r -> r.expiresAtMs <= nowMs);
        }
    }

    /** A publish response kept for idempotent repeats. */
    public static final class StoredResponse
    {
        /** HTTP status. */
        public final int status;
        /** JSON body. */
        public final String body;
        /** Absolute expiry. */
        public final long expiresAtMs;

        StoredResponse(final int status, final String body, final long expiresAtMs)
        {
            this.status = status;
            this.body = body;
            this.expiresAtMs = expiresAtMs;
        }
    }

    /**
     * A socket of {@code userId} signed in (watchlist bookkeeping; only used when the app enables watchlist
     * events). Registers the socket's watchlist.
     *
     * @param userId the user
     * @param watchlist ids this socket watches (may be empty)
     * @param online receives the watched ids that are online now
     * @param offline receives the watched ids that are offline now
     * @return the user ids watching {@code userId} when this sign-in brought it online, else an empty list
     */
    public List<String> watchSignIn(final String userId, final List<String> watchlist, final List<String> online,
        final List<String> offline)
    {
        synchronized (watchLock)
        {
            final int before = signedInSockets.getOrDefault(userId, 0);
            signedInSockets.put(userId, before + 1);
            for (final String watched : watchlist)
            {
                watchers.computeIfAbsent(watched, k -> new java.util.HashMap<>()).merge(userId, 1, Integer::sum);
                (signedInSockets.containsKey(watched) ? online : offline).add(watched);
            }
            return before == 0 ? watchersOf(userId) : List.of();
        }
    }

    /**
     * A signed-in socket of {@code userId} closed or signed in as someone else.
     *
     * @param userId the user
     * @param watchlist the socket's watchlist
     * @return the user ids watching {@code userId} when this took it offline, else an empty list
     */
    public List<String> watchSignOut(final String userId, final List<String> watchlist)
    {
        synchronized (watchLock)
        {
            for (final String watched : watchlist)
            {
                final java.util.Map<String, Integer> w = watchers.get(watched);
                if (w != null && w.merge(userId, -1, Integer::sum) <= 0)
                {
                    w.remove(userId);
                    if (w.isEmpty())
                    {
                        watchers.remove(watched);
                    }
                }
            }
            final int after = signedInSockets.getOrDefault(userId, 1) - 1;
            if (after > 0)
            {
                signedInSockets.put(userId, after);
                return List.of();
            }
            signedInSockets.remove(userId);
            return watchersOf(userId);
        }
    }

    private List<String> watchersOf(final String userId)
    {
        final java.util.Map<String, Integer> w = watchers.get(userId);
        return w == null ? List.of() : new ArrayList<>(w.keySet());
    }

    /** Result of a successful join. */
    public static final class Join
    {
        /** The joined channel. */
        public final Channel channel;
        /** True when the user had no other socket in this presence channel. */
        public final boolean newMember;
        /** This join's own join sequence. */
        public final long sequence;

        Join(final Channel channel, final boolean newMember, final long sequence)
        {
            this.channel = channel;
            this.newMember = newMember;
            this.sequence = sequence;
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
