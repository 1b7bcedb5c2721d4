package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.http.HttpRequest;
import io.sockudo.jvm.protocol.http.QueryString;
import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.annotation.Capabilities;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.history.ChannelStreams;
import io.sockudo.jvm.server.history.HistoryItem;
import io.sockudo.jvm.server.history.HistoryPolicy;
import io.sockudo.jvm.server.history.MessageStore;
import io.sockudo.jvm.server.history.Version;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.sockudo.jvm.server.reactor.HttpApi.error;

/**
 * The history and versioned-message routes of spec protocol-v2 3.3-3.5: {@code GET …/history} (and its operator
 * routes), {@code GET …/messages/{serial}}, {@code GET …/messages/{serial}/versions} and
 * {@code POST …/messages/{serial}/update|delete|append}. Runs on the reactor that received the request.
 */
final class HistoryApi
{
    private final Reactor reactor;
    private final JsonScanner scanner = new JsonScanner();
    private final JsonScanner cursorScanner = new JsonScanner();

    HistoryApi(final Reactor reactor)
    {
        this.reactor = reactor;
    }

    private MessageStore store()
    {
        return reactor.hub.store();
    }

    // ---------------------------------------------------------------- GET /history

    HttpApi.Response history(final AppState app, final HttpRequest request, final String channel)
    {
        final String invalid = app.validateChannelName(channel);
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        final HistoryPolicy policy = app.historyPolicy(channel);
        if (!policy.enabled)
        {
            return historyDisabled(channel);
        }
        final List<String[]> query = QueryString.parse(request.rawQuery());
        final int maxPage = reactor.hub.context().history.maxPageSize;
        final String limitText = param(query, "limit");
        int limit = maxPage;
        if (limitText != null)
        {
            final long parsed = parseLong(limitText);
            if (parsed < 0)
            {
                return error(400, "invalid_input", "limit must be a non-negative integer");
            }
            if (parsed == 0)
            {
                return error(400, "invalid_input", "limit must be greater than 0");
            }
            limit = (int)Math.min(parsed, maxPage);
        }
        final String directionText = param(query, "direction");
        final boolean oldestFirst;
        if (directionText == null)
        {
            oldestFirst = false;
        }
        else
        {
            final String d = directionText.toLowerCase(java.util.Locale.ROOT);
            if (d.equals("newest_first") || d.equals("backwards") || d.equals("reverse"))
            {
                oldestFirst = false;
            }
            else if (d.equals("oldest_first") || d.equals("forwards") || d.equals("forward"))
            {
                oldestFirst = true;
            }
            else
            {
                return error(400, "invalid_input", "Invalid history direction '" + directionText +
                    "': use newest_first or oldest_first");
            }
        }
        final long[] bounds = new long[4];
        final String[] names = {"start_serial", "end_serial", "start_time_ms", "end_time_ms"};
        final String[] aliases = {null, null, "start", "end"};
        for (int i = 0; i < 4; i++)
        {
            String text = param(query, names[i]);
            if (text == null && aliases[i] != null)
            {
                text = param(query, aliases[i]);
            }
            bounds[i] = -1;
            if (text != null)
            {
                bounds[i] = parseLong(text);
                if (bounds[i] < 0)
                {
                    return error(400, "invalid_input", names[i] + " must be a non-negative integer");
                }
            }
        }
        if (bounds[0] >= 0 && bounds[1] >= 0 && bounds[0] > bounds[1])
        {
            return error(400, "invalid_input", "start_serial must not be greater than end_serial");
        }
        if (bounds[2] >= 0 && bounds[3] >= 0 && bounds[2] > bounds[3])
        {
            return error(400, "invalid_input", "start_time_ms must not be after end_time_ms");
        }
        final String direction = oldestFirst ? "oldest_first" : "newest_first";
        final ChannelStreams streams = store().streams(app.config().id, channel);
        final StringBuilder sb = new StringBuilder(1024);
        synchronized (streams)
        {
            streams.evict(policy, reactor.nowMs);
            final String streamId = streams.historyStreamId();
            long after = -1;
            final String cursor = param(query, "cursor");
            if (cursor != null)
            {
                final Object parsed = parseCursor(cursor, app.config().id, channel, streamId, direction, bounds);
                if (parsed instanceof HttpApi.Response)
                {
                    return (HttpApi.Response)parsed;
                }
                after = (Long)parsed;
                if (after < streams.oldestSerial() - 1 && streams.oldestSerial() > 1)
                {
                    return error(400, "invalid_input", "Expired history cursor: cursor points before retained history");
                }
            }
            final List<HistoryItem> page = streams.read(oldestFirst, after, bounds[0], bounds[1], bounds[2], bounds[3],
                limit + 1);
            final boolean hasMore = page.size() > limit;
            if (hasMore)
            {
                page.remove(page.size() - 1);
            }
            final long oldest = streams.oldestSerial();
            final boolean truncated = bounds[0] >= 0 ? bounds[0] < oldest && oldest > 1 :
                bounds[2] >= 0 ? oldest > 1 && streams.oldestPublishedAtMs() > bounds[2] : oldest > 1;
            sb.append("{\"items\":[");
            for (int i = 0; i < page.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                appendHistoryItem(sb, app, channel, policy, streams, streamId, page.get(i));
            }
            sb.append("],\"direction\":\"").append(direction).append("\",\"limit\":").append(limit)
                .append(",\"has_more\":").append(hasMore).append(",\"next_cursor\":");
            if (hasMore)
            {
                sb.append('"').append(cursor(app.config().id, channel, streamId, page.get(page.size() - 1).serial,
                    direction, bounds)).append('"');
            }
            else
            {
                sb.append("null");
            }
            sb.append(",\"bounds\":");
            appendBounds(sb, bounds);
            sb.append(",\"continuity\":{\"stream_id\":\"").append(streamId).append("\",\"oldest_available_serial\":")
                .append(nullable(streams.retainedMessages() == 0 ? -1 : oldest))
                .append(",\"newest_available_serial\":")
                .append(nullable(streams.retainedMessages() == 0 ? -1 : streams.newestSerial()))
                .append(",\"oldest_available_published_at_ms\":").append(nullable(streams.oldestPublishedAtMs()))
                .append(",\"newest_available_published_at_ms\":").append(nullable(streams.newestPublishedAtMs()))
                .append(",\"retained_messages\":").append(streams.retainedMessages())
                .append(",\"retained_bytes\":").append(streams.retainedBytes())
                .append(",\"complete\":").append(!hasMore && !truncated)
                .append(",\"truncated_by_retention\":").append(truncated).append('}');
            sb.append(",\"stream_state\":");
            appendStreamState(sb, streamId);
            sb.append('}');
        }
        return new HttpApi.Response(200, sb.toString());
    }

