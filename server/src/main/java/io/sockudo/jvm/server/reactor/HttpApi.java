package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.http.HttpRequest;
import io.sockudo.jvm.protocol.http.QueryString;
import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The Pusher HTTP API of spec pusher-v1 section 5, after request signing has been verified. Runs on the
 * reactor that received the request; publishing hands one encoded frame per channel to the {@link Hub}.
 */
final class HttpApi
{
    private final Reactor reactor;
    private final JsonScanner scanner = new JsonScanner();
    private final UnsafeBuffer bodyBuffer = new UnsafeBuffer(new byte[0]);
    private final HistoryApi history;
    /** Durable writes of the request being handled (see {@link Deferred}); null while there are none. */
    private List<Durable.DurableWrite> pending;
    private final AnnotationApi annotations;

    HttpApi(final Reactor reactor)
    {
        this.reactor = reactor;
        this.history = new HistoryApi(reactor);
        this.annotations = new AnnotationApi(reactor);
    }

    /** A matched route. */
    static final class Route
    {
        static final int EVENTS = 1;
        static final int BATCH_EVENTS = 2;
        static final int CHANNELS = 3;
        static final int CHANNEL = 4;
        static final int CHANNEL_USERS = 5;
        static final int TERMINATE = 6;
        static final int HISTORY = 7;
        static final int HISTORY_STATE = 8;
        static final int HISTORY_RESET = 9;
        static final int HISTORY_PURGE = 10;
        static final int MESSAGE = 11;
        static final int VERSIONS = 12;
        static final int MUTATE = 13;
        static final int ANNOTATIONS_PUBLISH = 14;
        static final int ANNOTATIONS_LIST = 15;
        static final int ANNOTATIONS_DELETE = 16;

        final int kind;
        final String param;
        final boolean methodNotAllowed;
        final String allow;
        /** message serial of the message routes. */
        String serial;
        /** update, delete or append; the annotation serial of an annotation delete. */
        String action;

        Route(final int kind, final String param, final boolean methodNotAllowed, final String allow)
        {
            this.kind = kind;
            this.param = param;
            this.methodNotAllowed = methodNotAllowed;
            this.allow = allow;
        }
    }

    /** A JSON response. */
    static class Response
    {
        final int status;
        final String body;

        Response(final int status, final String body)
        {
            this.status = status;
            this.body = body;
        }
    }

    /**
     * A response that waits for durable writes: the session hands {@link #writes} to the log writer and answers
     * with {@link #done} on the reactor once they ran (500 if one failed).
     */
    static final class Deferred extends Response
    {
        final List<Durable.DurableWrite> writes;
        final java.util.function.Supplier<Response> done;

        Deferred(final List<Durable.DurableWrite> writes, final java.util.function.Supplier<Response> done)
        {
            super(0, null);
            this.writes = writes;
            this.done = done;
        }
    }

    /**
     * Matches the part of the path after {@code /apps/{appId}/}.
     *
     * @param method HTTP method
     * @param rest path rest
     * @return route or null for 404
     */
    static Route route(final String method, final String rest)
    {
        if (rest.equals("events"))
        {
            return expect(method, "POST", Route.EVENTS, null);
        }
        if (rest.equals("batch_events"))
        {
            return expect(method, "POST", Route.BATCH_EVENTS, null);
        }
        if (rest.equals("channels"))
        {
            return expect(method, "GET", Route.CHANNELS, null);
        }
        if (rest.startsWith("channels/"))
        {
            final String tail = rest.substring(9);
            if (tail.endsWith("/users") && tail.length() > 6 && tail.indexOf('/') == tail.length() - 6)
            {
                return expect(method, "GET", Route.CHANNEL_USERS,
                    QueryString.percentDecode(tail.substring(0, tail.length() - 6)));
            }
            if (!tail.isEmpty() && tail.indexOf('/') < 0)
            {
                return expect(method, "GET", Route.CHANNEL, QueryString.percentDecode(tail));
            }
            return historyRoute(method, tail);
        }
        if (rest.startsWith("users/") && rest.endsWith("/terminate_connections"))
        {
            final String user = rest.substring(6, rest.length() - "/terminate_connections".length());
            if (!user.isEmpty() && user.indexOf('/') < 0)
            {
                return expect(method, "POST", Route.TERMINATE, QueryString.percentDecode(user));
            }
        }
        return null;
    }

