package io.sockudo.jvm.server.webhook;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes webhook request bodies: {@code {"time_ms":<ms>,"events":[...]}} with the event objects of Pusher's
 * protocol. Used by the dispatcher thread only (it keeps a scanner).
 */
final class WebhookPayload
{
    private final JsonScanner scanner = new JsonScanner();
    private final StringBuilder sb = new StringBuilder(256);

    /**
     * The body for {@code events[from, to)}; {@code time_ms} is the earliest event time among them.
     */
    String body(final List<WebhookEvent> events, final int from, final int to)
    {
        long timeMs = Long.MAX_VALUE;
        for (int i = from; i < to; i++)
        {
            timeMs = Math.min(timeMs, events.get(i).timeMs);
        }
        sb.setLength(0);
        sb.append("{\"time_ms\":").append(timeMs).append(",\"events\":[");
        for (int i = from; i < to; i++)
        {
            if (i > from)
            {
                sb.append(',');
            }
            appendEvent(events.get(i));
        }
        sb.append("]}");
        return sb.toString();
    }

    private void appendEvent(final WebhookEvent e)
    {
        sb.append("{\"name\":\"").append(e.type.wireName()).append("\",\"channel\":");
        JsonWriter.appendQuoted(sb, e.channel);
        switch (e.type)
        {
            case MEMBER_ADDED:
            case MEMBER_REMOVED:
                sb.append(",\"user_id\":");
                JsonWriter.appendQuoted(sb, e.userId);
                break;
            case SUBSCRIPTION_COUNT:
                sb.append(",\"subscription_count\":").append(e.count);
                break;
            case CACHE_MISS:
                sb.append(",\"data\":\"{}\"");
                break;
            case CLIENT_EVENT:
                sb.append(",\"event\":");
                JsonWriter.appendQuoted(sb, e.event);
                sb.append(",\"data\":");
                JsonWriter.appendQuoted(sb, dataAsString(e.dataJson));
                sb.append(",\"socket_id\":");
                JsonWriter.appendQuoted(sb, e.socketId);
                if (null != e.userId)
                {
                    sb.append(",\"user_id\":");
                    JsonWriter.appendQuoted(sb, e.userId);
                }
                break;
            default:
                break;
        }
        sb.append('}');
    }

    /**
     * Pusher sends client-event data as a string: a JSON string is sent as its value, anything else as the JSON
     * text the client sent.
     */
    String dataAsString(final String dataJson)
    {
        if (null == dataJson)
        {
            return "null";
        }
        final String trimmed = dataJson.strip();
        if (!trimmed.isEmpty() && trimmed.charAt(0) == '"')
        {
            final byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
            if (scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length) &&
                JsonScanner.STRING == scanner.type(scanner.root()))
            {
                return scanner.stringValue(scanner.root());
            }
        }
        return dataJson;
    }
}
