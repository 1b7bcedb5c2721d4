package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.ChannelType;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.protocol.ws.CloseCodes;
import io.sockudo.jvm.protocol.ws.WebSocketFrameDecoder;
import io.sockudo.jvm.protocol.ws.WebSocketFrameHandler;
import io.sockudo.jvm.protocol.ws.WebSocketOpcodes;
import io.sockudo.jvm.server.annotation.Capabilities;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Pusher protocol (V1) on a reactor: WebSocket frames in, Pusher events out. One instance per reactor;
 * {@link #current} is the connection whose bytes are being decoded.
 */
final class PusherSession implements WebSocketFrameHandler
{
    static final long PONG_TIMEOUT_MS = 30_000;
    static final String V1_EVENT = "{\"event\":\"pusher:";
    static final String V2_EVENT = "{\"event\":\"sockudo:";
    static final String V1_INTERNAL = "{\"event\":\"pusher_internal:";
    static final String V2_INTERNAL = "{\"event\":\"sockudo_internal:";
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final Reactor reactor;
    private final Hub hub;
    private final JsonScanner scanner = new JsonScanner();
    private final Users users;
    private final Subscriptions subscriptions;
    private final Recovery recovery;
    private final UnsafeBuffer excludeView = new UnsafeBuffer(new byte[0]);
    private final int activityTimeoutMs;
    private Connection current;

    PusherSession(final Reactor reactor)
    {
        this.reactor = reactor;
        this.hub = reactor.hub;
        this.activityTimeoutMs = hub.context().activityTimeoutSeconds * 1000;
        this.users = new Users(reactor, this);
        this.subscriptions = new Subscriptions(reactor, this, users);
        this.recovery = new Recovery(reactor, this);
    }

    // ---------------------------------------------------------------- connection lifecycle

    /**
     * Opens the Pusher session after the 101 response: app checks, then connection_established.
     */
    void onOpen(final Connection c, final AppState app, final String appKey, final boolean protocolV2,
        final String origin)
    {
        c.state = Connection.WEBSOCKET;
        c.decoder = new WebSocketFrameDecoder(hub.context().maxWebSocketMessageBytes(), true);
        c.lastActivityMs = reactor.nowMs;
        final ReactorMetrics metrics = reactor.metrics;
        if (app == null)
        {
            metrics.increment(metrics.unknownSlot(), ReactorMetrics.ERRORS + ReactorMetrics.ERROR_APP_NOT_FOUND);
            reactor.closeWithCode(c, PusherErrorCodes.APP_NOT_FOUND, "Application does not exist");
            return;
        }
        final AppConfig config = app.config();
        if (!config.enabled)
        {
            metrics.increment(app.index(), ReactorMetrics.ERRORS + ReactorMetrics.ERROR_APP_DISABLED);
            reactor.closeWithCode(c, PusherErrorCodes.APP_DISABLED, "Application disabled");
            return;
        }
        if (!OriginMatcher.allowed(config.allowedOrigins, origin))
        {
            metrics.increment(app.index(), ReactorMetrics.ERRORS + ReactorMetrics.ERROR_ORIGIN);
            reactor.closeWithCode(c, PusherErrorCodes.UNAUTHORIZED, "Origin not allowed");
            return;
        }
        if (!app.tryAddConnection())
        {
            metrics.increment(app.index(), ReactorMetrics.ERRORS + ReactorMetrics.ERROR_APP_VALIDATION);
            reactor.closeWithCode(c, PusherErrorCodes.OVER_QUOTA, "Application is over adapter quota");
            return;
        }
        metrics.increment(app.index(), ReactorMetrics.NEW_CONNECTIONS);
        c.app = app;
        c.protocolV2 = protocolV2;
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        c.socketId = random.nextLong(0, 10_000_000_001L) + "." + random.nextLong(0, 10_000_000_001L);
        c.socketIdBytes = c.socketId.getBytes(StandardCharsets.US_ASCII);
        c.info = new AppState.SocketInfo(protocolV2);
        app.registerSocket(c.socketId, c.info);
        if (config.enableUserAuthentication)
        {
            c.authDeadlineMs = reactor.nowMs + hub.context().userAuthenticationTimeoutSeconds * 1000L;
        }
        final FrameWriter f = event(c, false, "connection_established")
            .ascii(",\"data\":\"{\\\"socket_id\\\":\\\"")
            .ascii(c.socketId)
            .ascii("\\\",\\\"activity_timeout\\\":")
            .number(hub.context().activityTimeoutSeconds)
            .ascii("}\"");
        reactor.send(c, finish(c, f, true));
    }

    /** Session cleanup after the socket closed: leave channels, unregister the user. */
    void onDisconnect(final Connection c)
    {
        final AppState app = c.app;
        for (int i = c.channels.size() - 1; i >= 0; i--)
        {
            subscriptions.leave(c, i);
        }
        if (c.userId != null)
        {
            users.signOutWatch(c, c.userId);
        }
        for (int i = 0; i < c.registeredUsers.size(); i++)
        {
            app.removeUserSocket(c.registeredUsers.get(i), reactor.addressOf(c));
        }
        c.registeredUsers.clear();
        if (c.authenticated)
        {
            app.authenticated(-1);
        }
        app.unregisterSocket(c.socketId);
        app.removeConnection();
        reactor.metrics.increment(app.index(), ReactorMetrics.NEW_DISCONNECTIONS);
        c.app = null;
    }

    void onBytes(final Connection c, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (c.decoder == null)
        {
            return;
        }
        current = c;
        final int result = c.decoder.decode(buffer, offset, length, this);
        current = null;
        if (result > 0 && c.state == Connection.WEBSOCKET)
        {
            // RFC 6455 7.1.7 "fail the connection": send the close frame and drop TCP once it is written;
            // the decoder is stuck on the error, so waiting for the peer's close would only add delay.
            reactor.sendClose(c, result, c.decoder.errorReason());
            reactor.closeAfterFlush(c);
        }
    }

    /**
     * Heartbeat, user-authentication timeout and closing deadline.
     *
     * @return work done
     */
    int onTimer(final Connection c, final long nowMs)
    {
        if (c.state == Connection.CLOSING)
        {
            if (nowMs >= c.closeDeadlineMs)
            {
                reactor.closeNow(c);
                return 1;
            }
            return 0;
        }
        if (c.state == Connection.HTTP)
        {
            if (nowMs - c.lastActivityMs > 60_000)
            {
                reactor.closeNow(c);
                return 1;
            }
            return 0;
        }
        if (c.state != Connection.WEBSOCKET || c.app == null)
        {
            return 0;
        }
        if (c.authDeadlineMs > 0 && nowMs >= c.authDeadlineMs)
        {
            reactor.closeWithCode(c, PusherErrorCodes.UNAUTHORIZED, "Connection not authorized within timeout.");
            return 1;
        }
        if (c.pingSent)
        {
            if (nowMs >= c.pongDeadlineMs)
            {
                reactor.closeWithCode(c, PusherErrorCodes.PONG_NOT_RECEIVED, "Pong reply not received in time");
                return 1;
            }
        }
        else if (nowMs - c.lastActivityMs >= activityTimeoutMs)
        {
            c.pingSent = true;
            c.pongDeadlineMs = nowMs + PONG_TIMEOUT_MS;
            if (c.protocolV2)
            {
                // V2 heartbeat: a native ping frame (decision in the spec README; 4.4.0 sends none)
                reactor.sendControl(c, WebSocketOpcodes.PING, EMPTY, 0, 0);
            }
            else
            {
                reactor.send(c, reactor.frame.begin().ascii("{\"event\":\"pusher:ping\"}").end());
            }
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- frames

    @Override
    public void onMessage(final boolean text, final DirectBuffer buffer, final int offset, final int length)
    {
        final Connection c = current;
        if (c.state != Connection.WEBSOCKET || c.app == null)
        {
            return;
        }
        c.lastActivityMs = reactor.nowMs;
        final ReactorMetrics metrics = reactor.metrics;
        final int appIndex = c.app.index();
        metrics.increment(appIndex, ReactorMetrics.WS_RECEIVED);
        metrics.add(appIndex, ReactorMetrics.SOCKET_RECEIVED_BYTES, length);
        final JsonScanner s = scanner;
        if (!s.scan(buffer, offset, length) || s.type(s.root()) != JsonScanner.OBJECT)
        {
            metrics.increment(appIndex, ReactorMetrics.ERRORS + ReactorMetrics.ERROR_INVALID_FORMAT);
            sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Decode failed: " +
                (s.errorMessage() == null ? "expected a JSON object" : s.errorMessage()));
            return;
        }
        final int root = s.root();
        final int event = s.member(root, "event");
        if (event < 0 || s.type(event) != JsonScanner.STRING)
        {
            metrics.increment(appIndex, ReactorMetrics.ERRORS + ReactorMetrics.ERROR_MISSING_EVENT);
            sendError(c, PusherErrorCodes.GENERIC, "Invalid event name: Event name is required");
            return;
        }
        final AppConfig config = c.app.config();
        if (config.messageRateLimitEnabled && !allowMessage(c, config))
        {
            return;
        }
        if (startsWith(s, event, "client-"))
        {
            if (config.maxClientEventsPerSecond > 0 && !allowClientEvent(c, config))
            {
                return;
            }
            onClientEvent(c, root, event);
            return;
        }
        final int name = canonicalStart(s, event);
        if (name < 0)
        {
            return;
        }
        if (eventIs(s, event, name, "ping"))
        {
            c.pingSent = false;
            reactor.send(c, finish(c, event(c, false, "pong"), false));
        }
        else if (eventIs(s, event, name, "pong"))
        {
            c.pingSent = false;
        }
        else if (eventIs(s, event, name, "subscribe"))
        {
            subscriptions.onSubscribe(c, scanner, root);
        }
        else if (eventIs(s, event, name, "unsubscribe"))
        {
            subscriptions.onUnsubscribe(c, scanner, root);
        }
        else if (eventIs(s, event, name, "signin"))
        {
            users.onSignin(c, scanner, root);
        }
        else if (eventIs(s, event, name, "resume"))
        {
            recovery.onResume(c, scanner, root);
        }
        // anything else is ignored, as Pusher and Sockudo do
    }

    @Override
    public void onPing(final DirectBuffer buffer, final int offset, final int length)
    {
        final Connection c = current;
        if (c.state == Connection.WEBSOCKET)
        {
            reactor.sendControl(c, WebSocketOpcodes.PONG, buffer, offset, length);
        }
    }

    @Override
    public void onPong(final DirectBuffer buffer, final int offset, final int length)
    {
        // Native pongs do not count as Pusher activity on V1 (spec pusher-v1 4.2); on V2 they answer the
        // server's native ping.
        final Connection c = current;
        if (c.protocolV2)
        {
            c.pingSent = false;
            c.lastActivityMs = reactor.nowMs;
        }
    }

    @Override
    public void onClose(final int code, final DirectBuffer buffer, final int reasonOffset, final int reasonLength)
    {
        final Connection c = current;
        if (c.state == Connection.WEBSOCKET)
        {
            reactor.sendClose(c, code == CloseCodes.NO_STATUS ? CloseCodes.NORMAL : code, "");
        }
        c.decoder.halt();
        reactor.closeAfterFlush(c);
    }

    // ---------------------------------------------------------------- events

    private void onClientEvent(final Connection c, final int root, final int event)
    {
        final JsonScanner s = scanner;
        final AppConfig config = c.app.config();
        final int chTok = s.member(root, "channel");
        if (chTok < 0 || s.type(chTok) != JsonScanner.STRING)
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR, "Client event error: Channel required for client event");
            return;
        }
        if (!config.enableClientMessages)
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR,
                "Client event error: Client events are not enabled for this app");
            return;
        }
        if (s.stringValueLength(event) > config.maxEventNameLength)
        {
            sendError(c, PusherErrorCodes.GENERIC,
                "Invalid event name: Event name exceeds maximum length of " + config.maxEventNameLength);
            return;
        }
        final String channel = s.stringValue(chTok);
        final String invalid = c.app.validateChannelName(channel);
        if (invalid != null)
        {
            sendError(c, PusherErrorCodes.CHANNEL_ERROR, "Channel name invalid: " + invalid);
            return;
        }
        final ChannelType type = ChannelName.type(channel);
        if (type != ChannelType.PRIVATE && type != ChannelType.PRESENCE)
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR,
                "Client event error: Client events can only be sent to private or presence channels");
            return;
        }
        final int data = s.member(root, "data");
        final int dataLength = data < 0 ? 0 : s.length(data);
        if (config.maxEventPayloadInKb > 0 && dataLength > config.maxEventPayloadInKb * 1024)
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR, "Client event error: Event payload size (" +
                dataLength + " bytes) exceeds limit (" + config.maxEventPayloadInKb + "KB)");
            return;
        }
        final int index = c.indexOfChannel(channel);
        if (index < 0)
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR, "Client event error: Socket " + c.socketId +
                " is not subscribed to channel " + channel);
            return;
        }
        if (c.protocolV2)
        {
            final io.sockudo.jvm.server.config.NamespaceConfig ns = c.app.namespaceOf(channel);
            if (ns != null && Boolean.FALSE.equals(ns.allowPublishForClient))
            {
                sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Channel namespace '" + ns.name +
                    "' does not allow client publishing");
                return;
            }
            final java.util.Map<String, java.util.List<String>> caps = c.info.capabilities;
            if (caps != null && caps.get("publish") != null && !Capabilities.matchesAny(caps.get("publish"), channel))
            {
                sendError(c, PusherErrorCodes.UNAUTHORIZED, "Authentication error: Connection is not allowed to " +
                    "publish channel '" + channel + "'");
                return;
            }
        }
        final Channel ch = c.channels.get(index);
        final String userId = c.channelUserIds.get(index);
        final DirectBuffer src = s.buffer();
        final FrameWriter f = reactor.frame.begin().ascii("{\"event\":")
            .raw(src, s.offset(event), s.length(event))
            .ascii(",\"channel\":").raw(src, s.offset(chTok), s.length(chTok))
            .ascii(",\"data\":");
        if (data < 0)
        {
            f.ascii("null");
        }
        else
        {
            f.raw(src, s.offset(data), s.length(data));
        }
        if (userId != null)
        {
            // Pusher semantics: presence client events carry the sender's user_id (4.4.0 omits it).
            f.ascii(",\"user_id\":").quoted(userId);
        }
        f.ascii("}").end();
        final io.sockudo.jvm.server.history.HistoryPolicy policy = c.app.historyPolicy(channel);
        if (policy.enabled)
        {
            final boolean echo = c.protocolV2 && c.echoMessages;
            final Durable.Message m = new Durable.Message();
            m.event = s.stringValue(event);
            m.dataJson = data < 0 ? null : src.getStringWithoutLengthUtf8(s.offset(data), s.length(data));
            m.userId = userId;
            m.actor = echo ? null : c.info.userId;
            m.v1 = f;
            if (!echo)
            {
                excludeView.wrap(c.socketIdBytes);
                m.exclude = excludeView;
                m.excludeLength = c.socketIdBytes.length;
            }
            reactor.durable.submit(c.app, java.util.List.of(reactor.durable.prepare(c.app, channel, policy, m)),
                error ->
                {
                    if (error != null)
                    {
                        reactor.errorHandler().onError(error);
                    }
                });
        }
        else if (c.protocolV2 && c.echoMessages)
        {
            // echo control (spec protocol-v2 4.4): a V2 sender receives its own client event unless echo is off
            hub.publish(reactor, ch, f, null, ch.joinSequence(), null, 0, 0);
        }
        else
        {
            excludeView.wrap(c.socketIdBytes);
            hub.publish(reactor, ch, f, null, ch.joinSequence(), excludeView, 0, c.socketIdBytes.length);
        }
        if (c.app.hasWebhooks())
        {
            c.app.webhooks().clientEvent(c.app, channel, s.stringValue(event),
                data < 0 ? "null" : src.getStringWithoutLengthUtf8(s.offset(data), s.length(data)), c.socketId, userId);
        }
    }

    // ---------------------------------------------------------------- limits

    private boolean allowMessage(final Connection c, final AppConfig config)
    {
        final long now = reactor.nowMs;
        if (c.messageWindowStartMs == 0 || now - c.messageWindowStartMs >= config.messageRateLimitDecaySeconds * 1000L)
        {
            c.messageWindowStartMs = now;
            c.messageCount = 0;
        }
        final int app = c.app.index();
        reactor.metrics.increment(app, ReactorMetrics.RATE_LIMIT_CHECKS + ReactorMetrics.LIMITER_MESSAGES);
        if (++c.messageCount <= config.messageRateLimitMaxAttempts)
        {
            return true;
        }
        reactor.metrics.increment(app, ReactorMetrics.RATE_LIMIT_TRIGGERED + ReactorMetrics.LIMITER_MESSAGES);
        rateLimited(c, config.messageRateLimitTerminateOnLimit);
        return false;
    }

    private boolean allowClientEvent(final Connection c, final AppConfig config)
    {
        final long now = reactor.nowMs;
        if (c.clientEventWindowStartMs == 0 || now - c.clientEventWindowStartMs >= config.decaySeconds * 1000L)
        {
            c.clientEventWindowStartMs = now;
            c.clientEventCount = 0;
        }
        final int app = c.app.index();
        reactor.metrics.increment(app, ReactorMetrics.RATE_LIMIT_CHECKS + ReactorMetrics.LIMITER_CLIENT_EVENTS);
        if (++c.clientEventCount <= config.maxClientEventsPerSecond)
        {
            return true;
        }
        reactor.metrics.increment(app, ReactorMetrics.RATE_LIMIT_TRIGGERED + ReactorMetrics.LIMITER_CLIENT_EVENTS);
        rateLimited(c, config.terminateOnLimit);
        return false;
    }

    private void rateLimited(final Connection c, final boolean terminate)
    {
        if (terminate)
        {
            reactor.closeWithCode(c, PusherErrorCodes.CLIENT_EVENT_ERROR,
                "Connection closed due to client event rate limit");
        }
        else
        {
            sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR, "Client event rejected due to rate limit");
        }
    }

    // ---------------------------------------------------------------- helpers

    void sendError(final Connection c, final int code, final String message)
    {
        if (code == PusherErrorCodes.UNAUTHORIZED && c.app != null && message.startsWith("Authentication error"))
        {
            reactor.metrics.increment(c.app.index(), ReactorMetrics.ERRORS + ReactorMetrics.ERROR_AUTH_FAILED);
        }
        final FrameWriter f = reactor.control.begin()
            .ascii(c.protocolV2 ? "{\"event\":\"sockudo:error\",\"data\":{\"code\":" :
                "{\"event\":\"pusher:error\",\"data\":{\"code\":").number(code)
            .ascii(",\"message\":").quoted(message).ascii("}");
        reactor.send(c, finish(c, f, true));
    }

    /**
     * Starts a protocol frame for one connection: {@code {"event":"<prefix><name>"} with the prefix of its
     * protocol (V1 {@code pusher:} / {@code pusher_internal:}, V2 {@code sockudo:} / {@code sockudo_internal:}).
     */
    FrameWriter event(final Connection c, final boolean internal, final String name)
    {
        final String prefix = internal ? (c.protocolV2 ? V2_INTERNAL : V1_INTERNAL) : (c.protocolV2 ? V2_EVENT : V1_EVENT);
        return (name.equals("error") ? reactor.control : reactor.frame).begin().ascii(prefix).ascii(name).ascii("\"");
    }

    /**
     * Closes a protocol frame; V2 direct frames get a fresh {@code message_id} (spec protocol-v2 1.4).
     */
    static FrameWriter finish(final Connection c, final FrameWriter f, final boolean messageId)
    {
        if (messageId && c.protocolV2)
        {
            f.ascii(",\"message_id\":\"").ascii(java.util.UUID.randomUUID().toString()).ascii("\"");
        }
        return f.ascii("}").end();
    }

    /** Offset (in the token's raw span) of the name after a pusher:/pusher_internal:/sockudo: prefix, or -1. */
    private static int canonicalStart(final JsonScanner s, final int token)
    {
        if (startsWith(s, token, "pusher:"))
        {
            return 1 + 7;
        }
        if (startsWith(s, token, "sockudo:"))
        {
            return 1 + 8;
        }
        if (startsWith(s, token, "pusher_internal:"))
        {
            return 1 + 16;
        }
        if (startsWith(s, token, "sockudo_internal:"))
        {
            return 1 + 17;
        }
        return -1;
    }

    private static boolean eventIs(final JsonScanner s, final int token, final int nameStart, final String name)
    {
        final int len = s.length(token);
        if (len - nameStart - 1 != name.length())
        {
            return false;
        }
        final DirectBuffer b = s.buffer();
        final int base = s.offset(token) + nameStart;
        for (int i = 0; i < name.length(); i++)
        {
            if (b.getByte(base + i) != name.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Raw prefix test on a string token (no escapes expected in event names). */
    private static boolean startsWith(final JsonScanner s, final int token, final String prefix)
    {
        final int len = s.length(token) - 2;
        if (len < prefix.length())
        {
            return false;
        }
        final DirectBuffer b = s.buffer();
        final int base = s.offset(token) + 1;
        for (int i = 0; i < prefix.length(); i++)
        {
            if (b.getByte(base + i) != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