    /** {@code {ch}/history[/state|reset|purge]} and {@code {ch}/messages/{serial}[/versions|update|delete|append]}. */
    private static Route historyRoute(final String method, final String tail)
    {
        final String[] parts = tail.split("/", -1);
        if (parts.length < 2 || parts[0].isEmpty())
        {
            return null;
        }
        final String channel = QueryString.percentDecode(parts[0]);
        if (parts[1].equals("history"))
        {
            if (parts.length == 2)
            {
                return expect(method, "GET", Route.HISTORY, channel);
            }
            if (parts.length == 3 && parts[2].equals("state"))
            {
                return expect(method, "GET", Route.HISTORY_STATE, channel);
            }
            if (parts.length == 3 && parts[2].equals("reset"))
            {
                return expect(method, "POST", Route.HISTORY_RESET, channel);
            }
            if (parts.length == 3 && parts[2].equals("purge"))
            {
                return expect(method, "POST", Route.HISTORY_PURGE, channel);
            }
            return null;
        }
        if (!parts[1].equals("messages") || parts.length < 3 || parts.length > 5 || parts[2].isEmpty())
        {
            return null;
        }
        final Route route;
        if (parts.length == 5)
        {
            if (!parts[3].equals("annotations") || parts[4].isEmpty())
            {
                return null;
            }
            route = expect(method, "DELETE", Route.ANNOTATIONS_DELETE, channel);
            route.action = QueryString.percentDecode(parts[4]);
        }
        else if (parts.length == 4 && parts[3].equals("annotations"))
        {
            route = "POST".equals(method) ? expect(method, "POST", Route.ANNOTATIONS_PUBLISH, channel) :
                new Route(Route.ANNOTATIONS_LIST, channel, !"GET".equals(method), "GET, POST");
        }
        else if (parts.length == 3)
        {
            route = expect(method, "GET", Route.MESSAGE, channel);
        }
        else if (parts[3].equals("versions"))
        {
            route = expect(method, "GET", Route.VERSIONS, channel);
        }
        else if (parts[3].equals("update") || parts[3].equals("delete") || parts[3].equals("append"))
        {
            route = expect(method, "POST", Route.MUTATE, channel);
            route.action = parts[3];
        }
        else
        {
            return null;
        }
        route.serial = QueryString.percentDecode(parts[2]);
        return route;
    }

    private static Route expect(final String method, final String allowed, final int kind, final String param)
    {
        return new Route(kind, param, !allowed.equals(method), allowed);
    }

    Response handle(final Route route, final AppState app, final HttpRequest request)
    {
        pending = null;
        switch (route.kind)
        {
            case Route.EVENTS:
                return events(app, request);
            case Route.BATCH_EVENTS:
                return batch(app, request);
            case Route.CHANNELS:
                return channels(app, request);
            case Route.CHANNEL:
                return channel(app, request, route.param);
            case Route.CHANNEL_USERS:
                return users(app, route.param);
            case Route.TERMINATE:
                reactor.hub.terminateUser(reactor, app, route.param, PusherErrorCodes.UNAUTHORIZED,
                    "You got disconnected by the app.");
                return new Response(200, "{\"ok\":true}");
            case Route.HISTORY:
                return history.history(app, request, route.param);
            case Route.HISTORY_STATE:
                return history.state(app, route.param);
            case Route.HISTORY_RESET:
                return history.resetOrPurge(app, request, route.param, true);
            case Route.HISTORY_PURGE:
                return history.resetOrPurge(app, request, route.param, false);
            case Route.MESSAGE:
                return history.message(app, route.param, route.serial);
            case Route.VERSIONS:
                return history.versions(app, request, route.param, route.serial);
            case Route.MUTATE:
                return history.mutate(app, request, route.param, route.serial, route.action);
            case Route.ANNOTATIONS_PUBLISH:
            case Route.ANNOTATIONS_LIST:
            case Route.ANNOTATIONS_DELETE:
                return annotations.handle(route.kind, app, request, route.param, route.serial, route.action);
            default:
                return error(404, "not_found", "Not found");
        }
    }