    private void appendHistoryItem(final StringBuilder sb, final AppState app, final String channel,
        final HistoryPolicy policy, final ChannelStreams streams, final String streamId, final HistoryItem item)
    {
        String eventName = item.eventName;
        String operationKind = item.operationKind;
        String message = null;
        if (policy.versioned)
        {
            final Version latest = item.messageSerial == null ? null : streams.latest(item.messageSerial);
            reactor.metrics.increment(app.index(), ReactorMetrics.SUBSTITUTIONS +
                (item.messageSerial == null ? 2 : latest == null ? 1 : 0));
            if (latest != null)
            {
                final StringBuilder m = new StringBuilder(256);
                latest.appendItem(m, channel);
                message = m.toString();
                eventName = "sockudo:message." + latest.action;
                operationKind = "message." + latest.action;
            }
        }
        if (message == null)
        {
            final byte[] envelope = streams.envelope(item);
            message = envelope == null ? "null" : new String(envelope, StandardCharsets.UTF_8);
        }
        sb.append("{\"stream_id\":\"").append(streamId).append("\",\"serial\":").append(item.serial)
            .append(",\"published_at_ms\":").append(item.publishedAtMs).append(",\"message_id\":");
        quotedOrNull(sb, item.messageId);
        sb.append(",\"event_name\":");
        quotedOrNull(sb, eventName);
        sb.append(",\"operation_kind\":\"").append(operationKind).append("\",\"payload_size_bytes\":")
            .append(message.getBytes(StandardCharsets.UTF_8).length).append(",\"message\":").append(message)
            .append('}');
    }

    private void appendStreamState(final StringBuilder sb, final String streamId)
    {
        final String source = reactor.hub.context().history.backend;
        sb.append("{\"stream_id\":\"").append(streamId).append("\",\"durable_state\":\"healthy\"")
            .append(",\"recovery_allowed\":true,\"reset_required\":false,\"reason\":null,\"node_id\":");
        JsonWriter.appendQuoted(sb, reactor.hub.context().instanceProcessId);
        sb.append(",\"last_transition_at_ms\":null,\"authoritative_source\":\"").append(source)
            .append("\",\"observed_source\":\"").append(source).append("\"}");
    }

    private static void appendBounds(final StringBuilder sb, final long[] bounds)
    {
        sb.append("{\"start_serial\":").append(nullable(bounds[0])).append(",\"end_serial\":")
            .append(nullable(bounds[1])).append(",\"start_time_ms\":").append(nullable(bounds[2]))
            .append(",\"end_time_ms\":").append(nullable(bounds[3])).append('}');
    }

