package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.http.HttpRequest;
import io.sockudo.jvm.protocol.http.HttpRequestParser;
import io.sockudo.jvm.protocol.http.HttpResponses;
import io.sockudo.jvm.protocol.http.QueryString;
import io.sockudo.jvm.protocol.pusher.ApiAuthResult;
import io.sockudo.jvm.protocol.pusher.ApiRequestVerifier;
import io.sockudo.jvm.protocol.ws.WebSocketHandshake;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.RateLimiterConfig;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import io.sockudo.jvm.server.ratelimit.ClientIp;
import io.sockudo.jvm.server.ratelimit.RateLimiter;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * HTTP/1.1 on a reactor: request parsing, routing, the WebSocket upgrade of {@code GET /app/{key}}, health
 * endpoints, and dispatch of signed {@code /apps/{appId}/...} calls to {@link HttpApi}.
 */
final class HttpSession
{
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Parsers kept for reuse: a parser (and its 1 KiB head buffer) per handshake was most of a handshake's garbage. */
    private static final int MAX_SPARE_PARSERS = 64;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);

    private final Reactor reactor;
    private final PusherSession pusher;
    private final HttpApi api;
    private final int maxBodyBytes;
    private final CorsPolicy cors;
    private final RateLimiter apiLimiter;
    private final RateLimiter wsLimiter;
    private final RateLimiterConfig limits;
    private final RateLimiter.Result limit = new RateLimiter.Result();
    /** Headers every response of the current request carries (CORS, rate limit), as name/value pairs. */
    private final ArrayList<String> common = new ArrayList<>();
    private final ArrayDeque<HttpRequestParser> spareParsers = new ArrayDeque<>();
    /** The 101 response is written here and sent at once; the socket copies what it cannot take. */
    private final byte[] handshake = new byte[WebSocketHandshake.SWITCHING_PROTOCOLS_LENGTH];
    private final ByteBuffer handshakeBuffer = ByteBuffer.wrap(handshake);
    /** Metrics app slot of the current request, or -1 when it is not counted (WebSocket upgrades). */
    private int slot = -1;

    HttpSession(final Reactor reactor, final PusherSession pusher)
    {
        this.reactor = reactor;
        this.pusher = pusher;
        this.api = new HttpApi(reactor);
        final long limit = (long)reactor.hub.context().httpApi.requestLimitInMb * 1024 * 1024;
        this.maxBodyBytes = (int)Math.min(Integer.MAX_VALUE - 1024, limit);
        this.cors = new CorsPolicy(reactor.hub.context().cors);
        this.limits = reactor.hub.context().rateLimiter;
        this.apiLimiter = reactor.hub.apiLimiter();
        this.wsLimiter = reactor.hub.wsLimiter();
    }

    /**
     * Feeds bytes of a connection in HTTP state.
     *
     * @return bytes consumed; the rest belongs to the next request or to the WebSocket
     */
    int onBytes(final Connection c, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (c.http == null)
        {
            final HttpRequestParser spare = spareParsers.poll();
            c.http = spare != null ? spare : new HttpRequestParser(MAX_HEADER_BYTES, maxBodyBytes);
        }
        c.lastActivityMs = reactor.nowMs;
        final HttpRequestParser parser = c.http;
        final int status = parser.parse(buffer, offset, length);
        if (status == HttpRequestParser.NEED_MORE)
        {
            c.requestInProgress = true;
            if (!c.continueSent && parser.expectsContinue())
            {
                c.continueSent = true;
                respond(c, CONTINUE);
            }
            return length;
        }
        if (status == HttpRequestParser.COMPLETE)
        {
            c.continueSent = false;
            c.requestInProgress = false;
            final int consumed = parser.consumed();
            final HttpRequest request = parser.request();
            parser.reset();
            handle(c, request);
            return consumed;
        }
        final String message = parser.errorMessage() == null ? HttpResponses.reasonPhrase(status) :
            parser.errorMessage();
        common.clear();
        respond(c, HttpResponses.json(status, errorBody(message, status == 413 ? "payload_too_large" :
            "invalid_input", status), false));
        reactor.closeAfterFlush(c);
        return length;
    }

    private void handle(final Connection c, final HttpRequest request)
    {
        final String path = request.path();
        final boolean keepAlive = request.keepAlive();
        common.clear();
        slot = -1;
        try
        {
            if (path.startsWith("/app/"))
            {
                if (!allow(c, request, wsLimiter, limits.websocket))
                {
                    return;
                }
                upgrade(c, request, path.substring(5));
                return;
            }
            final boolean preflight = "OPTIONS".equals(request.method());
            cors.addHeaders(request.header("Origin"), preflight, common);
            if (preflight)
            {
                respond(c, HttpResponses.encode(204, null, new byte[0], keepAlive, headers()));
            }
            else if (path.equals("/up") || path.startsWith("/up/"))
            {
                count(reactor.metrics.systemSlot(), request);
                health(c, request, path);
            }
            else if ((path.equals("/usage") || path.equals("/stats")) &&
                reactor.hub.context().httpApi.usageEnabled)
            {
                final String body = path.equals("/usage") ? Usage.usageJson() : Usage.statsJson(reactor.hub.apps());
                respond(c, HttpResponses.json(200, body, keepAlive, headers()));
            }
            else if (path.startsWith("/apps/"))
            {
                if (allow(c, request, apiLimiter, limits.api))
                {
                    apps(c, request, path);
                }
            }
            else
            {
                respond(c, HttpResponses.text(404, "404 NOT FOUND", keepAlive, headers()));
            }
        }
        catch (final RuntimeException ex)
        {
            respond(c, HttpResponses.json(500, errorBody("Internal server error", "internal_error", 500), false,
                headers()));
            reactor.closeAfterFlush(c);
            throw ex;
        }
        if ((!keepAlive || reactor.draining) && c.state == Connection.HTTP && !c.awaitingResponse)
        {
            reactor.closeAfterFlush(c);
        }
    }

    private void upgrade(final Connection c, final HttpRequest request, final String appKey)
    {
        if (appKey.isEmpty() || appKey.indexOf('/') >= 0)
        {
            respond(c, HttpResponses.text(404, "404 NOT FOUND", request.keepAlive(), headers()));
            return;
        }
        if (!request.isWebSocketUpgrade())
        {
            respond(c, HttpResponses.json(426, errorBody("WebSocket upgrade required", "invalid_input", 426),
                request.keepAlive(), headers("Upgrade", "websocket")));
            return;
        }
        boolean v2 = false;
        final String query = request.rawQuery();
        if (!QueryString.isWellFormed(query))
        {
            badUpgrade(c, "Invalid query string");
            return;
        }
        final String protocol = QueryString.find(query, "protocol");
        if (protocol != null)
        {
            final int value = parseU8(protocol);
            if (value < 0)
            {
                badUpgrade(c, "Invalid query string: protocol must be an integer between 0 and 255");
                return;
            }
            v2 = value == 2;
        }
        final String echo = QueryString.find(query, "echo_messages");
        if (echo != null && !echo.equals("true") && !echo.equals("false"))
        {
            badUpgrade(c, "Invalid query string: echo_messages must be true or false");
            return;
        }
        if (v2)
        {
            final String format = QueryString.find(query, "format");
            final String f = format == null ? "" : format.trim().toLowerCase(java.util.Locale.ROOT);
            if (f.equals("msgpack") || f.equals("messagepack") || f.equals("protobuf") || f.equals("proto"))
            {
                badUpgrade(c, "Invalid query string: format '" + format.trim() +
                    "' is not supported by this server; use json");
                return;
            }
            if (!f.isEmpty() && !f.equals("json"))
            {
                badUpgrade(c, "Invalid query string: unknown format '" + format.trim() + "'");
                return;
            }
        }
        final io.sockudo.jvm.server.config.EchoControlConfig echoControl = reactor.hub.context().echoControl;
        c.echoMessages = !echoControl.enabled || (echo == null ? echoControl.defaultEchoMessages : echo.equals("true"));
        final String version = request.header("Sec-WebSocket-Version");
        if (!"13".equals(version == null ? null : version.trim()))
        {
            respond(c, HttpResponses.json(426, errorBody("Unsupported WebSocket version", "invalid_input", 426),
                false, headers("Sec-WebSocket-Version", "13")));
            reactor.closeAfterFlush(c);
            return;
        }
        final String key = request.header("Sec-WebSocket-Key");
        if (key == null || !WebSocketHandshake.isValidKey(key.trim()))
        {
            badUpgrade(c, "Invalid Sec-WebSocket-Key");
            return;
        }
        final int length = WebSocketHandshake.writeSwitchingProtocols(key.trim(), handshake);
        reactor.send(c, handshakeBuffer, 0, length);
        recycleParser(c);
        final AppState app = reactor.hub.apps().byKey(appKey);
        pusher.onOpen(c, app, appKey, v2, request.header("Origin"));
    }

    /** Takes the connection's HTTP parser back for the next connection (after an upgrade, or when it closes). */
    void recycleParser(final Connection c)
    {
        final HttpRequestParser parser = c.http;
        c.http = null;
        if (parser != null && spareParsers.size() < MAX_SPARE_PARSERS)
        {
            parser.reset();
            spareParsers.push(parser);
        }
    }

    private void badUpgrade(final Connection c, final String message)
    {
        respond(c, HttpResponses.json(400, errorBody(message, "invalid_input", 400), false, headers()));
        reactor.closeAfterFlush(c);
    }

    private static int parseU8(final String s)
    {
        if (s.isEmpty() || s.length() > 3)
        {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char ch = s.charAt(i);
            if (ch < '0' || ch > '9')
            {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v > 255 ? -1 : v;
    }

    private void health(final Connection c, final HttpRequest request, final String path)
    {
        final boolean keepAlive = request.keepAlive();
        if (path.equals("/up"))
        {
            if (reactor.hub.apps().apps().isEmpty())
            {
                respond(c, HttpResponses.text(503, "ERROR", keepAlive, headers("X-Health-Check", "ERROR")));
            }
            else
            {
                respond(c, HttpResponses.text(200, "OK", keepAlive, headers("X-Health-Check", "OK")));
            }
            return;
        }
        final String appId = QueryString.percentDecode(path.substring(4));
        final AppState app = reactor.hub.apps().byId(appId);
        if (app == null)
        {
            respond(c, HttpResponses.text(404, "NOT_FOUND", keepAlive, headers("X-Health-Check", "NOT_FOUND")));
        }
        else if (!app.config().enabled)
        {
            respond(c, HttpResponses.text(503, "ERROR", keepAlive, headers("X-Health-Check", "ERROR")));
        }
        else
        {
            respond(c, HttpResponses.text(200, "OK", keepAlive, headers("X-Health-Check", "OK")));
        }
    }

    private void apps(final Connection c, final HttpRequest request, final String path)
    {
        final boolean keepAlive = request.keepAlive();
        // /apps/{appId}/{rest...}
        final int idEnd = path.indexOf('/', 6);
        if (idEnd < 0)
        {
            respond(c, HttpResponses.text(404, "404 NOT FOUND", keepAlive, headers()));
            return;
        }
        final String appId = QueryString.percentDecode(path.substring(6, idEnd));
        final String rest = path.substring(idEnd + 1);
        final AppState routeApp = reactor.hub.apps().byId(appId);
        count(routeApp == null ? reactor.metrics.unknownSlot() : routeApp.index(), request);
        final long startNanos = System.nanoTime();
        final HttpApi.Route route = HttpApi.route(request.method(), rest);
        if (route == null)
        {
            respond(c, HttpResponses.text(404, "404 NOT FOUND", keepAlive, headers()));
            return;
        }
        if (route.methodNotAllowed)
        {
            respond(c, HttpResponses.json(405, errorBody("Method not allowed", "method_not_allowed", 405),
                keepAlive, headers("Allow", route.allow)));
            return;
        }
        final ApiAuthResult auth = ApiRequestVerifier.verify(request.method(), path, request.rawQuery(),
            request.body(), appId, reactor.nowMs / 1000, reactor.hub.apps());
        if (!auth.ok())
        {
            respond(c, HttpResponses.json(auth.status(), errorBody(auth.message(), auth.code(), auth.status()),
                keepAlive, headers()));
            return;
        }
        final AppState app = reactor.hub.apps().byId(auth.app().appId());
        if (app == null)
        {
            respond(c, HttpResponses.json(404, errorBody("Application not found", "app_not_found", 404), keepAlive,
                headers()));
            return;
        }
        if (!app.config().enabled)
        {
            // Decision (spec README): the HTTP API refuses a disabled app; 4.4.0 ignores the flag here.
            respond(c, HttpResponses.json(403, errorBody("Application disabled", "app_disabled", 403), keepAlive,
                headers()));
            return;
        }
        final HttpApi.Response response = api.handle(route, app, request);
        if (response instanceof HttpApi.Deferred)
        {
            defer(c, app, (HttpApi.Deferred)response, keepAlive, headers(), startNanos);
            return;
        }
        respond(c, HttpResponses.json(response.status, response.body, keepAlive, headers()));
        reactor.metrics.recordHttp(System.nanoTime() - startNanos);
    }

    /**
     * Hands the durable writes of a request to the log writer; the response is written when they ran. Meanwhile the
     * connection reads nothing further (pipelined bytes are held) and counts as a request in progress for
     * draining.
     */
    private void defer(final Connection c, final AppState app, final HttpApi.Deferred deferred, final boolean keepAlive,
        final String[] headers, final long startNanos)
    {
        c.awaitingResponse = true;
        c.requestInProgress = true;
        final int requestSlot = slot;
        final long id = c.id;
        reactor.durable.submit(app, deferred.writes, error ->
        {
            final Connection live = reactor.connection(id);
            if (live != c || c.state != Connection.HTTP)
            {
                return; // the client went away meanwhile
            }
            c.awaitingResponse = false;
            c.requestInProgress = false;
            slot = requestSlot;
            if (error != null)
            {
                reactor.errorHandler().onError(error);
                respond(c, HttpResponses.json(500, errorBody("Internal server error", "internal_error", 500), false,
                    headers));
                reactor.closeAfterFlush(c);
                return;
            }
            final HttpApi.Response response = deferred.done.get();
            respond(c, HttpResponses.json(response.status, response.body, keepAlive, headers));
            reactor.metrics.recordHttp(System.nanoTime() - startNanos);
            if (!keepAlive || reactor.draining)
            {
                reactor.closeAfterFlush(c);
                return;
            }
            reactor.resumeHttp(c);
        });
    }

    /**
     * Counts the request against a per-IP limiter; answers 429 when over the limit. Successful responses then
     * carry the {@code X-RateLimit-*} headers.
     */
    private boolean allow(final Connection c, final HttpRequest request, final RateLimiter limiter,
        final RateLimiterConfig.RateLimitConfig config)
    {
        if (limiter == null)
        {
            return true;
        }
        final String ip = ClientIp.resolve(c.remoteAddress, request.header("X-Forwarded-For"),
            request.header("X-Real-IP"), config.trustHops);
        final boolean allowed = limiter.tryAcquire(config.identifier + ":" + ip, reactor.nowMs, limit);
        final int kind = limiter == apiLimiter ? ReactorMetrics.LIMITER_API : ReactorMetrics.LIMITER_WS;
        reactor.metrics.increment(reactor.metrics.systemSlot(), ReactorMetrics.RATE_LIMIT_CHECKS + kind);
        if (!allowed)
        {
            reactor.metrics.increment(reactor.metrics.systemSlot(), ReactorMetrics.RATE_LIMIT_TRIGGERED + kind);
        }
        common.add("X-RateLimit-Limit");
        common.add(Integer.toString(limiter.limit()));
        common.add("X-RateLimit-Remaining");
        common.add(Integer.toString(limit.remaining));
        common.add("X-RateLimit-Reset");
        common.add(Long.toString(limit.resetSeconds));
        if (!allowed)
        {
            cors.addHeaders(request.header("Origin"), false, common);
            respond(c, HttpResponses.json(429,
                "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Please try again later.\"}",
                request.keepAlive(), headers("Retry-After", Long.toString(limit.resetSeconds))));
        }
        return allowed;
    }

    private String[] headers(final String... more)
    {
        if (common.isEmpty())
        {
            return more;
        }
        final String[] all = new String[common.size() + more.length];
        for (int i = 0; i < common.size(); i++)
        {
            all[i] = common.get(i);
        }
        System.arraycopy(more, 0, all, common.size(), more.length);
        return all;
    }

    static String errorBody(final String message, final String code, final int status)
    {
        final StringBuilder sb = new StringBuilder(64 + message.length());
        sb.append("{\"error\":");
        io.sockudo.jvm.protocol.json.JsonWriter.appendQuoted(sb, message);
        sb.append(",\"code\":\"").append(code).append("\",\"status\":").append(status).append('}');
        return sb.toString();
    }

    private void count(final int appSlot, final HttpRequest request)
    {
        slot = appSlot;
        reactor.metrics.increment(appSlot, ReactorMetrics.HTTP_CALLS);
        reactor.metrics.add(appSlot, ReactorMetrics.HTTP_RECEIVED_BYTES, request.body().length);
    }

    private void respond(final Connection c, final byte[] bytes)
    {
        if (slot >= 0)
        {
            reactor.metrics.add(slot, ReactorMetrics.HTTP_TRANSMITTED_BYTES, bytes.length);
        }
        reactor.send(c, ByteBuffer.wrap(bytes), 0, bytes.length);
    }
}
