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
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The durable publish pipeline of spec protocol-v2 1.4 and 3.2 for a channel whose resolved history is enabled.
 * {@link #prepare} runs on the reactor and copies the inputs out of its buffers; the returned write runs on the
 * {@link LogWriter}: stamp ({@code message_id}, {@code stream_id}, {@code serial}), store (history row, version,
 * replay buffer) and hand the frames to the reactors, under the channel's streams monitor. A store failure is thrown
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
     * Prepares the pipeline for one channel on the reactor: copies what the writer needs out of the reactor's
     * buffers (the V1 frame, the excluded socket id, the extras split into headers and the rest).
     *
     * @param app the app
     * @param channel channel name
     * @param policy its resolved policy (enabled)
     * @param m the message
     * @return the work for the log writer: store and fan out
     */
    DurableWrite prepare(final AppState app, final String channel, final HistoryPolicy policy, final Message m)
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        String rest = "";
        boolean hasAction = false;
        String extrasJson = null;
        if (m.extras >= 0)
        {
            rest = Version.splitExtras(m.extrasScanner, m.extras, headers);
            hasAction = hasRuntimeAction(m.extrasScanner, m.extras);
            extrasJson = JsonWriter.compact(m.extrasScanner, m.extras);
        }
        final byte[] v1 = m.v1 != null && !hasAction ? frameBytes(m.v1) : null;
        final byte[] exclude = m.excludeLength > 0 ? new byte[m.excludeLength] : null;
        if (exclude != null)
        {
            m.exclude.getBytes(0, exclude);
        }
        final String messageId = m.messageId != null ? m.messageId : UUID.randomUUID().toString();
        final long now = reactor.nowMs;
        final boolean versioned = policy.versioned && !hasAction;
        final String event = m.event;
        final String dataJson = m.dataJson;
        final String actor = m.actor;
        final String userId = m.userId;
        final String extras = extrasJson;
        final String extrasRest = rest;
        return () ->
        {
            final MessageStore store = reactor.hub.store();
            final ChannelStreams streams = store.streams(app.config().id, channel);
            synchronized (streams)
            {
                final String streamId;
                final long serial;
                final byte[] envelope;
                String messageSerial = null;
                Version version = null;
                if (versioned)
                {
                    streamId = streams.versionStreamId();
                    serial = streams.nextDeliverySerial();
                    messageSerial = store.nextSerial();
                    version = new Version(serial, messageSerial, streams.nextHistorySerial(), messageSerial,
                        "create", actor, now, null, null, event, dataJson, true, headers, extrasRest, actor);
                    final StringBuilder sb = new StringBuilder(256);
                    version.appendLiveFrame(sb, event, channel, messageId, streamId);
                    envelope = sb.toString().getBytes(StandardCharsets.UTF_8);
                }
                else
                {
                    streamId = streams.historyStreamId();
                    serial = streams.nextHistorySerial();
                    envelope = plainEnvelope(event, dataJson, userId, extras, channel, messageId, streamId, serial);
                }
                streams.appendHistory(policy, now, messageId, event, messageSerial, envelope);
                if (version != null)
                {
                    streams.takeDeliverySerial();
                    streams.appendVersion(version);
                }
                if (app.recoveryEnabled())
                {
                    final ReplayBuffer buffer = app.replayBuffer(channel, true);
                    synchronized (buffer)
                    {
                        buffer.add(serial, envelope, now, streamId);
                    }
                }
                fanOut(app, channel, v1, envelope, exclude);
                return version != null ? HISTORY_ROW | VERSIONED_CREATE : HISTORY_ROW;
            }
        };
    }

    /** {@link DurableWrite#run()} flag: a history row was stored. */
    static final int HISTORY_ROW = 1;
    /** {@link DurableWrite#run()} flag: a versioned create was stored. */
    static final int VERSIONED_CREATE = 2;

    /** One durable write, run on the log writer; answers {@link #HISTORY_ROW} / {@link #VERSIONED_CREATE} flags. */
    interface DurableWrite
    {
        int run();
    }

    /**
     * Runs prepared writes on the log writer, then counts them on the reactor and runs {@code then} there.
     *
     * @param app the app (metrics slot)
     * @param writes the writes, in order
     * @param then on the reactor after every write ran, with null or the first failure
     */
    void submit(final AppState app, final java.util.List<DurableWrite> writes,
        final java.util.function.Consumer<RuntimeException> then)
    {
        reactor.hub.writer().submit(() ->
        {
            RuntimeException failure = null;
            int versions = 0;
            int done = 0;
            for (final DurableWrite w : writes)
            {
                try
                {
                    final int flags = w.run();
                    done += flags & HISTORY_ROW;
                    versions += (flags & VERSIONED_CREATE) >> 1;
                }
                catch (final RuntimeException ex)
                {
                    failure = ex;
                    break;
                }
            }
            final RuntimeException error = failure;
            final int written = done;
            final int created = versions;
            reactor.execute(() ->
            {
                reactor.metrics.add(app.index(), ReactorMetrics.HISTORY_WRITES, written);
                reactor.metrics.add(app.index(), ReactorMetrics.VERSION_MUTATIONS, created);
                then.accept(error);
            });
        });
    }

    /**
     * Sends a stored mutation (spec 3.7) from the log writer: V2 sockets only, with a fresh message id; also
     * buffered for hot resume.
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
                buffer.add(version.deliverySerial, frame, version.timestampMs, streams.versionStreamId());
            }
        }
        fanOut(app, channel, null, frame, null);
    }

    /** On the log writer: the frames into the writer's own buffers, then to the reactors' inboxes. */
    private void fanOut(final AppState app, final String channel, final byte[] v1Frame, final byte[] v2Json,
        final byte[] exclude)
    {
        final Channel ch = app.channel(channel);
        if (ch == null)
        {
            return;
        }
        final LogWriter writer = reactor.hub.writer();
        final FrameWriter v2 = writer.frameV2.begin();
        v2.raw(new UnsafeBuffer(v2Json), 0, v2Json.length).end();
        final FrameWriter v1 = v1Frame != null ? writer.frame.frame(new UnsafeBuffer(v1Frame), 0, v1Frame.length) :
            writer.frameNone.begin();
        reactor.hub.publishFromWriter(ch, v1, v2, ch.joinSequence(), exclude == null ? null : new UnsafeBuffer(exclude),
            exclude == null ? 0 : exclude.length);
    }

    /** The bytes of a complete encoded frame (header included). */
    private static byte[] frameBytes(final FrameWriter f)
    {
        final byte[] bytes = new byte[f.length()];
        f.buffer().getBytes(f.start(), bytes);
        return bytes;
    }

    private static byte[] plainEnvelope(final String event, final String dataJson, final String userId,
        final String extrasJson, final String channel, final String messageId, final String streamId,
        final long serial)
    {
        final StringBuilder sb = new StringBuilder(192);
        sb.append("{\"event\":");
        JsonWriter.appendQuoted(sb, event);
        sb.append(",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"data\":").append(dataJson == null ? "null" : dataJson);
        if (userId != null)
        {
            sb.append(",\"user_id\":");
            JsonWriter.appendQuoted(sb, userId);
        }
        sb.append(",\"message_id\":");
        JsonWriter.appendQuoted(sb, messageId);
        sb.append(",\"stream_id\":");
        JsonWriter.appendQuoted(sb, streamId);
        sb.append(",\"serial\":").append(serial);
        if (extrasJson != null)
        {
            sb.append(",\"extras\":").append(extrasJson);
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