    private static String cursor(final String app, final String channel, final String streamId, final long serial,
        final String direction, final long[] bounds)
    {
        final StringBuilder sb = new StringBuilder(192);
        sb.append("{\"version\":1,\"app_id\":");
        JsonWriter.appendQuoted(sb, app);
        sb.append(",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"stream_id\":\"").append(streamId).append("\",\"serial\":").append(serial)
            .append(",\"direction\":\"").append(direction).append("\",\"bounds\":");
        appendBounds(sb, bounds);
        sb.append('}');
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's serial (a Long), or an error response. */
    private Object parseCursor(final String cursor, final String app, final String channel, final String streamId,
        final String direction, final long[] bounds)
    {
        final byte[] json;
        try
        {
            json = Base64.getUrlDecoder().decode(cursor.replace('=', ' ').trim());
        }
        catch (final IllegalArgumentException ex)
        {
            return error(400, "invalid_input", "Invalid history cursor: not base64url");
        }
        final JsonScanner s = cursorScanner;
        if (!s.scan(new UnsafeBuffer(json), 0, json.length) || s.type(s.root()) != JsonScanner.OBJECT)
        {
            return error(400, "invalid_input", "Invalid history cursor: not a JSON object");
        }
        final int root = s.root();
        final int version = s.member(root, "version");
        if (version < 0 || s.type(version) != JsonScanner.NUMBER || s.longValue(version) != 1)
        {
            return error(400, "invalid_input", "Invalid history cursor: unsupported version");
        }
        final int serial = s.member(root, "serial");
        final int appTok = s.member(root, "app_id");
        final int channelTok = s.member(root, "channel");
        final int streamTok = s.member(root, "stream_id");
        final int directionTok = s.member(root, "direction");
        if (serial < 0 || s.type(serial) != JsonScanner.NUMBER || appTok < 0 || s.type(appTok) != JsonScanner.STRING ||
            channelTok < 0 || s.type(channelTok) != JsonScanner.STRING || streamTok < 0 ||
            s.type(streamTok) != JsonScanner.STRING || directionTok < 0 || s.type(directionTok) != JsonScanner.STRING)
        {
            return error(400, "invalid_input", "Invalid history cursor: missing fields");
        }
        if (!s.stringEquals(appTok, app) || !s.stringEquals(channelTok, channel))
        {
            return error(400, "invalid_input", "History cursor does not belong to this channel");
        }
        if (!s.stringEquals(directionTok, direction))
        {
            return error(400, "invalid_input", "History cursor direction does not match the request");
        }
        final int b = s.member(root, "bounds");
        final String[] names = {"start_serial", "end_serial", "start_time_ms", "end_time_ms"};
        for (int i = 0; i < 4; i++)
        {
            final int t = b >= 0 && s.type(b) == JsonScanner.OBJECT ? s.member(b, names[i]) : -1;
            final long value = t < 0 || s.type(t) != JsonScanner.NUMBER ? -1 : s.longValue(t);
            if (value != bounds[i])
            {
                return error(400, "invalid_input", "History cursor bounds do not match the request");
            }
        }
        if (!s.stringEquals(streamTok, streamId))
        {
            return error(400, "invalid_input", "Expired history cursor: channel stream changed");
        }
        return s.longValue(serial);
    }

    // ---------------------------------------------------------------- operator routes

    HttpApi.Response state(final AppState app, final String channel)
    {
        final HttpApi.Response bad = checkHistory(app, channel);
        if (bad != null)
        {
            return bad;
        }
        final ChannelStreams streams = store().streams(app.config().id, channel);
        final StringBuilder sb = new StringBuilder(512);
        synchronized (streams)
        {
            streams.evict(app.historyPolicy(channel), reactor.nowMs);
            sb.append("{\"channel\":");
            JsonWriter.appendQuoted(sb, channel);
            sb.append(",\"stream\":");
            appendStream(sb, streams);
            sb.append('}');
        }
        return new HttpApi.Response(200, sb.toString());
    }

    private void appendStream(final StringBuilder sb, final ChannelStreams streams)
    {
        final String streamId = streams.historyStreamId();
        final boolean empty = streams.retainedMessages() == 0;
        sb.append("{\"stream_id\":\"").append(streamId).append("\",\"next_serial\":")
            .append(streams.nextHistorySerial()).append(",\"retained\":{\"stream_id\":\"").append(streamId)
            .append("\",\"retained_messages\":").append(streams.retainedMessages())
            .append(",\"retained_bytes\":").append(streams.retainedBytes())
            .append(",\"oldest_available_serial\":").append(nullable(empty ? -1 : streams.oldestSerial()))
            .append(",\"newest_available_serial\":").append(nullable(empty ? -1 : streams.newestSerial()))
            .append(",\"oldest_available_published_at_ms\":").append(nullable(streams.oldestPublishedAtMs()))
            .append(",\"newest_available_published_at_ms\":").append(nullable(streams.newestPublishedAtMs()))
            .append("},\"state\":");
        appendStreamState(sb, streamId);
        sb.append('}');
    }

    HttpApi.Response resetOrPurge(final AppState app, final HttpRequest request, final String channel,
        final boolean reset)
    {
        final HttpApi.Response bad = checkHistory(app, channel);
        if (bad != null)
        {
            return bad;
        }
        final JsonScanner s = scanner;
        final byte[] body = request.body();
        if (!s.scan(new UnsafeBuffer(body), 0, body.length) || s.type(s.root()) != JsonScanner.OBJECT)
        {
            return error(400, "invalid_input", "Request body must be a JSON object");
        }
        final int root = s.root();
        final String operation = reset ? "reset" : "purge";
        final String confirmChannel = string(s, root, "confirm_channel");
        if (!channel.equals(confirmChannel))
        {
            return error(400, "invalid_input", "confirm_channel must equal the channel '" + channel + "'");
        }
        if (!operation.equals(string(s, root, "confirm_operation")))
        {
            return error(400, "invalid_input", "confirm_operation must be '" + operation + "'");
        }
        final String reason = string(s, root, "reason");
        if (reason == null || reason.isBlank())
        {
            return error(400, "invalid_input", "reason is required");
        }
        final String requestedBy = string(s, root, "requested_by");
        // the body is read here, on the reactor; the reset or purge runs on the log writer
        final String mode = reset ? null : string(s, root, "mode");
        final int beforeSerialTok = s.member(root, "before_serial");
        final int beforeTimeTok = s.member(root, "before_time_ms");
        final boolean hasSerial = beforeSerialTok >= 0 && s.type(beforeSerialTok) != JsonScanner.NULL;
        final boolean hasTime = beforeTimeTok >= 0 && s.type(beforeTimeTok) != JsonScanner.NULL;
        final long beforeSerial;
        final long beforeTime;
        if (!reset && "all".equals(mode) && !hasSerial && !hasTime)
        {
            beforeSerial = -1;
            beforeTime = -1;
        }
        else if (!reset && "before_serial".equals(mode) && hasSerial && !hasTime &&
            s.type(beforeSerialTok) == JsonScanner.NUMBER)
        {
            beforeSerial = s.longValue(beforeSerialTok);
            beforeTime = -1;
        }
        else if (!reset && "before_time_ms".equals(mode) && hasTime && !hasSerial &&
            s.type(beforeTimeTok) == JsonScanner.NUMBER)
        {
            beforeSerial = -1;
            beforeTime = s.longValue(beforeTimeTok);
        }
        else if (!reset)
        {
            return error(400, "invalid_input", "mode must be all, before_serial or before_time_ms, " +
                "with exactly its own bound");
        }
        else
        {
            beforeSerial = -1;
            beforeTime = -1;
        }
        final ChannelStreams streams = store().streams(app.config().id, channel);
        final long now = reactor.nowMs;
        final String[] answer = new String[1];
        return new HttpApi.Deferred(java.util.List.of(() ->
        {
            answer[0] = resetOrPurge(streams, channel, reset, reason, requestedBy, mode, beforeSerial, beforeTime,
                now);
            return 0;
        }), () -> new HttpApi.Response(200, answer[0]));
    }

    /** On the log writer: the reset or purge and its response body. */
    private String resetOrPurge(final ChannelStreams streams, final String channel, final boolean reset,
        final String reason, final String requestedBy, final String mode, final long beforeSerial,
        final long beforeTime, final long now)
    {
        final String operation = reset ? "reset" : "purge";
        final StringBuilder sb = new StringBuilder(512);
        synchronized (streams)
        {
            sb.append("{\"ok\":true,\"operation\":\"").append(operation).append("\",\"channel\":");
            JsonWriter.appendQuoted(sb, channel);
            if (reset)
            {
                final String previous = streams.historyStreamId();
                final long[] purged = streams.reset(now);
                sb.append(",\"reason\":");
                JsonWriter.appendQuoted(sb, reason);
                sb.append(",\"requested_by\":");
                quotedOrNull(sb, requestedBy);
                sb.append(",\"previous_stream_id\":\"").append(previous).append("\",\"new_stream_id\":\"")
                    .append(streams.historyStreamId()).append("\",\"purged_messages\":").append(purged[0])
                    .append(",\"purged_bytes\":").append(purged[1]);
            }
            else
            {
                final long before = beforeSerial >= 0 ? beforeSerial : beforeTime >= 0 ?
                    streams.firstSerialAtOrAfter(beforeTime) : streams.nextHistorySerial();
                final long[] purged = streams.purgeBefore(before, now);
                sb.append(",\"mode\":\"").append(mode).append("\",\"before_serial\":")
                    .append(nullable(beforeSerial)).append(",\"before_time_ms\":").append(nullable(beforeTime))
                    .append(",\"reason\":");
                JsonWriter.appendQuoted(sb, reason);
                sb.append(",\"requested_by\":");
                quotedOrNull(sb, requestedBy);
                sb.append(",\"purged_messages\":").append(purged[0]).append(",\"purged_bytes\":").append(purged[1]);
            }
            sb.append(",\"stream\":");
            appendStream(sb, streams);
            sb.append('}');
        }
        return sb.toString();
    }

    private HttpApi.Response checkHistory(final AppState app, final String channel)
    {
        final String invalid = app.validateChannelName(channel);
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        if (!app.historyPolicy(channel).enabled)
        {
            return historyDisabled(channel);
        }
        return null;
    }

    // ---------------------------------------------------------------- messages

    HttpApi.Response message(final AppState app, final String channel, final String serial)
    {
        final HttpApi.Response bad = checkVersioned(app, channel, false);
        if (bad != null)
        {
            return bad;
        }
        final ChannelStreams streams = store().existing(app.config().id, channel);
        final StringBuilder sb = new StringBuilder(512);
        if (streams != null)
        {
            synchronized (streams)
            {
                final Version latest = streams.latest(serial);
                if (latest != null)
                {
                    sb.append("{\"channel\":");
                    JsonWriter.appendQuoted(sb, channel);
                    sb.append(",\"item\":");
                    latest.appendItem(sb, channel);
                    sb.append('}');
                    return new HttpApi.Response(200, sb.toString());
                }
            }
        }
        return notFound(serial, channel);
    }

    HttpApi.Response versions(final AppState app, final HttpRequest request, final String channel,
        final String serial)
    {
        final HttpApi.Response bad = checkVersioned(app, channel, false);
        if (bad != null)
        {
            return bad;
        }
        final List<String[]> query = QueryString.parse(request.rawQuery());
        final int maxPage = reactor.hub.context().versionedMessages.maxPageSize;
        int limit = maxPage;
        final String limitText = param(query, "limit");
        if (limitText != null)
        {
            final long parsed = parseLong(limitText);
            if (parsed <= 0)
            {
                return error(400, "invalid_input", "limit must be a positive integer");
            }
            limit = (int)Math.min(parsed, maxPage);
        }
        final String direction = param(query, "direction") == null ? "newest_first" : param(query, "direction");
        if (!direction.equals("newest_first") && !direction.equals("oldest_first"))
        {
            return error(400, "invalid_input", "direction must be newest_first or oldest_first");
        }
        final boolean oldestFirst = direction.equals("oldest_first");
        final String cursor = param(query, "cursor");
        final ChannelStreams streams = store().existing(app.config().id, channel);
        if (streams == null)
        {
            return notFound(serial, channel);
        }
        final StringBuilder sb = new StringBuilder(1024);
        synchronized (streams)
        {
            final List<Version> chain = streams.chain(serial);
            if (chain == null)
            {
                return notFound(serial, channel);
            }
            final java.util.ArrayList<Version> page = new java.util.ArrayList<>();
            final int n = chain.size();
            for (int i = 0; i < n && page.size() <= limit; i++)
            {
                final Version v = chain.get(oldestFirst ? i : n - 1 - i);
                if (cursor != null && (oldestFirst ? v.versionSerial.compareTo(cursor) <= 0 :
                    v.versionSerial.compareTo(cursor) >= 0))
                {
                    continue;
                }
                page.add(v);
            }
            final boolean hasMore = page.size() > limit;
            if (hasMore)
            {
                page.remove(page.size() - 1);
            }
            sb.append("{\"channel\":");
            JsonWriter.appendQuoted(sb, channel);
            sb.append(",\"direction\":\"").append(direction).append("\",\"limit\":").append(limit)
                .append(",\"has_more\":").append(hasMore);
            if (hasMore)
            {
                sb.append(",\"next_cursor\":");
                JsonWriter.appendQuoted(sb, page.get(page.size() - 1).versionSerial);
            }
            sb.append(",\"items\":[");
            for (int i = 0; i < page.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                page.get(i).appendItem(sb, channel);
            }
            sb.append("]}");
        }
        return new HttpApi.Response(200, sb.toString());
    }

    /**
     * {@code POST …/messages/{serial}/update|delete|append} with the validation order of spec 3.3.
     */
    HttpApi.Response mutate(final AppState app, final HttpRequest request, final String channel, final String serial,
        final String action)
    {
        final HttpApi.Response notJson = HttpApi.requireJson(request);
        if (notJson != null)
        {
            return notJson;
        }
        final JsonScanner s = scanner;
        final byte[] body = request.body();
        if (!s.scan(new UnsafeBuffer(body), 0, body.length))
        {
            return error(400, "invalid_input", "Invalid JSON body: " + s.errorMessage());
        }
        final Patch patch = new Patch();
        final String shape = patch.read(s, action);
        if (shape != null)
        {
            return error(422, "invalid_input", shape);
        }
        final HttpApi.Response bad = checkVersioned(app, channel, true);
        if (bad != null)
        {
            return bad;
        }
        if (!validSerial(serial))
        {
            return error(400, "invalid_input", "Invalid message serial '" + serial + "'");
        }
        final String rule = patch.rules(action);
        if (rule != null)
        {
            return error(400, "invalid_input", rule);
        }
        final ChannelStreams streams = store().existing(app.config().id, channel);
        if (streams == null)
        {
            return notFound(serial, channel);
        }
        // the version append runs on the log writer; the response is written when it ran
        final long now = reactor.nowMs;
        final HttpApi.Response[] result = new HttpApi.Response[1];
        return new HttpApi.Deferred(java.util.List.of(() ->
        {
            result[0] = applyMutation(app, channel, serial, action, patch, streams, now);
            return 0;
        }), () ->
        {
            if (result[0].status == 200)
            {
                reactor.metrics.increment(app.index(), ReactorMetrics.VERSION_MUTATIONS +
                    ("update".equals(action) ? 1 : "delete".equals(action) ? 2 : 3));
            }
            return result[0];
        });
    }

    /** On the log writer: the checks that need the chain, then the append and the live frame (spec 3.3 6-10). */
    private HttpApi.Response applyMutation(final AppState app, final String channel, final String serial,
        final String action, final Patch patch, final ChannelStreams streams, final long now)
    {
        synchronized (streams)
        {
            final Version latest = streams.latest(serial);
            if (latest == null)
            {
                return notFound(serial, channel);
            }
            String clientId = patch.clientId;
            if (patch.socketId != null)
            {
                final AppState.SocketInfo actor = app.socket(patch.socketId);
                if (actor == null)
                {
                    return error(401, "unauthorized", "Mutation actor socket '" + patch.socketId +
                        "' is not connected");
                }
                if (!actor.protocolV2)
                {
                    return error(401, "unauthorized", "Mutation actor socket must use protocol V2");
                }
                final String userId = actor.userId;
                if (patch.clientId != null)
                {
                    if (userId == null)
                    {
                        return error(401, "unauthorized", "Mutation actor socket '" + patch.socketId +
                            "' is not signed in with an identified client");
                    }
                    if (!userId.equals(patch.clientId))
                    {
                        return error(401, "unauthorized", "Requested client_id '" + patch.clientId +
                            "' does not match authenticated actor '" + userId + "'");
                    }
                }
                if (!allowed(actor, userId, latest.originalClientId, action, channel))
                {
                    return error(401, "unauthorized", "Connection is not allowed to " + action +
                        " message on channel '" + channel + "'");
                }
                clientId = userId;
            }
            final Object applied = patch.apply(latest, action);
            if (applied instanceof String)
            {
                return error(400, "invalid_input", (String)applied);
            }
            final String versionSerial = store().nextSerial();
            if (versionSerial.compareTo(latest.versionSerial) <= 0)
            {
                return error(400, "invalid_input", "New version serial '" + versionSerial +
                    "' does not sort above the latest version '" + latest.versionSerial + "'");
            }
            final Version[] fields = (Version[])applied;
            final Version base = fields[0];
            final Version version = new Version(streams.takeDeliverySerial(), latest.messageSerial,
                latest.historySerial, versionSerial, action, clientId, now, patch.description,
                patch.metadataJson, base.name, base.dataJson, base.hasExtras, base.headers, base.extrasRest,
                latest.originalClientId);
            streams.appendVersion(version);
            reactor.durable.publishMutation(app, channel, streams, version);
            final StringBuilder sb = new StringBuilder(256);
            sb.append("{\"channel\":");
            JsonWriter.appendQuoted(sb, channel);
            sb.append(",\"message_serial\":");
            JsonWriter.appendQuoted(sb, latest.messageSerial);
            sb.append(",\"action\":\"").append(action).append("\",\"accepted\":true,\"version_serial\":");
            JsonWriter.appendQuoted(sb, versionSerial);
            sb.append(",\"status\":\"applied\"}");
            return new HttpApi.Response(200, sb.toString());
        }
    }

    private static boolean allowed(final AppState.SocketInfo actor, final String userId, final String creator,
        final String action, final String channel)
    {
        final Map<String, List<String>> caps = actor.capabilities;
        if (caps == null)
        {
            return false;
        }
        if (Capabilities.matchesAny(caps.get("message_" + action + "_any"), channel))
        {
            return true;
        }
        if (Capabilities.matchesAny(caps.get("message_" + action + "_own"), channel))
        {
            return userId != null && creator != null && PusherSignatures.constantTimeEquals(userId, creator);
        }
        return false;
    }

    /**
     * Channel name (400), versioned messages enabled (422) and, when asked, history enabled (422): the checks that
     * every versioned-message and annotation route starts with (spec protocol-v2 3.3, annotations 5.1).
     */
    static HttpApi.Response checkVersioned(final AppState app, final String channel, final boolean needHistory)
    {
        final String invalid = app.validateChannelName(channel);
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        if (!app.versionedMessagesEnabled())
        {
            return error(422, "feature_disabled", "Versioned messages are disabled for channel '" + channel + "'");
        }
        if (needHistory && !app.historyPolicy(channel).enabled)
        {
            return historyDisabled(channel);
        }
        return null;
    }

    /** Non-empty, no whitespace, at most 128 bytes (spec 1.5). */
    static boolean validSerial(final String serial)
    {
        if (serial == null || serial.isEmpty() || serial.getBytes(StandardCharsets.UTF_8).length > 128)
        {
            return false;
        }
        for (int i = 0; i < serial.length(); i++)
        {
            if (Character.isWhitespace(serial.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** A mutation body (spec 3.3). */
    private static final class Patch
    {
        String name;
        String dataJson;
        boolean hasData;
        boolean hasName;
        boolean hasExtras;
        Map<String, String> headers;
        String extrasRest;
        final java.util.Set<String> clear = new java.util.HashSet<>();
        boolean duplicateClear;
        boolean hasClear;
        String clientId;
        String socketId;
        String description;
        String metadataJson;
        boolean hasMetadata;
        String appendFragment;

        /** Reads the body; returns a shape error (422) or null. */
        String read(final JsonScanner s, final String action)
        {
            final int root = s.root();
            if (s.type(root) != JsonScanner.OBJECT)
            {
                return "Request body must be a JSON object";
            }
            final int name = s.member(root, "name");
            if (!"delete".equals(action) && !"append".equals(action) && present(s, name))
            {
                if (s.type(name) != JsonScanner.STRING)
                {
                    return "name must be a string";
                }
                hasName = true;
                this.name = s.stringValue(name);
            }
            final int data = s.member(root, "data");
            if ("append".equals(action))
            {
                if (!present(s, data) || s.type(data) != JsonScanner.STRING)
                {
                    return "append requires a string 'data'";
                }
                appendFragment = s.stringValue(data);
            }
            else if (present(s, data))
            {
                hasData = true;
                dataJson = JsonWriter.compact(s, data);
            }
            if (!"append".equals(action))
            {
                final int extras = s.member(root, "extras");
                if (present(s, extras))
                {
                    if (s.type(extras) != JsonScanner.OBJECT)
                    {
                        return "extras must be an object";
                    }
                    final int h = s.member(extras, "headers");
                    if (present(s, h))
                    {
                        if (s.type(h) != JsonScanner.OBJECT)
                        {
                            return "extras.headers must be an object";
                        }
                        for (int k = s.firstChild(h); k >= 0; k = s.next(s.next(k)))
                        {
                            final int type = s.type(s.next(k));
                            if (type == JsonScanner.OBJECT || type == JsonScanner.ARRAY)
                            {
                                return "extras.headers values must be strings, numbers or booleans";
                            }
                        }
                    }
                    hasExtras = true;
                    headers = new java.util.LinkedHashMap<>();
                    extrasRest = Version.splitExtras(s, extras, headers);
                }
                final int clearTok = s.member(root, "clear_fields");
                if (present(s, clearTok))
                {
                    if (s.type(clearTok) != JsonScanner.ARRAY)
                    {
                        return "clear_fields must be an array";
                    }
                    hasClear = true;
                    for (int t = s.firstChild(clearTok); t >= 0; t = s.next(t))
                    {
                        if (s.type(t) != JsonScanner.STRING)
                        {
                            return "clear_fields must hold strings";
                        }
                        final String field = s.stringValue(t);
                        if (!field.equals("data") && !field.equals("extras") &&
                            !(field.equals("name") && "update".equals(action)))
                        {
                            return "unknown clear_fields value '" + field + "'";
                        }
                        duplicateClear |= !clear.add(field);
                    }
                }
            }
            final String[] strings = {"client_id", "socket_id", "description"};
            final String[] values = new String[3];
            for (int i = 0; i < 3; i++)
            {
                final int t = s.member(root, strings[i]);
                if (present(s, t))
                {
                    if (s.type(t) != JsonScanner.STRING)
                    {
                        return strings[i] + " must be a string";
                    }
                    values[i] = s.stringValue(t);
                }
            }
            clientId = values[0];
            socketId = values[1];
            description = values[2];
            final int metadata = s.member(root, "metadata");
            if (present(s, metadata))
            {
                hasMetadata = true;
                metadataJson = JsonWriter.compact(s, metadata);
            }
            return null;
        }

        /** Body rules (400), or null. */
        String rules(final String action)
        {
            if ("update".equals(action) && !hasName && !hasData && !hasExtras && !hasClear && clientId == null &&
                description == null && !hasMetadata)
            {
                return "update request must include at least one patch field or operation metadata";
            }
            if (duplicateClear)
            {
                return "clear_fields must not contain duplicates";
            }
            if ((hasName && clear.contains("name")) || (hasData && clear.contains("data")) ||
                (hasExtras && clear.contains("extras")))
            {
                return action + " request cannot both replace and clear the same field";
            }
            if ("append".equals(action) && appendFragment.isEmpty())
            {
                return "append requires non-empty data";
            }
            return null;
        }

        /** The patched fields as a one-element Version array (only content fields used), or an error text. */
        Object apply(final Version latest, final String action)
        {
            String newName = latest.name;
            String newData = latest.dataJson;
            boolean newHasExtras = latest.hasExtras;
            Map<String, String> newHeaders = latest.headers;
            String newRest = latest.extrasRest;
            if ("append".equals(action))
            {
                if (newData == null)
                {
                    final StringBuilder sb = new StringBuilder();
                    JsonWriter.appendQuoted(sb, appendFragment);
                    newData = sb.toString();
                }
                else
                {
                    final String current = decodeJsonString(newData);
                    if (current == null)
                    {
                        return "append requires string message data; the current data is not a string";
                    }
                    final StringBuilder sb = new StringBuilder();
                    JsonWriter.appendQuoted(sb, current + appendFragment);
                    newData = sb.toString();
                }
            }
            else
            {
                if (hasName)
                {
                    newName = name;
                }
                if (clear.contains("name"))
                {
                    newName = null;
                }
                if (hasData)
                {
                    newData = dataJson;
                }
                if (clear.contains("data"))
                {
                    newData = null;
                }
                if (hasExtras)
                {
                    newHasExtras = true;
                    newHeaders = headers;
                    newRest = extrasRest;
                }
                if (clear.contains("extras"))
                {
                    newHasExtras = false;
                    newHeaders = Map.of();
                    newRest = "";
                }
            }
            return new Version[] {new Version(0, latest.messageSerial, latest.historySerial, latest.versionSerial,
                action, null, 0, null, null, newName, newData, newHasExtras, newHeaders, newRest, null)};
        }

        private static boolean present(final JsonScanner s, final int token)
        {
            return token >= 0 && s.type(token) != JsonScanner.NULL;
        }
    }

    /** The value of a JSON string text, or null when the text is not a JSON string. */
    static String decodeJsonString(final String json)
    {
        if (json.isEmpty() || json.charAt(0) != '"')
        {
            return null;
        }
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final JsonScanner s = new JsonScanner();
        if (!s.scan(new UnsafeBuffer(bytes), 0, bytes.length) || s.type(s.root()) != JsonScanner.STRING)
        {
            return null;
        }
        return s.stringValue(s.root());
    }

    // ---------------------------------------------------------------- helpers

    private static String string(final JsonScanner s, final int object, final String key)
    {
        final int t = s.member(object, key);
        return t >= 0 && s.type(t) == JsonScanner.STRING ? s.stringValue(t) : null;
    }

    private static String param(final List<String[]> query, final String name)
    {
        return query == null ? null : QueryString.first(query, name);
    }

    private static long parseLong(final String text)
    {
        try
        {
            final long value = Long.parseLong(text.trim());
            return value < 0 ? -1 : value;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static String nullable(final long value)
    {
        return value < 0 ? "null" : Long.toString(value);
    }

    private static void quotedOrNull(final StringBuilder sb, final String value)
    {
        if (value == null)
        {
            sb.append("null");
        }
        else
        {
            JsonWriter.appendQuoted(sb, value);
        }
    }

    private static HttpApi.Response historyDisabled(final String channel)
    {
        return error(422, "feature_disabled", "Durable history is disabled by policy for channel '" + channel + "'");
    }

    private static HttpApi.Response notFound(final String serial, final String channel)
    {
        return error(404, "not_found", "Message '" + serial + "' was not found in channel '" + channel + "'");
    }
}
