package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.AppConfig;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * {@code pusher:signin} (spec pusher-v1 2.6), the sockets registered under a user id, and watchlist events.
 * One instance per reactor.
 */
final class Users
{
    private final Reactor reactor;
    private final Hub hub;
    private final PusherSession session;

    Users(final Reactor reactor, final PusherSession session)
    {
        this.reactor = reactor;
        this.hub = reactor.hub;
        this.session = session;
    }

    void registerUser(final Connection c, final String userId)
    {
        if (!c.registeredUsers.contains(userId))
        {
            c.registeredUsers.add(userId);
            c.app.addUserSocket(userId, reactor.addressOf(c));
        }
    }

    void maybeUnregisterUser(final Connection c, final String userId)
    {
        if (userId.equals(c.userId) || c.channelUserIds.contains(userId))
        {
            return;
        }
        if (c.registeredUsers.remove(userId))
        {
            c.app.removeUserSocket(userId, reactor.addressOf(c));
        }
    }

    void onSignin(final Connection c, final JsonScanner s, final int root)
    {
        final AppConfig config = c.app.config();
        if (!config.enableUserAuthentication)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: User authentication is disabled for this app");
            return;
        }
        final int data = s.member(root, "data");
        if (data < 0 || s.type(data) != JsonScanner.OBJECT)
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Invalid signin data format");
            return;
        }
        final int ud = s.member(data, "user_data");
        if (ud < 0 || s.type(ud) != JsonScanner.STRING)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Missing 'user_data' field in signin data");
            return;
        }
        final int authTok = s.member(data, "auth");
        if (authTok < 0 || s.type(authTok) != JsonScanner.STRING)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Missing 'auth' field in signin data");
            return;
        }
        final String userData = s.stringValue(ud);
        final String auth = s.stringValue(authTok);
        final byte[] bytes = userData.getBytes(StandardCharsets.UTF_8);
        final JsonScanner u = new JsonScanner();
        if (!u.scan(new UnsafeBuffer(bytes), 0, bytes.length) || u.type(u.root()) != JsonScanner.OBJECT)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Invalid user_data JSON: " +
                (u.errorMessage() == null ? "expected an object" : u.errorMessage()));
            return;
        }
        final int id = u.member(u.root(), "id");
        if (id < 0 || u.type(id) != JsonScanner.STRING)
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Missing 'id' field in user_data");
            return;
        }
        final String expected = config.key + ":" +
            PusherSignatures.signinSignature(config.secret, c.socketId, userData);
        if (!PusherSignatures.constantTimeEquals(auth, expected))
        {
            session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                "Authentication error: Connection not authorized for signin.");
            return;
        }
        java.util.List<String> watchlist = java.util.List.of();
        final int wl = u.member(u.root(), "watchlist");
        if (wl >= 0 && u.type(wl) != JsonScanner.NULL)
        {
            if (u.type(wl) != JsonScanner.ARRAY)
            {
                session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                    "Authentication error: Invalid user_data JSON: watchlist must be an array of strings");
                return;
            }
            watchlist = new java.util.ArrayList<>(u.childCount(wl));
            for (int t = u.firstChild(wl); t >= 0; t = u.next(t))
            {
                if (u.type(t) != JsonScanner.STRING)
                {
                    session.sendError(c, PusherErrorCodes.UNAUTHORIZED,
                        "Authentication error: Invalid user_data JSON: watchlist must be an array of strings");
                    return;
                }
                watchlist.add(u.stringValue(t));
            }
        }
        java.util.Map<String, java.util.List<String>> capabilities = null;
        final int caps = u.member(u.root(), "capabilities");
        if (caps >= 0 && u.type(caps) != JsonScanner.NULL)
        {
            capabilities = parseCapabilities(u, caps);
            if (capabilities == null)
            {
                session.sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Invalid user_data JSON: " +
                    "capabilities must be an object of channel-pattern arrays");
                return;
            }
        }
        final String userId = u.stringValue(id);
        c.info.userId = userId;
        c.info.capabilities = capabilities;
        if (c.userId != null)
        {
            final String previous = c.userId;
            c.userId = null;
            signOutWatch(c, previous);
            if (!previous.equals(userId))
            {
                maybeUnregisterUser(c, previous);
            }
        }
        if (c.userId == null && !c.authenticated)
        {
            c.authenticated = true;
            c.app.authenticated(1);
        }
        c.userId = userId;
        c.authDeadlineMs = 0;
        registerUser(c, userId);
        if (config.enableWatchlistEvents)
        {
            final java.util.List<String> online = new java.util.ArrayList<>();
            final java.util.List<String> offline = new java.util.ArrayList<>();
            c.watchlist = watchlist;
            final java.util.List<String> watchers = c.app.watchSignIn(userId, watchlist, online, offline);
            if (!watchlist.isEmpty())
            {
                reactor.send(c, reactor.frame.begin().utf8(watchlistFrame(online, offline)).end());
            }
            notifyWatchers(c.app, watchers, userId, "online");
        }
        reactor.send(c, PusherSession.finish(c, session.event(c, false, "signin_success")
            .ascii(",\"data\":{\"user_data\":").quoted(userData).ascii("}"), true));
    }

    void signOutWatch(final Connection c, final String userId)
    {
        if (c.watchlist != null)
        {
            final java.util.List<String> watchers = c.app.watchSignOut(userId, c.watchlist);
            c.watchlist = null;
            notifyWatchers(c.app, watchers, userId, "offline");
        }
    }

    /** Pusher's watchlist frame (what pusher-js's watchlist facade listens for). */
    private static String watchlistFrame(final java.util.List<String> online, final java.util.List<String> offline)
    {
        final StringBuilder sb = new StringBuilder(96);
        sb.append("{\"event\":\"pusher_internal:watchlist_events\",\"data\":{\"events\":[");
        boolean first = true;
        if (!online.isEmpty())
        {
            appendWatchEvent(sb, "online", online);
            first = false;
        }
        if (!offline.isEmpty())
        {
            if (!first)
            {
                sb.append(',');
            }
            appendWatchEvent(sb, "offline", offline);
        }
        return sb.append("]}}").toString();
    }

    private static void appendWatchEvent(final StringBuilder sb, final String name, final java.util.List<String> ids)
    {
        sb.append("{\"name\":\"").append(name).append("\",\"user_ids\":[");
        for (int i = 0; i < ids.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            io.sockudo.jvm.protocol.json.JsonWriter.appendQuoted(sb, ids.get(i));
        }
        sb.append("]}");
    }

    private void notifyWatchers(final AppState app, final java.util.List<String> watchers, final String userId,
        final String name)
    {
        if (watchers.isEmpty())
        {
            return;
        }
        final java.util.List<String> ids = java.util.List.of(userId);
        final String frame = name.equals("online") ? watchlistFrame(ids, java.util.List.of()) :
            watchlistFrame(java.util.List.of(), ids);
        for (final String watcher : watchers)
        {
            hub.publishToUser(reactor, app, watcher, reactor.frame.begin().utf8(frame).end());
        }
    }

    /**
     * {@code user_data.capabilities}: an object whose values are arrays of channel patterns. Keys are stored in the
     * underscore spelling ({@code annotation-publish} becomes {@code annotation_publish}).
     *
     * @return the map, or null when malformed
     */
    static java.util.Map<String, java.util.List<String>> parseCapabilities(final JsonScanner u, final int caps)
    {
        if (u.type(caps) != JsonScanner.OBJECT)
        {
            return null;
        }
        final java.util.Map<String, java.util.List<String>> map = new java.util.HashMap<>();
        for (int k = u.firstChild(caps); k >= 0; k = u.next(u.next(k)))
        {
            final int value = u.next(k);
            if (u.type(value) != JsonScanner.ARRAY)
            {
                return null;
            }
            final java.util.List<String> patterns = new java.util.ArrayList<>(u.childCount(value));
            for (int t = u.firstChild(value); t >= 0; t = u.next(t))
            {
                if (u.type(t) != JsonScanner.STRING)
                {
                    return null;
                }
                patterns.add(u.stringValue(t));
            }
            map.put(u.stringValue(k).replace('-', '_'), java.util.List.copyOf(patterns));
        }
        return java.util.Map.copyOf(map);
    }
}