    // ---------------------------------------------------------------- events

    /** One validated event of a publish request, pointing into the scanner's tape. */
    private static final class Event
    {
        int name;
        int data;
        final List<String> channels = new ArrayList<>(1);
        String socketId;
        String info;
        String idempotencyKey;
        /** extras token, -1 when absent (V2 only). */
        int extras = -1;
        /** extras.idempotencyKey: message-level deduplication per channel. */
        String messageKey;
        boolean ephemeral;
    }

    private Response events(final AppState app, final HttpRequest request)
    {
        final Response invalid = scanBody(request);
        if (invalid != null)
        {
            return invalid;
        }
        if (scanner.type(scanner.root()) != JsonScanner.OBJECT)
        {
            return error(400, "invalid_input", "Request body must be a JSON object");
        }
        final Event event = new Event();
        final Response bad = parseEvent(app, scanner.root(), event);
        if (bad != null)
        {
            return bad;
        }
        String key = event.idempotencyKey;
        if (key == null)
        {
            key = request.header("X-Idempotency-Key");
            final Response badKey = checkKey(key);
            if (badKey != null)
            {
                return badKey;
            }
        }
        if (key != null && app.idempotencyEnabled())
        {
            reactor.metrics.increment(app.index(), ReactorMetrics.IDEMPOTENCY_PUBLISH);
            final AppState.StoredResponse stored = app.storedResponse("events:" + key, reactor.nowMs);
            if (stored != null)
            {
                reactor.metrics.increment(app.index(), ReactorMetrics.IDEMPOTENCY_DUPLICATES);
                return new Response(stored.status, stored.body);
            }
        }
        publish(app, event);
        final String storeKey = key != null && app.idempotencyEnabled() ? "events:" + key : null;
        final java.util.function.Supplier<Response> done = () ->
        {
            final Response response = eventsResponse(app, event);
            if (storeKey != null)
            {
                app.storeResponse(storeKey, response.status, response.body, reactor.nowMs);
            }
            return response;
        };
        return pending == null ? done.get() : new Deferred(pending, done);
    }

    private Response checkKey(final String key)
    {
        final int max = reactor.hub.context().idempotency.maxKeyLength;
        if (key != null && (key.isEmpty() || key.length() > max))
        {
            return error(400, "invalid_input", "Idempotency key must be between 1 and " + max + " characters");
        }
        return null;
    }

    private static Response eventsResponse(final AppState app, final Event event)
    {
        if (event.info == null)
        {
            return new Response(200, "{\"ok\":true}");
        }
        final StringBuilder sb = new StringBuilder(64);
        sb.append("{\"channels\":{");
        boolean first = true;
        for (final String channel : event.channels)
        {
            final String info = infoObject(app, channel, event.info);
            if (info.length() > 2)
            {
                if (!first)
                {
                    sb.append(',');
                }
                first = false;
                JsonWriter.appendQuoted(sb, channel);
                sb.append(':').append(info);
            }
        }
        return new Response(200, sb.append("}}").toString());
    }

    private Response batch(final AppState app, final HttpRequest request)
    {
        final String batchKey = request.header("X-Idempotency-Key");
        final Response badKey = checkKey(batchKey);
        if (badKey != null)
        {
            return badKey;
        }
        if (batchKey != null && app.idempotencyEnabled())
        {
            final AppState.StoredResponse stored = app.storedResponse("batch:" + batchKey, reactor.nowMs);
            if (stored != null)
            {
                return new Response(stored.status, stored.body);
            }
        }
        final Response response = batchOnce(app, request);
        if (batchKey == null || !app.idempotencyEnabled())
        {
            return response;
        }
        final java.util.function.Supplier<Response> done = () ->
        {
            final Response r = response instanceof Deferred ? ((Deferred)response).done.get() : response;
            if (r.status == 200)
            {
                app.storeResponse("batch:" + batchKey, r.status, r.body, reactor.nowMs);
            }
            return r;
        };
        return response instanceof Deferred ? new Deferred(((Deferred)response).writes, done) : done.get();
    }

