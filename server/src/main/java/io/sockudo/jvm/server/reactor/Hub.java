package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.config.ServerContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Routes deliveries between reactors: a publish reads the channel's reactor mask and either fans out
 * locally or writes one record into each other reactor's inbox. Immutable after start; called on reactor
 * threads only.
 */
public final class Hub
{
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.reactor");
    private final ServerContext context;
    private io.sockudo.jvm.server.history.MessageStore store;
    private LogWriter writer;
    private final AppRegistry apps;
    private Reactor[] reactors;
    private final int maxOutboundBytes;
    private final io.sockudo.jvm.server.ratelimit.RateLimiter apiLimiter;
    private final io.sockudo.jvm.server.ratelimit.RateLimiter wsLimiter;

    Hub(final ServerContext context, final AppRegistry apps)
    {
        this.context = context;
        this.apps = apps;
        final long bytes = context.websocket.maxBackpressure > 0 ? context.websocket.maxBackpressure : 1L << 20;
        this.maxOutboundBytes = (int)Math.min(Integer.MAX_VALUE, Math.max(bytes, 64 * 1024));
        final io.sockudo.jvm.server.config.RateLimiterConfig limits = context.rateLimiter;
        this.apiLimiter = limits.enabled ?
            new io.sockudo.jvm.server.ratelimit.RateLimiter(limits.api.maxRequests, limits.api.windowSeconds) : null;
        this.wsLimiter = limits.enabled ? new io.sockudo.jvm.server.ratelimit.RateLimiter(
            limits.websocket.maxRequests, limits.websocket.windowSeconds) : null;
    }

    /** Per-IP limiter of the HTTP API, shared by all reactors; null when rate limiting is off. */
    io.sockudo.jvm.server.ratelimit.RateLimiter apiLimiter()
    {
        return apiLimiter;
    }

    /** Per-IP limiter of WebSocket upgrades; null when rate limiting is off. */
    io.sockudo.jvm.server.ratelimit.RateLimiter wsLimiter()
    {
        return wsLimiter;
    }

    void reactors(final Reactor[] reactors)
    {
        this.reactors = reactors;
    }

    int reactorCount()
    {
        return context.effectiveReactorThreads();
    }

    Reactor reactor(final int index)
    {
        return reactors[index];
    }

    ServerContext context()
    {
        return context;
    }

    AppRegistry apps()
    {
        return apps;
    }

    int maxOutboundBytes()
    {
        return maxOutboundBytes;
    }

    /**
     * Delivers the finished frame in {@code writer} to every subscriber of a channel except one socket id.
     *
     * @param from the calling reactor
     * @param channel target channel
     * @param writer the encoded frame (owned by {@code from})
     * @param writerV2 the frame for V2 sockets when it differs, else null
     * @param maxJoinSequence only subscribers whose join sequence is at most this receive it
     * @param exclude socket id bytes to skip, or null
     * @param excludeOffset offset
     * @param excludeLength length, 0 for none
     */
    void publish(final Reactor from, final Channel channel, final FrameWriter writer, final FrameWriter writerV2,
        final long maxJoinSequence, final DirectBuffer exclude, final int excludeOffset, final int excludeLength)
    {
        final long publishNanos = System.nanoTime();
        final int appIndex = channel.app().index();
        long mask = channel.reactorMask();
        while (mask != 0)
        {
            final int r = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (r == from.index)
            {
                from.fanOut(channel.id(), appIndex, publishNanos, writer, writerV2, maxJoinSequence, exclude,
                    excludeOffset, excludeLength);
            }
            else
            {
                final Reactor target = reactors[r];
                if (!from.outbox.hasOverflow(r) &&
                    target.offerBroadcast(channel.id(), appIndex, publishNanos, maxJoinSequence, exclude, excludeOffset,
                        excludeLength, writer, writerV2))
                {
                    continue;
                }
                final ExpandableArrayBuffer record = from.outbox.recordBuffer;
                record.putInt(0, channel.id());
                record.putInt(4, excludeLength);
                record.putLong(8, maxJoinSequence);
                record.putLong(16, publishNanos);
                record.putInt(24, appIndex);
                record.putInt(28, writer.length());
                final int header = Reactor.BROADCAST_HEADER;
                if (excludeLength > 0)
                {
                    record.putBytes(header, exclude, excludeOffset, excludeLength);
                }
                record.putBytes(header + excludeLength, writer.buffer(), writer.start(), writer.length());
                final int v2Length = writerV2 == null ? 0 : writerV2.length();
                if (v2Length > 0)
                {
                    record.putBytes(header + excludeLength + writer.length(), writerV2.buffer(), writerV2.start(),
                        v2Length);
                }
                from.outbox.send(target, Reactor.MSG_BROADCAST, record, 0,
                    header + excludeLength + writer.length() + v2Length);
            }
        }
    }

