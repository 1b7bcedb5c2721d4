package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.annotation.Capabilities;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.metrics.MetricsCollector;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * {@code pusher:subscribe} and {@code pusher:unsubscribe} on a reactor (spec pusher-v1 2.4, 2.5, 2.8, 3): name
 * rules, signatures, presence membership and its member events, cache channels. One instance per reactor.
 */
final class Subscriptions
{
    private final Reactor reactor;
    private final Hub hub;
    private final PusherSession session;
    private final Users users;
    private final JsonScanner inner = new JsonScanner();
    private final UnsafeBuffer innerBuffer = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer excludeView = new UnsafeBuffer(new byte[0]);

    Subscriptions(final Reactor reactor, final PusherSession session, final Users users)
    {
        this.reactor = reactor;
        this.hub = reactor.hub;
        this.session = session;
        this.users = users;
    }

    void onSubscribe(final Connection c, final JsonScanner s, final int root)
    {
        final int data = s.member(root, "data");
        final JsonScanner d;
        final int obj;
        if (data < 0)
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Invalid subscription data format");
            return;
        }
        if (s.type(data) == JsonScanner.STRING)
        {
            if (!scanInner(s, data) || inner.type(inner.root()) != JsonScanner.OBJECT)
            {
                session.sendError(c, PusherErrorCodes.GENERIC,
                    "Invalid message format: Failed to parse subscription data");
                return;
            }
            d = inner;
            obj = inner.root();
            final int ch = d.member(obj, "channel");
            if (ch < 0 || d.type(ch) != JsonScanner.STRING)
            {
                session.sendError(c, PusherErrorCodes.GENERIC,
                    "Invalid message format: Missing channel field in string data");
                return;
            }
        }
        else if (s.type(data) == JsonScanner.OBJECT)
        {
            d = s;
            obj = data;
            final int ch = d.member(obj, "channel");
            if (ch < 0 || d.type(ch) != JsonScanner.STRING)
            {
                session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Missing channel field");
                return;
            }
        }
        else
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Invalid subscription data format");
            return;
        }
        final String channel = d.stringValue(d.member(obj, "channel"));
        final AppState app = c.app;
        // V2 extras of the subscribe payload are parsed first, also on V1 (spec pusher-v1 2.4)
        final int rewind = d.member(obj, "rewind");
        if (rewind >= 0 && !validRewind(d, rewind))
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: Invalid rewind option in subscription data");
            return;
        }
        final int modes = d.member(obj, "modes");
        if (modes >= 0 && d.type(modes) != JsonScanner.ARRAY)
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: subscription modes must be an array");
            return;
        }
        if (rewind >= 0 && !c.protocolV2)
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR,
                "Channel error: Channel rewind is only supported on protocol V2");
            return;
        }
        final String invalid = app.validateChannelName(channel);
        if (invalid != null)
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR, "Channel error: " + invalid);
            return;
        }
        io.sockudo.jvm.server.history.ChannelStreams rewindStreams = null;
        long rewindValue = 0;
        if (rewind >= 0)
        {
            final io.sockudo.jvm.server.history.HistoryPolicy policy = app.historyPolicy(channel);
            if (!policy.enabled || !policy.rewindEnabled)
            {
                session.sendError(c, PusherErrorCodes.CHANNEL_ERROR,
                    "Channel error: Channel rewind is disabled by policy for channel '" + channel + "'");
                return;
            }
            rewindValue = rewindValue(d, rewind);
            rewindStreams = reactor.hub.store().streams(app.config().id, channel);
        }
        final boolean raw = modes >= 0 && wantsRawAnnotations(d, modes);
        if (raw && !allowRawAnnotations(c, app, channel))
        {
            return;
        }
        if (c.protocolV2 && (!namespaceAllows(c, app, channel) || !capabilitiesAllow(c, channel, raw)))
        {
            return;
        }
        final boolean needsAuth = ChannelName.requiresAuth(channel);
        final boolean presence = ChannelName.isPresence(channel);
        final int authTok = d.member(obj, "auth");
        if (needsAuth && (authTok < 0 || d.type(authTok) != JsonScanner.STRING))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Authentication signature required for this channel");
            return;
        }
        String userId = null;
        String userInfo = null;
        if (presence)
        {
            final String[] member = presenceMember(c, app, d, obj, channel, authTok);
            if (member == null)
            {
                return;
            }
            userId = member[0];
            userInfo = member[1];
            c.info.userId = userId;
        }
        else if (needsAuth)
        {
            final String auth = d.stringValue(authTok);
            final String expected = PusherSignatures.channelAuth(
                app.config().key, app.config().secret, c.socketId, channel, null);
            if (!PusherSignatures.constantTimeEquals(auth, expected))
            {
                session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Channel requires authentication");
                return;
            }
        }

        if (c.indexOfChannel(channel) >= 0)
        {
            if (!presence)
            {
                sendSubscriptionSucceeded(c, channel, null);
            }
            return;
        }
        // A rewind joins and reads history under the channel's streams monitor, which every durable publish holds
        // while it stores and hands off: a message is then either in the history read or delivered live, never both.
        final Object lock = rewindStreams != null ? rewindStreams : c;
        final AppState.Join join;
        Rewind replay = null;
        synchronized (lock)
        {
            join = app.join(channel, reactor.index, userId, userInfo,
                presence ? app.config().maxPresenceMembersPerChannel : 0);
            if (join == null)
            {
                session.sendError(c, PusherErrorCodes.OVER_CAPACITY, "Over capacity");
                return;
            }
            reactor.addLocalSubscriber(join.channel.id(), c, join.sequence, raw && c.protocolV2);
            if (rewindStreams != null)
            {
                replay = readRewind(app, channel, rewindStreams, rewindValue);
            }
        }
        final Channel ch = join.channel;
        reactor.metrics.increment(app.index(),
            ReactorMetrics.SUBSCRIPTIONS + MetricsCollector.channelTypeSlot(channel));
        c.channels.add(ch);
        c.channelUserIds.add(userId);
        if (needsAuth)
        {
            c.authDeadlineMs = 0;
        }
        if (presence)
        {
            users.registerUser(c, userId);
            if (join.newMember)
            {
                final StringBuilder sb = new StringBuilder(64);
                sb.append("{\"user_id\":");
                JsonWriter.appendQuoted(sb, userId);
                sb.append(",\"user_info\":").append(userInfo == null ? "{}" : userInfo).append('}');
                broadcastInternal(c, ch, "member_added", sb.toString(), join.sequence);
            }
            sendSubscriptionSucceeded(c, channel, ch.presenceJson());
        }
        else
        {
            sendSubscriptionSucceeded(c, channel, null);
        }
        if (replay != null)
        {
            for (final byte[] frame : replay.frames)
            {
                reactor.send(c, reactor.frame.begin().raw(new org.agrona.concurrent.UnsafeBuffer(frame), 0,
                    frame.length).end());
            }
            final boolean complete = !replay.truncatedByRetention && !replay.truncatedByLimit;
            reactor.send(c, PusherSession.finish(c, session.event(c, false, "rewind_complete").ascii(",\"channel\":")
                .quoted(channel).ascii(",\"data\":{\"historical_count\":").number(replay.frames.size())
                .ascii(",\"live_count\":0,\"complete\":").ascii(Boolean.toString(complete))
                .ascii(",\"truncated_by_retention\":").ascii(Boolean.toString(replay.truncatedByRetention))
                .ascii(",\"truncated_by_limit\":").ascii(Boolean.toString(replay.truncatedByLimit)).ascii("}"), true));
        }
        if (c.protocolV2 && app.annotationsEnabled(channel))
        {
            // annotation summaries of the channel's messages (spec annotations 6.4)
            for (final String summary : reactor.hub.store().annotations().snapshot(app.config().id, channel,
                app.config().maxEventPayloadInKb * 1024))
            {
                reactor.send(c, reactor.frame.begin().utf8(summary).end());
            }
        }
        if (ChannelName.isCache(channel))
        {
            final AppState.CachedEvent cached = app.cachedEvent(channel, reactor.nowMs);
            if (cached != null)
            {
                reactor.send(c, reactor.frame.begin().utf8(cached.frameJson).end());
            }
            else
            {
                reactor.send(c, PusherSession.finish(c, session.event(c, false, "cache_miss").ascii(",\"channel\":")
                    .quoted(channel).ascii(",\"data\":\"{}\""), true));
                app.webhooks().cacheMiss(app, channel);
            }
        }
    }

    /** What a rewind sends after subscription_succeeded. */
    private static final class Rewind
    {
        final java.util.List<byte[]> frames = new java.util.ArrayList<>();
        boolean truncatedByRetention;
        boolean truncatedByLimit;
    }

    /** Reads the rewind (spec protocol-v2 4.7); the caller holds the streams monitor. */
    private Rewind readRewind(final AppState app, final String channel,
        final io.sockudo.jvm.server.history.ChannelStreams streams, final long value)
    {
        final int maxPage = reactor.hub.context().history.maxPageSize;
        streams.evict(app.historyPolicy(channel), reactor.nowMs);
        final Rewind r = new Rewind();
        final java.util.List<io.sockudo.jvm.server.history.HistoryItem> items;
        if (value > 0)
        {
            items = streams.read(false, -1, -1, -1, -1, -1, (int)Math.min(value, maxPage));
            java.util.Collections.reverse(items);
            r.truncatedByLimit = value > maxPage;
            r.truncatedByRetention = streams.oldestSerial() > 1;
        }
        else
        {
            final long from = reactor.nowMs + value * 1000;
            items = streams.read(true, -1, -1, -1, from, -1, maxPage + 1);
            r.truncatedByLimit = items.size() > maxPage;
            if (r.truncatedByLimit)
            {
                items.remove(items.size() - 1);
            }
            r.truncatedByRetention = streams.oldestSerial() > 1 && streams.oldestPublishedAtMs() > from;
        }
        for (final io.sockudo.jvm.server.history.HistoryItem item : items)
        {
            final byte[] envelope = streams.envelope(item);
            if (envelope != null)
            {
                r.frames.add(envelope);
            }
        }
        return r;
    }

    /** A valid rewind as a count (N > 0) or a duration (-seconds). */
    private static long rewindValue(final JsonScanner d, final int rewind)
    {
        int value = rewind;
        boolean seconds = false;
        if (d.type(rewind) == JsonScanner.OBJECT)
        {
            final int key = d.firstChild(rewind);
            seconds = !d.stringEquals(key, "count");
            value = d.next(key);
        }
        final long n = d.type(value) == JsonScanner.NUMBER ? d.longValue(value) : Long.parseLong(d.stringValue(value));
        return seconds ? -n : n;
    }

    /** Rewind: an integer N > 0, a string "N", {"count":N}, {"seconds":S} or {"duration_seconds":S}. */
    private static boolean validRewind(final JsonScanner d, final int rewind)
    {
        int value = rewind;
        if (d.type(rewind) == JsonScanner.OBJECT)
        {
            if (d.childCount(rewind) != 1)
            {
                return false;
            }
            final int key = d.firstChild(rewind);
            if (!d.stringEquals(key, "count") && !d.stringEquals(key, "seconds") &&
                !d.stringEquals(key, "duration_seconds"))
            {
                return false;
            }
            value = d.next(key);
        }
        if (d.type(value) == JsonScanner.NUMBER)
        {
            return d.isInteger(value) && d.longValue(value) > 0;
        }
        if (d.type(value) == JsonScanner.STRING && value == rewind)
        {
            final String text = d.stringValue(value);
            return text.matches("[0-9]{1,18}") && Long.parseLong(text) > 0;
        }
        return false;
    }

    private static boolean wantsRawAnnotations(final JsonScanner d, final int modes)
    {
        for (int m = d.firstChild(modes); m >= 0; m = d.next(m))
        {
            if (d.type(m) == JsonScanner.STRING && d.stringEquals(m, "ANNOTATION_SUBSCRIBE"))
            {
                return true;
            }
        }
        return false;
    }

    /** The ANNOTATION_SUBSCRIBE checks of spec protocol-v2 5.1; sends the error and answers false when refused. */
    private boolean allowRawAnnotations(final Connection c, final AppState app, final String channel)
    {
        if (!app.annotationsEnabledGlobally())
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR,
                "Channel error: Annotations are disabled globally for channel '" + channel + "'");
            return false;
        }
        if (!app.annotationsEnabled(channel))
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR,
                "Channel error: Annotations are disabled by channel policy for channel '" + channel + "'");
            return false;
        }
        return true;
    }

    /**
     * V2 sign-in capabilities (spec protocol-v2 5.2): {@code subscribe} (or {@code presence} for presence channels)
     * when set, then {@code annotation-subscribe} for raw mode; sends the error and answers false when refused.
     */
    private boolean capabilitiesAllow(final Connection c, final String channel, final boolean raw)
    {
        final java.util.Map<String, java.util.List<String>> caps = c.info.capabilities;
        java.util.List<String> subscribe = caps == null ? null : caps.get("subscribe");
        if (caps != null && ChannelName.isPresence(channel) && caps.get("presence") != null)
        {
            subscribe = caps.get("presence");
        }
        if (subscribe != null && !Capabilities.matchesAny(subscribe, channel))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Connection is not allowed " +
                "to subscribe channel '" + channel + "'");
            return false;
        }
        if (!raw)
        {
            return true;
        }
        if (caps == null)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Connection is not allowed " +
                "to receive raw annotations for channel '" + channel + "'");
            return false;
        }
        if (!Capabilities.matchesAny(caps.get("annotation_subscribe"), channel))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Connection is not allowed " +
                "to annotation_subscribe channel '" + channel + "'");
            return false;
        }
        return true;
    }

    /** V2 namespace permission flags (spec protocol-v2 6.1); sends the error and answers false when refused. */
    private boolean namespaceAllows(final Connection c, final AppState app, final String channel)
    {
        final io.sockudo.jvm.server.config.NamespaceConfig ns = app.namespaceOf(channel);
        if (ns == null)
        {
            return true;
        }
        if (Boolean.FALSE.equals(ns.allowSubscribeForClient))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Channel namespace '" +
                ns.name + "' does not allow client subscriptions");
            return false;
        }
        if (ChannelName.isPresence(channel) && Boolean.FALSE.equals(ns.allowPresenceForClient))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Channel namespace '" +
                ns.name + "' does not allow client presence");
            return false;
        }
        return true;
    }

    /**
     * Validates a presence subscription's channel_data and signature.
     *
     * @return {user_id, compact user_info or null}, or null after an error was sent
     */
    private String[] presenceMember(final Connection c, final AppState app, final JsonScanner d, final int obj,
        final String channel, final int authTok)
    {
        final int cd = d.member(obj, "channel_data");
        if (cd < 0 || d.type(cd) == JsonScanner.NULL)
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: Missing channel_data for presence channel");
            return null;
        }
        if (d.type(cd) != JsonScanner.STRING)
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: Invalid channel_data JSON for presence");
            return null;
        }
        final String channelData = d.stringValue(cd);
        final byte[] bytes = channelData.getBytes(StandardCharsets.UTF_8);
        final JsonScanner p = new JsonScanner();
        if (!p.scan(new UnsafeBuffer(bytes), 0, bytes.length) || p.type(p.root()) != JsonScanner.OBJECT)
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: Invalid channel_data JSON for presence");
            return null;
        }
        String userInfo = null;
        final int info = p.member(p.root(), "user_info");
        if (info >= 0 && p.type(info) != JsonScanner.NULL)
        {
            userInfo = JsonWriter.compact(p, info);
            final int size = p.type(info) == JsonScanner.STRING ? p.stringValueLength(info) : userInfo.length();
            final int limitKb = app.config().maxPresenceMemberSizeInKb;
            if (limitKb > 0 && size > limitKb * 1024)
            {
                session.sendError(c, PusherErrorCodes.CHANNEL_ERROR, "Channel error: Presence member data size (" +
                    ((size + 1023) / 1024) + "KB) exceeds limit (" + limitKb + "KB)");
                return null;
            }
        }
        final String auth = d.stringValue(authTok);
        final String expected = PusherSignatures.channelAuth(
            app.config().key, app.config().secret, c.socketId, channel, channelData);
        if (!PusherSignatures.constantTimeEquals(auth, expected))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Channel requires authentication");
            return null;
        }
        final int uid = p.member(p.root(), "user_id");
        if (uid < 0 || p.type(uid) != JsonScanner.STRING)
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR, "Channel error: Missing user_id in channel_data");
            return null;
        }
        return new String[]{p.stringValue(uid), userInfo};
    }

    private void sendSubscriptionSucceeded(final Connection c, final String channel, final String data)
    {
        final FrameWriter f = session.event(c, true, "subscription_succeeded").ascii(",\"channel\":").quoted(channel)
            .ascii(",\"data\":");
        if (data == null)
        {
            f.ascii("\"{}\"");
        }
        else
        {
            f.quoted(data);
        }
        reactor.send(c, PusherSession.finish(c, f, true));
    }

    /**
     * Sends {@code {"event":"<prefix>name","channel":ch,"data":"<json as string>"}} to the channel's subscribers
     * that joined at or before {@code sequence}, except {@code c} (when not null): V1 sockets get the
     * {@code pusher_internal:} name, V2 sockets the {@code sockudo_internal:} one.
     */
    private void broadcastInternal(final Connection c, final Channel ch, final String name, final String dataJson,
        final long sequence)
    {
        final FrameWriter v1 = reactor.frame.begin().ascii(PusherSession.V1_INTERNAL).ascii(name)
            .ascii("\",\"channel\":").quoted(ch.name()).ascii(",\"data\":").quoted(dataJson).ascii("}").end();
        final FrameWriter v2 = reactor.frameV2.begin().ascii(PusherSession.V2_INTERNAL).ascii(name)
            .ascii("\",\"channel\":").quoted(ch.name()).ascii(",\"data\":").quoted(dataJson).ascii("}").end();
        if (c != null)
        {
            excludeView.wrap(c.socketIdBytes);
            hub.publish(reactor, ch, v1, v2, sequence, excludeView, 0, c.socketIdBytes.length);
        }
        else
        {
            hub.publish(reactor, ch, v1, v2, sequence, null, 0, 0);
        }
    }

    void onUnsubscribe(final Connection c, final JsonScanner s, final int root)
    {
        final int data = s.member(root, "data");
        String channel = null;
        if (data >= 0 && s.type(data) == JsonScanner.STRING)
        {
            channel = s.stringValue(data);
            // a JSON-encoded object in a string is accepted too
            if (channel.startsWith("{") && scanInner(s, data) && inner.type(inner.root()) == JsonScanner.OBJECT)
            {
                final int ch = inner.member(inner.root(), "channel");
                channel = ch >= 0 && inner.type(ch) == JsonScanner.STRING ? inner.stringValue(ch) : null;
            }
        }
        else if (data >= 0 && s.type(data) == JsonScanner.OBJECT)
        {
            final int ch = s.member(data, "channel");
            if (ch >= 0 && s.type(ch) == JsonScanner.STRING)
            {
                channel = s.stringValue(ch);
            }
        }
        if (channel == null)
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Missing channel field");
            return;
        }
        final int index = c.indexOfChannel(channel);
        if (index >= 0)
        {
            leave(c, index);
        }
    }

    void leave(final Connection c, final int index)
    {
        final Channel ch = c.channels.remove(index);
        final String userId = c.channelUserIds.remove(index);
        reactor.metrics.increment(c.app.index(),
            ReactorMetrics.UNSUBSCRIPTIONS + MetricsCollector.channelTypeSlot(ch.name()));
        reactor.removeLocalSubscriber(ch.id(), c);
        final long left = c.app.leave(ch, reactor.index, userId);
        final boolean memberLeft = (left & 1) == 1;
        if (userId != null)
        {
            users.maybeUnregisterUser(c, userId);
        }
        if (memberLeft)
        {
            final StringBuilder sb = new StringBuilder(32);
            sb.append("{\"user_id\":");
            JsonWriter.appendQuoted(sb, userId);
            sb.append('}');
            broadcastInternal(null, ch, "member_removed", sb.toString(), left >>> 1);
        }
    }

    private boolean scanInner(final JsonScanner s, final int stringToken)
    {
        final byte[] bytes = s.stringValue(stringToken).getBytes(StandardCharsets.UTF_8);
        innerBuffer.wrap(bytes);
        return inner.scan(innerBuffer, 0, bytes.length);
    }
}