    private Response batchOnce(final AppState app, final HttpRequest request)
    {
        final Response invalid = scanBody(request);
        if (invalid != null)
        {
            return invalid;
        }
        final int root = scanner.root();
        final int batch = scanner.type(root) == JsonScanner.OBJECT ? scanner.member(root, "batch") : -1;
        if (batch < 0 || scanner.type(batch) != JsonScanner.ARRAY)
        {
            return error(400, "invalid_input", "Request must contain 'batch' (list)");
        }
        final AppConfig config = app.config();
        final int size = scanner.childCount(batch);
        if (config.maxEventBatchSize > 0 && size > config.maxEventBatchSize)
        {
            return error(400, "limit_exceeded",
                "Batch size (" + size + ") exceeds limit (" + config.maxEventBatchSize + ")");
        }
        // Validate the whole batch first so that a bad item publishes nothing (4.4.0 publishes the items
        // before the bad one).
        final List<Event> events = new ArrayList<>(size);
        boolean anyInfo = false;
        for (int item = scanner.firstChild(batch); item >= 0; item = scanner.next(item))
        {
            if (scanner.type(item) != JsonScanner.OBJECT)
            {
                return error(400, "invalid_input", "Each batch item must be a JSON object");
            }
            final Event event = new Event();
            final Response bad = parseEvent(app, item, event);
            if (bad != null)
            {
                return bad;
            }
            anyInfo |= event.info != null;
            events.add(event);
        }
        for (final Event event : events)
        {
            if (event.idempotencyKey != null && app.idempotencyEnabled())
            {
                final String key = "events:" + event.idempotencyKey;
                if (app.storedResponse(key, reactor.nowMs) != null)
                {
                    continue; // a repeated item is skipped silently
                }
                publish(app, event);
                final Response r = eventsResponse(app, event);
                app.storeResponse(key, r.status, r.body, reactor.nowMs);
                continue;
            }
            publish(app, event);
        }
        final boolean info = anyInfo;
        final java.util.function.Supplier<Response> done = () ->
        {
            if (!info)
            {
                return new Response(200, "{}");
            }
            final StringBuilder sb = new StringBuilder(64);
            sb.append("{\"batch\":[");
            for (int i = 0; i < events.size(); i++)
            {
                final Event event = events.get(i);
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append(event.info == null ? "{}" : infoObject(app, event.channels.get(0), event.info));
            }
            return new Response(200, sb.append("]}").toString());
        };
        return pending == null ? done.get() : new Deferred(pending, done);
    }

    private Response scanBody(final HttpRequest request)
    {
        final byte[] body = request.body();
        bodyBuffer.wrap(body);
        if (!scanner.scan(bodyBuffer, 0, body.length))
        {
            return error(400, "invalid_input", "Invalid JSON body: " + scanner.errorMessage());
        }
        return null;
    }