    /**
     * Delivers the frame to every socket registered under a user id (signin or presence).
     *
     * @param from calling reactor
     * @param app the app
     * @param userId user id
     * @param writer encoded frame
     */
    void publishToUser(final Reactor from, final AppState app, final String userId, final FrameWriter writer)
    {
        for (final AppState.UserSocket socket : app.userSockets(userId))
        {
            if (socket.reactorIndex == from.index)
            {
                final Connection c = from.connection(socket.connectionId);
                if (c != null && c.state == Connection.WEBSOCKET)
                {
                    from.send(c, writer);
                }
            }
            else
            {
                final ExpandableArrayBuffer record = from.outbox.recordBuffer;
                record.putLong(0, socket.connectionId);
                record.putBytes(8, writer.buffer(), writer.start(), writer.length());
                from.outbox.send(reactors[socket.reactorIndex], Reactor.MSG_TO_CONNECTION, record, 0,
                    8 + writer.length());
            }
        }
    }

    /**
     * Closes every socket of a user with a Pusher error code.
     *
     * @param from calling reactor
     * @param app app
     * @param userId user id
     * @param code close code
     * @param reason message
     */
    void terminateUser(final Reactor from, final AppState app, final String userId, final int code,
        final String reason)
    {
        for (final AppState.UserSocket socket : app.userSockets(userId))
        {
            if (socket.reactorIndex == from.index)
            {
                final Connection c = from.connection(socket.connectionId);
                if (c != null)
                {
                    from.closeWithCode(c, code, reason);
                }
            }
            else
            {
                final ExpandableArrayBuffer record = from.outbox.recordBuffer;
                record.putLong(0, socket.connectionId);
                record.putInt(8, code);
                final int len = record.putStringWithoutLengthUtf8(12, reason);
                from.outbox.send(reactors[socket.reactorIndex], Reactor.MSG_TERMINATE, record, 0, 12 + len);
            }
        }
    }

    /**
     * Connects the history and version store (start-up).
     *
     * @param store the store
     */
    void store(final io.sockudo.jvm.server.history.MessageStore store)
    {
        this.store = store;
    }

    /**
     * The history and version store.
     *
     * @return the store
     */
    io.sockudo.jvm.server.history.MessageStore store()
    {
        return store;
    }

    /**
     * Connects the log writer (start-up).
     *
     * @param logWriter the writer
     */
    void writer(final LogWriter logWriter)
    {
        this.writer = logWriter;
    }

    /**
     * The log writer.
     *
     * @return the writer
     */
    LogWriter writer()
    {
        return writer;
    }

    /**
     * A broadcast from the log writer: handed to every reactor with subscribers through its inbox (the writer owns
     * no sockets). A full inbox is retried until it has room; the writer may wait, a reactor never does.
     *
     * @param channel the channel
     * @param v1 the V1 frame (empty: V1 sockets get nothing)
     * @param v2 the V2 frame
     * @param maxJoinSequence the join sequence (complemented for raw annotation frames)
     * @param exclude excluded socket id bytes or null
     * @param excludeLength their length
     */
    void publishFromWriter(final Channel channel, final FrameWriter v1, final FrameWriter v2,
        final long maxJoinSequence, final DirectBuffer exclude, final int excludeLength)
    {
        final long publishNanos = System.nanoTime();
        final int appIndex = channel.app().index();
        long mask = channel.reactorMask();
        while (mask != 0)
        {
            final int r = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            final Reactor target = reactors[r];
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!target.offerBroadcast(channel.id(), appIndex, publishNanos, maxJoinSequence, exclude, 0,
                excludeLength, v1, v2))
            {
                if (System.nanoTime() > deadline)
                {
                    LOG.log(System.Logger.Level.WARNING, "reactor " + r + " inbox full for 10 s: broadcast on " +
                        channel.name() + " dropped");
                    break;
                }
                Thread.yield();
            }
        }
    }
}
