package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import io.sockudo.jvm.server.channel.ReplayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sockudo:resume} (spec protocol-v2 2.3-2.5): replays what a V2 socket missed on its channels from the
 * hot replay buffer. Durable (cold) recovery needs the history of issue #4 and answers {@code position_expired}
 * until then. Decision in the spec README: resume is V2 only and only for channels the socket is subscribed to.
 */
final class Recovery
{
    private final Reactor reactor;
    private final PusherSession session;
    private final JsonScanner inner = new JsonScanner();
    private final UnsafeBuffer innerBuffer = new UnsafeBuffer(new byte[0]);
    private final List<byte[]> replay = new ArrayList<>();
    private String lastMessageId;
    private int appIndex;

    Recovery(final Reactor reactor, final PusherSession session)
    {
        this.reactor = reactor;
        this.session = session;
    }

    void onResume(final Connection c, final JsonScanner s, final int root)
    {
        final AppState app = c.app;
        appIndex = app.index();
        if (!reactor.hub.context().connectionRecovery.enabled)
        {
            session.sendError(c, PusherErrorCodes.CLIENT_EVENT_ERROR, "Connection recovery is not enabled");
            return;
        }
        if (!c.protocolV2)
        {
            session.sendError(c, PusherErrorCodes.CHANNEL_ERROR,
                "Channel error: Connection recovery is only supported on protocol V2");
            return;
        }
        JsonScanner d = s;
        int data = s.member(root, "data");
        if (data < 0 || s.type(data) == JsonScanner.NULL)
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Missing data in resume message");
            return;
        }
        if (s.type(data) == JsonScanner.STRING)
        {
            final byte[] bytes = s.stringValue(data).getBytes(StandardCharsets.UTF_8);
            innerBuffer.wrap(bytes);
            if (!inner.scan(innerBuffer, 0, bytes.length))
            {
                session.sendError(c, PusherErrorCodes.GENERIC,
                    "Invalid message format: Invalid resume data JSON: " + inner.errorMessage());
                return;
            }
            d = inner;
            data = inner.root();
        }
        if (d.type(data) != JsonScanner.OBJECT)
        {
            session.sendError(c, PusherErrorCodes.GENERIC, "Invalid message format: Invalid resume data JSON: " +
                "expected an object");
            return;
        }
        int positions = d.member(data, "channel_positions");
        final boolean legacy = positions < 0;
        if (legacy)
        {
            positions = d.member(data, "channel_serials");
        }
        if (positions < 0 || d.type(positions) != JsonScanner.OBJECT)
        {
            session.sendError(c, PusherErrorCodes.GENERIC,
                "Invalid message format: Missing channel_positions or channel_serials in resume data");
            return;
        }
        if (d.childCount(positions) == 0)
        {
            session.sendError(c, 4302, "No channel recovery positions provided");
            return;
        }
        // validate every position before replaying anything
        for (int k = d.firstChild(positions); k >= 0; k = d.next(d.next(k)))
        {
            final int v = d.next(k);
            final int serial = legacy ? v : (d.type(v) == JsonScanner.OBJECT ? d.member(v, "serial") : -1);
            if (serial < 0 || d.type(serial) != JsonScanner.NUMBER || !d.isInteger(serial) || d.longValue(serial) < 0)
            {
                session.sendError(c, PusherErrorCodes.GENERIC,
                    "Invalid message format: Invalid resume data JSON: serial must be a non-negative integer");
                return;
            }
        }
        final StringBuilder recovered = new StringBuilder();
        final StringBuilder failed = new StringBuilder();
        for (int k = d.firstChild(positions); k >= 0; k = d.next(d.next(k)))
        {
            final String channel = d.stringValue(k);
            final int v = d.next(k);
            final long serial = d.longValue(legacy ? v : d.member(v, "serial"));
            final int streamTok = legacy ? -1 : d.member(v, "stream_id");
            final String streamId = streamTok >= 0 && d.type(streamTok) == JsonScanner.STRING ?
                d.stringValue(streamTok) : null;
            final int lastTok = legacy ? -1 : d.member(v, "last_message_id");
            lastMessageId = lastTok >= 0 && d.type(lastTok) == JsonScanner.STRING ? d.stringValue(lastTok) : null;
            resumeChannel(c, app, channel, serial, streamId, legacy, recovered, failed);
        }
        final String summary = "{\"recovered\":[" + recovered + "],\"failed\":[" + failed + "]}";
        reactor.send(c, PusherSession.finish(c, session.event(c, false, "resume_success").ascii(",\"data\":")
            .quoted(summary), true));
    }

    private void resumeChannel(final Connection c, final AppState app, final String channel, final long serial,
        final String streamId, final boolean legacy, final StringBuilder recovered, final StringBuilder failed)
    {
        if (c.indexOfChannel(channel) < 0)
        {
            fail(c, channel, "continuity_unverifiable", "channel_not_subscribed", streamId, 0, 0, failed);
            return;
        }
        final ReplayBuffer buffer = app.replayBuffer(channel, false);
        if (buffer == null)
        {
            expired(c, app, channel, legacy, serial, streamId, 0, 0, recovered, failed);
            return;
        }
        if (streamId != null && !streamId.equals(buffer.streamId()))
        {
            // recovery-only mode has no stream id, so any stream id the client names does not match
            fail(c, channel, "stream_reset", "stream_id_mismatch", streamId, buffer.oldest(), buffer.newest(), failed);
            return;
        }
        buffer.prune(reactor.nowMs);
        final long oldest = buffer.oldest();
        final long newest = buffer.newest();
        if (buffer.isEmpty())
        {
            if (serial >= buffer.nextSerial() - 1)
            {
                recovered(channel, 0, recovered);
                return;
            }
            expired(c, app, channel, legacy, serial, null, oldest, newest, recovered, failed);
            return;
        }
        if (serial >= newest)
        {
            recovered(channel, 0, recovered);
            return;
        }
        if (serial > 0 && serial < oldest - 1)
        {
            expired(c, app, channel, legacy, serial, streamId, oldest, newest, recovered, failed);
            return;
        }
        replay.clear();
        buffer.after(serial, replay);
        for (int i = 0; i < replay.size(); i++)
        {
            final byte[] json = replay.get(i);
            reactor.send(c, reactor.frame.begin().raw(new UnsafeBuffer(json), 0, json.length).end());
        }
        recovered(channel, replay.size(), recovered);
        replay.clear();
    }

    private void expired(final Connection c, final AppState app, final String channel, final boolean legacy,
        final long serial, final String streamId, final long oldest, final long newest, final StringBuilder recovered,
        final StringBuilder failed)
    {
        if (legacy)
        {
            fail(c, channel, "continuity_unverifiable", "legacy_serial_only_position_cannot_use_cold_recovery",
                streamId, oldest, newest, failed);
            return;
        }
        if (app.versionedMessagesEnabled())
        {
            coldFromVersions(c, app, channel, serial, streamId, recovered, failed);
            return;
        }
        final io.sockudo.jvm.server.history.HistoryPolicy policy = app.historyPolicy(channel);
        if (!policy.enabled)
        {
            fail(c, channel, "position_expired", "hot_replay_expired_and_durable_history_disabled", streamId, oldest,
                newest, failed);
            return;
        }
        coldFromHistory(c, app, channel, policy, serial, streamId, recovered, failed);
    }

    /** Spec 2.4 step 4: the stored envelopes after {@code serial}, verbatim. */
    private void coldFromHistory(final Connection c, final AppState app, final String channel,
        final io.sockudo.jvm.server.history.HistoryPolicy policy, final long serial, final String streamId,
        final StringBuilder recovered, final StringBuilder failed)
    {
        final io.sockudo.jvm.server.history.ChannelStreams streams =
            reactor.hub.store().streams(app.config().id, channel);
        replay.clear();
        synchronized (streams)
        {
            streams.evict(policy, reactor.nowMs);
            final long oldest = streams.retainedMessages() == 0 ? 0 : streams.oldestSerial();
            final long newest = streams.newestSerial();
            if (!streams.historyStreamId().equals(streamId))
            {
                fail(c, channel, "stream_reset", "durable_stream_id_mismatch", streamId, oldest, newest, failed);
                return;
            }
            if (serial + 1 < streams.oldestSerial() && streams.oldestSerial() > 1)
            {
                fail(c, channel, "position_expired", "retained_history_floor_is_ahead_of_requested_serial", streamId,
                    oldest, newest, failed);
                return;
            }
            for (final io.sockudo.jvm.server.history.HistoryItem item :
                streams.read(true, serial, -1, -1, -1, -1, Integer.MAX_VALUE))
            {
                if (lastMessageId != null && lastMessageId.equals(item.messageId))
                {
                    continue;
                }
                final byte[] envelope = streams.envelope(item);
                if (envelope != null)
                {
                    replay.add(envelope);
                }
            }
        }
        sendReplay(c, channel, "cold", recovered);
    }

    /** Spec 2.4 step 3: every version after {@code serial}, rebuilt with a fresh message id. */
    private void coldFromVersions(final Connection c, final AppState app, final String channel, final long serial,
        final String streamId, final StringBuilder recovered, final StringBuilder failed)
    {
        final io.sockudo.jvm.server.history.ChannelStreams streams =
            reactor.hub.store().existing(app.config().id, channel);
        replay.clear();
        if (streams == null)
        {
            if (streamId != null)
            {
                fail(c, channel, "stream_reset", "version_stream_id_mismatch", streamId, 0, 0, failed);
                return;
            }
            sendReplay(c, channel, "cold", recovered);
            return;
        }
        synchronized (streams)
        {
            final String current = streams.nextDeliverySerial() > 1 ? streams.versionStreamId() : null;
            if (current == null ? streamId != null : !current.equals(streamId))
            {
                fail(c, channel, "stream_reset", "version_stream_id_mismatch", streamId, 0, 0, failed);
                return;
            }
            long expected = serial + 1;
            for (final io.sockudo.jvm.server.history.Version v : streams.versionsAfter(serial))
            {
                if (v.deliverySerial != expected)
                {
                    replay.clear();
                    fail(c, channel, "persistence_unavailable", "version_store_replay_failed", streamId, 0, 0, failed);
                    return;
                }
                expected++;
                final StringBuilder sb = new StringBuilder(256);
                v.appendLiveFrame(sb, "sockudo:message." + v.action, channel, java.util.UUID.randomUUID().toString(),
                    current);
                replay.add(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        sendReplay(c, channel, "cold", recovered);
    }

    private void sendReplay(final Connection c, final String channel, final String source,
        final StringBuilder recovered)
    {
        for (int i = 0; i < replay.size(); i++)
        {
            final byte[] json = replay.get(i);
            reactor.send(c, reactor.frame.begin().raw(new UnsafeBuffer(json), 0, json.length).end());
        }
        recovered(channel, replay.size(), source, recovered);
        replay.clear();
    }

    private void recovered(final String channel, final int replayed, final StringBuilder recovered)
    {
        recovered(channel, replayed, "hot", recovered);
    }

    private void recovered(final String channel, final int replayed, final String source,
        final StringBuilder recovered)
    {
        reactor.metrics.increment(appIndex, ReactorMetrics.RECOVERY_SUCCESS + ("hot".equals(source) ? 0 : 1));
        if (recovered.length() > 0)
        {
            recovered.append(',');
        }
        recovered.append("{\"channel\":");
        JsonWriter.appendQuoted(recovered, channel);
        recovered.append(",\"source\":\"").append(source).append("\",\"replayed\":").append(replayed).append('}');
    }

    private void fail(final Connection c, final String channel, final String code, final String reason,
        final String expectedStreamId, final long oldest, final long newest, final StringBuilder failed)
    {
        for (int i = 0; i < ReactorMetrics.RECOVERY_CODES.length; i++)
        {
            if (ReactorMetrics.RECOVERY_CODES[i].equals(code))
            {
                reactor.metrics.increment(appIndex, ReactorMetrics.RECOVERY_FAILURES + i);
            }
        }
        final StringBuilder sb = new StringBuilder(160);
        sb.append("{\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"code\":\"").append(code).append("\",\"reason\":\"").append(reason)
            .append("\",\"expected_stream_id\":");
        if (expectedStreamId == null)
        {
            sb.append("null");
        }
        else
        {
            JsonWriter.appendQuoted(sb, expectedStreamId);
        }
        sb.append(",\"current_stream_id\":null,\"oldest_available_serial\":")
            .append(oldest == 0 ? "null" : Long.toString(oldest))
            .append(",\"newest_available_serial\":").append(newest == 0 ? "null" : Long.toString(newest)).append('}');
        final String json = sb.toString();
        // the per-channel frame carries the same object without the channel key
        final String data = "{" + json.substring(json.indexOf(",\"code\"") + 1);
        reactor.send(c, PusherSession.finish(c, session.event(c, false, "resume_failed").ascii(",\"channel\":")
            .quoted(channel).ascii(",\"data\":").quoted(data), false));
        if (failed.length() > 0)
        {
            failed.append(',');
        }
        failed.append(json);
    }
}