    private Response parseEvent(final AppState app, final int object, final Event event)
    {
        final JsonScanner s = scanner;
        final AppConfig config = app.config();
        final int name = s.member(object, "name");
        if (name < 0 || s.type(name) == JsonScanner.NULL)
        {
            return error(400, "invalid_input", "Event name is required");
        }
        if (s.type(name) != JsonScanner.STRING)
        {
            return error(400, "invalid_input", "Event name must be a string");
        }
        if (s.stringValueLength(name) > config.maxEventNameLength)
        {
            return error(400, "limit_exceeded",
                "Event name exceeds maximum length of " + config.maxEventNameLength);
        }
        event.name = name;
        final int data = s.member(object, "data");
        event.data = data;
        if (data >= 0 && config.maxEventPayloadInKb > 0)
        {
            final int size = s.type(data) == JsonScanner.STRING ? s.stringValueLength(data) :
                JsonWriter.compact(s, data).length();
            if (size > config.maxEventPayloadInKb * 1024)
            {
                return error(413, "payload_too_large", "Event payload size (" + size + " bytes) exceeds limit (" +
                    config.maxEventPayloadInKb + "KB)");
            }
        }
        final int channels = s.member(object, "channels");
        final int channel = s.member(object, "channel");
        if (channels >= 0 && s.type(channels) != JsonScanner.NULL)
        {
            if (s.type(channels) != JsonScanner.ARRAY)
            {
                return error(400, "invalid_input", "'channels' must be a list of strings");
            }
            if (s.childCount(channels) == 0)
            {
                return missingChannel();
            }
            for (int t = s.firstChild(channels); t >= 0; t = s.next(t))
            {
                if (s.type(t) != JsonScanner.STRING)
                {
                    return error(400, "invalid_input", "'channels' must be a list of strings");
                }
                event.channels.add(s.stringValue(t));
            }
        }
        else if (channel >= 0 && s.type(channel) == JsonScanner.STRING)
        {
            event.channels.add(s.stringValue(channel));
        }
        else if (channel >= 0 && s.type(channel) != JsonScanner.NULL)
        {
            return error(400, "invalid_input", "'channel' must be a string");
        }
        else
        {
            return missingChannel();
        }
        if (config.maxEventChannelsAtOnce > 0 && event.channels.size() > config.maxEventChannelsAtOnce)
        {
            return error(400, "limit_exceeded", "Number of channels (" + event.channels.size() +
                ") exceeds limit (" + config.maxEventChannelsAtOnce + ")");
        }
        for (final String ch : event.channels)
        {
            final String invalid = app.validateChannelName(ch);
            if (invalid != null)
            {
                return error(400, "invalid_input", invalid);
            }
        }
        final int socketId = s.member(object, "socket_id");
        if (socketId >= 0 && s.type(socketId) == JsonScanner.STRING)
        {
            event.socketId = s.stringValue(socketId);
        }
        final int info = s.member(object, "info");
        if (info >= 0 && s.type(info) == JsonScanner.STRING)
        {
            event.info = s.stringValue(info);
        }
        final int extras = s.member(object, "extras");
        if (extras >= 0 && s.type(extras) != JsonScanner.NULL)
        {
            final Response bad = parseExtras(s, extras, event);
            if (bad != null)
            {
                return bad;
            }
        }
        final int key = s.member(object, "idempotency_key");
        if (key >= 0 && s.type(key) != JsonScanner.NULL)
        {
            if (s.type(key) != JsonScanner.STRING)
            {
                return error(400, "invalid_input", "idempotency_key must be a string");
            }
            event.idempotencyKey = s.stringValue(key);
            final Response bad = checkKey(event.idempotencyKey);
            if (bad != null)
            {
                return bad;
            }
        }
        return null;
    }

    /**
     * {@code extras: {headers?: {k: string|number|bool}, ephemeral?: bool, idempotencyKey?: string, echo?: bool}}
     * (spec protocol-v2 4.2). {@code idempotency_key} is accepted as well (decision in the spec README).
     */
    private Response parseExtras(final JsonScanner s, final int extras, final Event event)
    {
        if (s.type(extras) != JsonScanner.OBJECT)
        {
            return error(400, "invalid_input", "extras must be an object");
        }
        final int headers = s.member(extras, "headers");
        if (headers >= 0 && s.type(headers) != JsonScanner.NULL)
        {
            if (s.type(headers) != JsonScanner.OBJECT)
            {
                return error(400, "invalid_input", "extras.headers must be an object");
            }
            for (int k = s.firstChild(headers); k >= 0; k = s.next(s.next(k)))
            {
                final int type = s.type(s.next(k));
                if (type == JsonScanner.OBJECT || type == JsonScanner.ARRAY || type == JsonScanner.NULL)
                {
                    return error(400, "invalid_input",
                        "extras.headers values must be strings, numbers or booleans: " + s.stringValue(k));
                }
            }
        }
        final int ephemeral = s.member(extras, "ephemeral");
        if (ephemeral >= 0 && s.type(ephemeral) != JsonScanner.NULL)
        {
            if (s.type(ephemeral) != JsonScanner.TRUE && s.type(ephemeral) != JsonScanner.FALSE)
            {
                return error(400, "invalid_input", "extras.ephemeral must be a boolean");
            }
            event.ephemeral = s.type(ephemeral) == JsonScanner.TRUE && reactor.hub.context().ephemeralEnabled;
        }
        int key = s.member(extras, "idempotencyKey");
        if (key < 0)
        {
            key = s.member(extras, "idempotency_key");
        }
        if (key >= 0 && s.type(key) != JsonScanner.NULL)
        {
            if (s.type(key) != JsonScanner.STRING)
            {
                return error(400, "invalid_input", "extras.idempotencyKey must be a string");
            }
            event.messageKey = s.stringValue(key);
            final Response bad = checkKey(event.messageKey);
            if (bad != null)
            {
                return bad;
            }
        }
        event.extras = extras;
        return null;
    }

