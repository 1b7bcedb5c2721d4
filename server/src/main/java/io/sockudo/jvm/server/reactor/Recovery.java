package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.PusherErrorCodes;
import io.sockudo.jvm.server.channel.AppState;
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

    Recovery(final Reactor reactor, final PusherSession session)
    {
        this.reactor = reactor;
        this.session = session;
    }

    void onResume(final Connection c, final JsonScanner s, final int root)
    {
        final AppState app = c.app;
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
            expired(c, channel, legacy, streamId, 0, 0, failed);
            return;
        }
        if (streamId != null)
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
            expired(c, channel, legacy, null, oldest, newest, failed);
            return;
        }
        if (serial >= newest)
        {
            recovered(channel, 0, recovered);
            return;
        }
        if (serial > 0 && serial < oldest - 1)
        {
            expired(c, channel, legacy, null, oldest, newest, failed);
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

    private void expired(final Connection c, final String channel, final boolean legacy, final String streamId,
        final long oldest, final long newest, final StringBuilder failed)
    {
        if (legacy)
        {
            fail(c, channel, "continuity_unverifiable", "legacy_serial_only_position_cannot_use_cold_recovery",
                streamId, oldest, newest, failed);
        }
        else
        {
            fail(c, channel, "position_expired", "hot_replay_expired_and_durable_history_disabled", streamId, oldest,
                newest, failed);
        }
    }

    private static void recovered(final String channel, final int replayed, final StringBuilder recovered)
    {
        if (recovered.length() > 0)
        {
            recovered.append(',');
        }
        recovered.append("{\"channel\":");
        JsonWriter.appendQuoted(recovered, channel);
        recovered.append(",\"source\":\"hot\",\"replayed\":").append(replayed).append('}');
    }

    private void fail(final Connection c, final String channel, final String code, final String reason,
        final String expectedStreamId, final long oldest, final long newest, final StringBuilder failed)
    {
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
