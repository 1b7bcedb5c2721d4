package io.sockudo.jvm.server.channel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One occupied channel of one app. Created on the first subscription and removed when the last socket
 * leaves; a channel that comes back gets a new {@link #id()} so that in-flight broadcasts to the old
 * incarnation find no subscribers.
 *
 * <p>Mutable fields are guarded by this object's monitor except {@link #reactorMask()}, which is
 * published with a volatile write for the lock-free publish path.
 */
public final class Channel
{
    private final AppState app;
    private final String name;
    private final int id;
    private final boolean presence;
    private final int[] reactorSubscriptions;
    private volatile long reactorMask;
    private volatile long joinSequence;
    private int subscriptionCount;
    private boolean removed;
    private final LinkedHashMap<String, PresenceMember> members;

    Channel(final AppState app, final String name, final int id, final boolean presence, final int reactorCount)
    {
        this.app = app;
        this.name = name;
        this.id = id;
        this.presence = presence;
        this.reactorSubscriptions = new int[reactorCount];
        this.members = presence ? new LinkedHashMap<>() : null;
    }

    /**
     * The app this channel belongs to.
     *
     * @return app state
     */
    public AppState app()
    {
        return app;
    }

    /**
     * Channel name.
     *
     * @return the name
     */
    public String name()
    {
        return name;
    }

    /**
     * Server-unique id of this incarnation of the channel.
     *
     * @return the id
     */
    public int id()
    {
        return id;
    }

    /**
     * Whether this is a presence channel.
     *
     * @return true for presence channels
     */
    public boolean isPresence()
    {
        return presence;
    }

    /**
     * Bit i is set when reactor i has at least one subscriber.
     *
     * @return the mask
     */
    public long reactorMask()
    {
        return reactorMask;
    }

    /**
     * Sequence of the latest membership change (join or leave). A subscriber remembers the value of its own
     * join; a broadcast carries a sequence (a member event: the sequence of the change it announces; a publish:
     * the value read when it was issued) and reaches only subscribers that joined at or before it. This keeps
     * a socket whose presence snapshot already reflects a change from receiving the event for that change
     * late through another reactor's inbox.
     *
     * @return the sequence
     */
    public long joinSequence()
    {
        return joinSequence;
    }

    /**
     * Number of subscribed sockets.
     *
     * @return the count
     */
    public synchronized int subscriptionCount()
    {
        return subscriptionCount;
    }

    /**
     * Number of distinct presence members (0 for other channels).
     *
     * @return the count
     */
    public synchronized int userCount()
    {
        return members == null ? 0 : members.size();
    }

    /**
     * Snapshot of the distinct member ids.
     *
     * @return user ids in join order
     */
    public synchronized String[] userIds()
    {
        return members == null ? new String[0] : members.keySet().toArray(new String[0]);
    }

    /**
     * Whether a user is a presence member now.
     *
     * @param userId user id
     * @return true when the user has a socket in this presence channel
     */
    public synchronized boolean hasMember(final String userId)
    {
        return members != null && members.containsKey(userId);
    }

    synchronized boolean isRemoved()
    {
        return removed;
    }

    /**
     * Adds a socket on a reactor. For presence channels also adds the member.
     *
     * @param reactorIndex the subscribing socket's reactor
     * @param userId presence user id, null for other channels
     * @param userInfoJson compact JSON of user_info, or null
     * @param maxMembers presence member limit (0 = unlimited)
     * @return {@link #OVER_CAPACITY}, {@link #RETRY}, or {@code sequence << 1 | (newMember ? 1 : 0)} where
     *     sequence is this join's own join sequence
     */
    synchronized long join(final int reactorIndex, final String userId, final String userInfoJson, final int maxMembers)
    {
        if (removed)
        {
            return RETRY;
        }
        boolean newMember = false;
        if (presence)
        {
            PresenceMember member = members.get(userId);
            if (maxMembers > 0 && members.size() >= maxMembers && member == null)
            {
                // Deviation from 4.4.0 quirk 15: a second socket of an existing member is not over capacity.
                return OVER_CAPACITY;
            }
            if (member == null)
            {
                member = new PresenceMember(userId, userInfoJson);
                members.put(userId, member);
                newMember = true;
            }
            member.sockets++;
        }
        subscriptionCount++;
        joinSequence = joinSequence + 1;
        if (reactorSubscriptions[reactorIndex]++ == 0)
        {
            reactorMask = reactorMask | (1L << reactorIndex);
        }
        if (app.hasWebhooks())
        {
            // reported under the monitor so that the sink sees this channel's transitions in order
            final io.sockudo.jvm.server.webhook.WebhookSink sink = app.webhooks();
            if (subscriptionCount == 1)
            {
                sink.channelOccupied(app, name);
            }
            if (newMember)
            {
                sink.memberAdded(app, name, userId);
            }
            if (!presence)
            {
                sink.subscriptionCount(app, name, subscriptionCount);
            }
        }
        return (joinSequence << 1) | (newMember ? 1 : 0);
    }

    /**
     * Removes a socket. For presence channels decrements the member's socket count.
     *
     * @param reactorIndex the socket's reactor
     * @param userId presence user id or null
     * @return {@code sequence << 1 | (memberLeft ? 1 : 0)}: the membership sequence of this leave, and whether
     *     it removed the user's last socket (presence member left)
     */
    synchronized long leave(final int reactorIndex, final String userId)
    {
        boolean memberLeft = false;
        if (presence && userId != null)
        {
            final PresenceMember member = members.get(userId);
            if (member != null && --member.sockets == 0)
            {
                members.remove(userId);
                memberLeft = true;
            }
        }
        subscriptionCount--;
        joinSequence = joinSequence + 1;
        if (--reactorSubscriptions[reactorIndex] == 0)
        {
            reactorMask = reactorMask & ~(1L << reactorIndex);
        }
        if (subscriptionCount == 0)
        {
            removed = true;
        }
        if (app.hasWebhooks())
        {
            final io.sockudo.jvm.server.webhook.WebhookSink sink = app.webhooks();
            if (memberLeft)
            {
                sink.memberRemoved(app, name, userId);
            }
            if (!presence)
            {
                sink.subscriptionCount(app, name, subscriptionCount);
            }
            if (subscriptionCount == 0)
            {
                sink.channelVacated(app, name);
            }
        }
        return (joinSequence << 1) | (memberLeft ? 1 : 0);
    }

    /**
     * The presence payload of {@code pusher_internal:subscription_succeeded}:
     * {@code {"presence":{"ids":[...],"hash":{...},"count":n}}}.
     *
     * @return compact JSON
     */
    public synchronized String presenceJson()
    {
        final StringBuilder sb = new StringBuilder(64 + members.size() * 48);
        sb.append("{\"presence\":{\"ids\":[");
        boolean first = true;
        for (final String id : members.keySet())
        {
            if (!first)
            {
                sb.append(',');
            }
            first = false;
            io.sockudo.jvm.protocol.json.JsonWriter.appendQuoted(sb, id);
        }
        sb.append("],\"hash\":{");
        first = true;
        for (final Map.Entry<String, PresenceMember> e : members.entrySet())
        {
            if (!first)
            {
                sb.append(',');
            }
            first = false;
            io.sockudo.jvm.protocol.json.JsonWriter.appendQuoted(sb, e.getKey());
            sb.append(':').append(e.getValue().userInfoJson);
        }
        sb.append("},\"count\":").append(members.size()).append("}}");
        return sb.toString();
    }

    /** {@link #join} result: the presence channel is full. */
    static final long OVER_CAPACITY = -1;
    /** {@link #join} result: the channel was removed meanwhile; look it up again. */
    static final long RETRY = -2;

    static final class PresenceMember
    {
        final String userId;
        final String userInfoJson;
        int sockets;

        PresenceMember(final String userId, final String userInfoJson)
        {
            this.userId = userId;
            this.userInfoJson = userInfoJson == null ? "{}" : userInfoJson;
        }
    }
}