    private static Response missingChannel()
    {
        return error(400, "missing_channel_info", "Request must contain 'channels' (list) or 'channel' (string)");
    }

    private void publish(final AppState app, final Event event)
    {
        final JsonScanner s = scanner;
        final byte[] exclude = event.socketId == null ? null :
            event.socketId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final UnsafeBuffer excludeView = exclude == null ? null : new UnsafeBuffer(exclude);
        final int excludeLength = exclude == null ? 0 : exclude.length;
        final boolean globalRecovery = reactor.hub.context().connectionRecovery.enabled;
        for (final String channel : event.channels)
        {
            if (event.messageKey != null && app.idempotencyEnabled())
            {
                // message-level idempotency (spec protocol-v2 4.1): per channel, a repeat is dropped silently
                final String key = "message:" + channel + ":" + event.messageKey;
                if (app.storedResponse(key, reactor.nowMs) != null)
                {
                    continue;
                }
                app.storeResponse(key, 200, "", reactor.nowMs);
            }
            final FrameWriter f = startEvent(reactor.frame, event, channel).ascii("}").end();
            if (ChannelName.isServerToUser(channel))
            {
                reactor.hub.publishToUser(reactor, app, ChannelName.serverToUserId(channel), f);
                continue;
            }
            if (ChannelName.isCache(channel))
            {
                app.cacheEvent(channel, f.payloadString(),
                    reactor.nowMs + reactor.hub.context().channelLimits.cacheTtlSeconds * 1000L);
            }
            final String messageId = globalRecovery ? java.util.UUID.randomUUID().toString() : null;
            final io.sockudo.jvm.server.history.HistoryPolicy policy = event.ephemeral ?
                io.sockudo.jvm.server.history.HistoryPolicy.DISABLED : app.historyPolicy(channel);
            if (policy.enabled)
            {
                final Durable.Message m = new Durable.Message();
                m.event = s.stringValue(event.name);
                m.dataJson = dataJson(event);
                m.extrasScanner = s;
                m.extras = event.extras;
                m.messageId = messageId;
                final AppState.SocketInfo actor = app.socket(event.socketId);
                m.actor = actor == null ? null : actor.userId;
                m.v1 = f;
                m.exclude = excludeView;
                m.excludeLength = excludeLength;
                if (pending == null)
                {
                    pending = new ArrayList<>(event.channels.size());
                }
                pending.add(reactor.durable.prepare(app, channel, policy, m));
                continue;
            }
            if (app.recoveryEnabled() && !event.ephemeral)
            {
                // Serial, buffer and hand-off under the buffer's monitor: serials reach subscribers in order.
                final io.sockudo.jvm.server.channel.ReplayBuffer buffer = app.replayBuffer(channel, true);
                synchronized (buffer)
                {
                    final long serial = buffer.takeSerial();
                    final FrameWriter v2 = v2Event(event, channel, messageId, serial);
                    buffer.add(serial, v2.payloadBytes(), reactor.nowMs, null);
                    final Channel ch = app.channel(channel);
                    if (ch != null)
                    {
                        reactor.hub.publish(reactor, ch, f, v2, ch.joinSequence(), excludeView, 0, excludeLength);
                    }
                }
                continue;
            }
            final Channel ch = app.channel(channel);
            if (ch != null)
            {
                final FrameWriter v2 = messageId != null || event.extras >= 0 ? v2Event(event, channel, messageId, 0) :
                    null;
                reactor.hub.publish(reactor, ch, f, v2, ch.joinSequence(), excludeView, 0, excludeLength);
            }
        }
    }

