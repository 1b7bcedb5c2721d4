package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.channel.ReplayBuffer;
import io.sockudo.jvm.server.history.ChannelStreams;
import io.sockudo.jvm.server.history.HistoryPolicy;
import io.sockudo.jvm.server.history.MessageStore;
import io.sockudo.jvm.server.history.Version;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The durable publish pipeline of spec protocol-v2 1.4 and 3.2 for a channel whose resolved history is enabled:
 * stamp ({@code message_id}, {@code stream_id}, {@code serial}), store (history row, version, replay buffer) and fan
 * out, all under the channel's streams monitor so that serials reach subscribers in order. A store failure is thrown
 * before anything is sent.
 */
final class Durable
{
    private final Reactor reactor;

    Durable(final Reactor reactor)
    {
        this.reactor = reactor;
    }

    /** What one broadcast carries into the pipeline. */
    static final class Message
    {
        String event;
        /** data as JSON text ({@code "x"} for a string), or null for none. */
        String dataJson;
        /** the extras object, or null. */
        JsonScanner extrasScanner;
        int extras = -1;
        /** preset message id (HTTP publish with global recovery on), or null. */
        String messageId;
        /** the creator's user id, or null. */
        String actor;
        /** user_id of a presence client event, or null. */
        String userId;
        /** the plain V1 frame, already encoded; null means V1 sockets get nothing. */
        FrameWriter v1;
        DirectBuffer exclude;
        int excludeLength;
    }

    /**
     * Runs the pipeline for one channel.
     *
     * @param app the app
     * @param channel channel name
     * @param policy its resolved policy (enabled)
     * @param m the message
     */
    void publish(final AppState app, final String channel, final HistoryPolicy policy, final Message m)
    {
        final MessageStore store = reactor.hub.store();
        final ChannelStreams streams = store.streams(app.config().id, channel);
        final Map<String, String> headers = new LinkedHashMap<>();
        String rest = "";
        boolean hasAction = false;
        if (m.extras >= 0)
        {
            rest = Version.splitExtras(m.extrasScanner, m.extras, headers);
            hasAction = hasRuntimeAction(m.extrasScanner, m.extras);
        }
        final String messageId = m.messageId != null ? m.messageId : UUID.randomUUID().toString();
        final long now = reactor.nowMs;
        synchronized (streams)
        {
            final String streamId;
            final long serial;
            final byte[] envelope;
            String messageSerial = null;
            Version version = null;
            if (policy.versioned && !hasAction)
            {
                streamId = streams.versionStreamId();
                serial = streams.nextDeliverySerial();
                messageSerial = store.nextSerial();
                version = new Version(serial, messageSerial, streams.nextHistorySerial(), messageSerial, "create",
                    m.actor, now, null, null, m.event, m.dataJson, true, headers, rest, m.actor);
                final StringBuilder sb = new StringBuilder(256);
                version.appendLiveFrame(sb, m.event, channel, messageId, streamId);
                envelope = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            else
            {
                streamId = streams.historyStreamId();
                serial = streams.nextHistorySerial();
                envelope = plainEnvelope(m, channel, messageId, streamId, serial);
            }
            streams.appendHistory(policy, now, messageId, m.event, messageSerial, envelope);
            reactor.metrics.increment(app.index(), ReactorMetrics.HISTORY_WRITES);
            if (version != null)
            {
                streams.takeDeliverySerial();
                streams.appendVersion(version);
                reactor.metrics.increment(app.index(), ReactorMetrics.VERSION_MUTATIONS);
            }
            if (app.recoveryEnabled())
            {
                final ReplayBuffer buffer = app.replayBuffer(channel, true);
                synchronized (buffer)
                {
                    buffer.add(serial, envelope, now, streamId);
                }
            }
            fanOut(app, channel, m.v1 != null && !hasAction ? m.v1 : null, envelope, m.exclude, m.excludeLength);
        }
    }

    /**
     * Sends a stored mutation (spec 3.7): V2 sockets only, with a fresh message id; also buffered for hot resume.
     *
     * @param app the app
     * @param channel channel
     * @param streams the channel's streams (monitor held by the caller)
     * @param version the new version
     */
    void publishMutation(final AppState app, final String channel, final ChannelStreams streams,
        final Version version)
    {
        final StringBuilder sb = new StringBuilder(256);
        version.appendLiveFrame(sb, "sockudo:message." + version.action, channel, UUID.randomUUID().toString(),
            streams.versionStreamId());
        final byte[] frame = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (app.recoveryEnabled())
        {
            final ReplayBuffer buffer = app.replayBuffer(channel, true);
            synchronized (buffer)
            {
                buffer.add(version.deliverySerial, frame, reactor.nowMs, streams.versionStreamId());
            }
        }
        fanOut(app, channel, null, frame, null, 0);
    }

    private void fanOut(final AppState app, final String channel, final FrameWriter v1, final byte[] v2Json,
        final DirectBuffer exclude, final int excludeLength)
    {
        final Channel ch = app.channel(channel);
        if (ch == null)
        {
            return;
        }
        final FrameWriter v2 = reactor.frameV2.begin();
        v2.raw(new org.agrona.concurrent.UnsafeBuffer(v2Json), 0, v2Json.length).end();
        final FrameWriter plain = v1 != null ? v1 : reactor.frameNone.begin();
        reactor.hub.publish(reactor, ch, plain, v2, ch.joinSequence(), exclude, 0, excludeLength);
    }

    private static byte[] plainEnvelope(final Message m, final String channel, final String messageId,
        final String streamId, final long serial)
    {
        final StringBuilder sb = new StringBuilder(192);
        sb.append("{\"event\":");
        JsonWriter.appendQuoted(sb, m.event);
        sb.append(",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"data\":").append(m.dataJson == null ? "null" : m.dataJson);
        if (m.userId != null)
        {
            sb.append(",\"user_id\":");
            JsonWriter.appendQuoted(sb, m.userId);
        }
        sb.append(",\"message_id\":");
        JsonWriter.appendQuoted(sb, messageId);
        sb.append(",\"stream_id\":");
        JsonWriter.appendQuoted(sb, streamId);
        sb.append(",\"serial\":").append(serial);
        if (m.extras >= 0)
        {
            sb.append(",\"extras\":").append(JsonWriter.compact(m.extrasScanner, m.extras));
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A recognised {@code sockudo_action} or a string {@code sockudo_message_serial} header (spec 3.2). */
    private static boolean hasRuntimeAction(final JsonScanner s, final int extras)
    {
        final int headers = s.member(extras, "headers");
        if (headers < 0 || s.type(headers) != JsonScanner.OBJECT)
        {
            return false;
        }
        final int serial = s.member(headers, "sockudo_message_serial");
        if (serial >= 0 && s.type(serial) == JsonScanner.STRING)
        {
            return true;
        }
        final int action = s.member(headers, "sockudo_action");
        if (action < 0 || s.type(action) != JsonScanner.STRING)
        {
            return false;
        }
        final String value = s.stringValue(action);
        return value.equals("message.create") || value.equals("message.update") || value.equals("message.delete") ||
            value.equals("message.append") || value.equals("message.summary");
    }
}