    /** The data as sent to clients: always a JSON string for HTTP publishes. */
    private String dataJson(final Event event)
    {
        final JsonScanner s = scanner;
        if (event.data < 0 || s.type(event.data) == JsonScanner.NULL)
        {
            return "\"null\"";
        }
        if (s.type(event.data) == JsonScanner.STRING)
        {
            return s.buffer().getStringWithoutLengthUtf8(s.offset(event.data), s.length(event.data));
        }
        final StringBuilder sb = new StringBuilder();
        JsonWriter.appendQuoted(sb, JsonWriter.compact(s, event.data));
        return sb.toString();
    }

    /** {@code {"event":…,"channel":…,"data":"…"} without the closing brace. */
    private FrameWriter startEvent(final FrameWriter writer, final Event event, final String channel)
    {
        final JsonScanner s = scanner;
        final FrameWriter f = writer.begin().ascii("{\"event\":")
            .raw(s.buffer(), s.offset(event.name), s.length(event.name))
            .ascii(",\"channel\":").quoted(channel).ascii(",\"data\":");
        if (event.data < 0 || s.type(event.data) == JsonScanner.NULL)
        {
            f.ascii("\"null\"");
        }
        else if (s.type(event.data) == JsonScanner.STRING)
        {
            f.raw(s.buffer(), s.offset(event.data), s.length(event.data));
        }
        else
        {
            // An object (or other JSON) becomes its compact text, sent as a JSON string.
            f.quoted(JsonWriter.compact(s, event.data));
        }
        return f;
    }

    /** The V2 frame: the V1 fields, then {@code message_id}, {@code serial} and {@code extras} (spec 1.3 order). */
    private FrameWriter v2Event(final Event event, final String channel, final String messageId, final long serial)
    {
        final FrameWriter f = startEvent(reactor.frameV2, event, channel);
        if (messageId != null)
        {
            f.ascii(",\"message_id\":\"").ascii(messageId).ascii("\"");
        }
        if (serial > 0)
        {
            f.ascii(",\"serial\":").number(serial);
        }
        if (event.extras >= 0)
        {
            f.ascii(",\"extras\":").compact(scanner, event.extras);
        }
        return f.ascii("}").end();
    }

    private static String infoObject(final AppState app, final String channel, final String info)
    {
        final Channel ch = app.channel(channel);
        final StringBuilder sb = new StringBuilder(48).append('{');
        boolean first = true;
        if (info.contains("user_count") && ChannelName.isPresence(channel))
        {
            sb.append("\"user_count\":").append(ch == null ? 0 : ch.userCount());
            first = false;
        }
        if (info.contains("subscription_count"))
        {
            if (!first)
            {
                sb.append(',');
            }
            sb.append("\"subscription_count\":").append(ch == null ? 0 : ch.subscriptionCount());
        }
        return sb.append('}').toString();
    }

    // ---------------------------------------------------------------- channel queries

    private static List<String> infoTokens(final HttpRequest request)
    {
        final List<String[]> query = QueryString.parse(request.rawQuery());
        final String info = query == null ? null : QueryString.first(query, "info");
        final List<String> tokens = new ArrayList<>(2);
        if (info != null)
        {
            for (final String t : info.split(","))
            {
                final String token = t.trim();
                if (!token.isEmpty())
                {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    private Response channels(final AppState app, final HttpRequest request)
    {
        final List<String[]> query = QueryString.parse(request.rawQuery());
        final String prefix = query == null ? null : QueryString.first(query, "filter_by_prefix");
        final List<String> info = infoTokens(request);
        final boolean userCount = info.contains("user_count");
        final boolean subscriptionCount = info.contains("subscription_count");
        final List<Channel> selected = new ArrayList<>();
        for (final Channel ch : app.channels())
        {
            if (ch.subscriptionCount() > 0 && (prefix == null || ch.name().startsWith(prefix)))
            {
                selected.add(ch);
            }
        }
        if (userCount && (prefix == null || !prefix.startsWith("presence-")))
        {
            for (final Channel ch : selected)
            {
                if (!ch.isPresence())
                {
                    return error(400, "invalid_input",
                        "user_count may only be requested with filter_by_prefix=presence-");
                }
            }
        }
        selected.sort((a, b) -> a.name().compareTo(b.name()));
        final StringBuilder sb = new StringBuilder(64).append("{\"channels\":{");
        boolean first = true;
        for (final Channel ch : selected)
        {
            final StringBuilder obj = new StringBuilder(32).append('{');
            if (userCount && ch.isPresence())
            {
                obj.append("\"user_count\":").append(ch.userCount());
            }
            if (subscriptionCount)
            {
                if (obj.length() > 1)
                {
                    obj.append(',');
                }
                obj.append("\"subscription_count\":").append(ch.subscriptionCount());
            }
            obj.append('}');
            if (!info.isEmpty() && obj.length() == 2)
            {
                continue;
            }
            if (!first)
            {
                sb.append(',');
            }
            first = false;
            JsonWriter.appendQuoted(sb, ch.name());
            sb.append(':').append(obj);
        }
        return new Response(200, sb.append("}}").toString());
    }

    private Response channel(final AppState app, final HttpRequest request, final String name)
    {
        final String invalid = app.validateChannelName(name);
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        final List<String> info = infoTokens(request);
        final boolean presence = ChannelName.isPresence(name);
        if (info.contains("user_count") && !presence)
        {
            return error(400, "invalid_input", "user_count is only available for presence channels");
        }
        final Channel ch = app.channel(name);
        final int subscriptions = ch == null ? 0 : ch.subscriptionCount();
        final StringBuilder sb = new StringBuilder(64).append("{\"occupied\":").append(subscriptions > 0);
        if (info.contains("subscription_count"))
        {
            sb.append(",\"subscription_count\":").append(subscriptions);
        }
        if (info.contains("user_count"))
        {
            sb.append(",\"user_count\":").append(ch == null ? 0 : ch.userCount());
        }
        if (info.contains("cache") && ChannelName.isCache(name))
        {
            final AppState.CachedEvent cached = app.cachedEvent(name, reactor.nowMs);
            if (cached != null)
            {
                sb.append(",\"cache\":{\"data\":");
                JsonWriter.appendQuoted(sb, cached.frameJson);
                sb.append(",\"ttl\":").append(Math.max(0, (cached.expiresAtMs - reactor.nowMs) / 1000)).append('}');
            }
        }
        return new Response(200, sb.append('}').toString());
    }

    private static Response users(final AppState app, final String name)
    {
        final String invalid = app.validateChannelName(name);
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        if (!ChannelName.isPresence(name))
        {
            return error(400, "invalid_input", "Only presence channels support this endpoint");
        }
        final Channel ch = app.channel(name);
        final StringBuilder sb = new StringBuilder(64).append("{\"users\":[");
        if (ch != null)
        {
            final String[] ids = ch.userIds();
            for (int i = 0; i < ids.length; i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append("{\"id\":");
                JsonWriter.appendQuoted(sb, ids[i]);
                sb.append('}');
            }
        }
        return new Response(200, sb.append("]}").toString());
    }

    /**
     * A JSON error response {@code {"error","code","status"}}.
     *
     * @param status HTTP status
     * @param code error code
     * @param message error text
     * @return the response
     */
    static Response error(final int status, final String code, final String message)
    {
        return new Response(status, HttpSession.errorBody(message, code, status));
    }

    /**
     * 415 unless the request says its body is JSON.
     *
     * @param request the request
     * @return the error, or null when the content type is JSON
     */
    static Response requireJson(final HttpRequest request)
    {
        final String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
        {
            return error(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        return null;
    }
}
