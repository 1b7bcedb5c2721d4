package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.ws.WebSocketFrameEncoder;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One reactor: a selector, the connections it owns and their buffers. Runs on its own thread through an
 * {@link org.agrona.concurrent.AgentRunner}; {@link #doWork()} blocks in {@code select} when idle and is
 * woken by {@link #wake()} when another thread hands it work.
 *
 * <p>Order of one cycle: read the clock; take new sockets; drain the inbox (bounded); poll the selector;
 * sweep timers every {@link #SWEEP_INTERVAL_MS}.
 */
public final class Reactor implements Agent
{
    static final int MSG_BROADCAST = 1;
    static final int MSG_TO_CONNECTION = 2;
    static final int MSG_TERMINATE = 3;
    /**
     * Broadcast record header: channel id (int), excluded socket id length (int), max join sequence (long),
     * publish time from {@link System#nanoTime()} (long), app index (int), length of the V1 frame (int); then the
     * excluded socket id, the V1 frame and the V2 frame (empty when V2 sockets get the V1 frame).
     */
    static final int BROADCAST_HEADER = 32;
    /** Bytes of pipelined requests held while a response is deferred. */
    static final int MAX_HELD_BYTES = 16 << 20;

    private static final int SWEEP_INTERVAL_MS = 100;
    private static final int INBOX_LIMIT = 256;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_READS_PER_EVENT = 8;

    final int index;
    final Hub hub;
    private final Selector selector;
    private final ManyToOneConcurrentArrayQueue<SocketChannel> newSockets = new ManyToOneConcurrentArrayQueue<>(4096);
    private volatile boolean shutdownRequested;
    private volatile int liveConnections;
    boolean draining;
    private final ManyToOneRingBuffer inbox;
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** Work other threads hand to this reactor (the log writer's completions). */
    private final org.agrona.concurrent.ManyToOneConcurrentLinkedQueue<Runnable> tasks =
        new org.agrona.concurrent.ManyToOneConcurrentLinkedQueue<>();
    private final ErrorHandler errorHandler;

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
    final FrameWriter frame = new FrameWriter(64 * 1024);
    final FrameWriter control = new FrameWriter(1024);
    /** The V2 variant of a broadcast whose V2 frame differs (prefixes, serial, message_id, extras). */
    final FrameWriter frameV2 = new FrameWriter(64 * 1024);
    /** The durable publish pipeline (history, versions). */
    final Durable durable = new Durable(this);
    final ReactorMetrics metrics;

    private final Long2ObjectHashMap<Connection> connectionsById = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<LocalSubscribers> localChannels = new Int2ObjectHashMap<>();
    private Connection[] connections = new Connection[1024];
    private int connectionCount;

    /** Records for other reactors that did not fit into their inbox yet. */
    final Outbox outbox;
    long slowConsumerCloses;
    long framesSent;
    private final java.util.ArrayList<Connection> cleanups = new java.util.ArrayList<>();

    private final PusherSession pusher;
    private final HttpSession httpSession;
    private final Consumer<SelectionKey> readyHandler = this::onReady;
    private final MessageHandler inboxHandler = new InboxAdapter(this);
    long nowMs;
    private long nextSweepMs;
    private long connectionIds;

    Reactor(final int index, final Hub hub, final int inboxCapacityBytes, final ErrorHandler errorHandler)
        throws IOException
    {
        this.index = index;
        this.hub = hub;
        this.errorHandler = errorHandler;
        this.selector = Selector.open();
        final int capacity = BitUtil.findNextPositivePowerOfTwo(inboxCapacityBytes);
        this.inbox = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        this.outbox = new Outbox(hub, hub.reactorCount());
        this.connectionIds = ((long)index) << 48;
        this.metrics = new ReactorMetrics(hub.apps().apps().size());
        this.pusher = new PusherSession(this);
        this.httpSession = new HttpSession(this, pusher);
    }

    @Override
    public String roleName()
    {
        return "reactor-" + index;
    }

    /**
     * Hands an accepted socket to this reactor. Any thread.
     *
     * @param socket the accepted, not yet registered socket
     * @return false when the queue is full
     */
    public boolean offerSocket(final SocketChannel socket)
    {
        if (newSockets.offer(socket))
        {
            wake();
            return true;
        }
        return false;
    }

    /** Wakes the reactor if it is blocked in select. Any thread; coalesced. */
    void wake()
    {
        if (sleeping.get() && sleeping.compareAndSet(true, false))
        {
            selector.wakeup();
        }
    }

    @Override
    public int doWork() throws Exception
    {
        nowMs = System.currentTimeMillis();
        if (shutdownRequested && !draining)
        {
            startDraining();
        }
        int work = drainNewSockets();
        work += outbox.drain();
        work += inbox.read(inboxHandler, INBOX_LIMIT);
        work += runTasks();
        work += selector.selectNow(readyHandler);
        if (nowMs >= nextSweepMs)
        {
            nextSweepMs = nowMs + SWEEP_INTERVAL_MS;
            work += sweep();
        }
        work += runCleanups();
        if (work == 0)
        {
            idle();
        }
        return work;
    }

    ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Runs a task on this reactor's thread (thread-safe; wakes the reactor).
     *
     * @param task the task
     */
    void execute(final Runnable task)
    {
        tasks.offer(task);
        wake();
    }

    private int runTasks()
    {
        int count = 0;
        Runnable task;
        while (count < INBOX_LIMIT && (task = tasks.poll()) != null)
        {
            count++;
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
        return count;
    }

    private void idle() throws IOException
    {
        sleeping.set(true);
        if (inbox.size() > 0 || !newSockets.isEmpty() || !outbox.isEmpty() || !tasks.isEmpty() ||
            (shutdownRequested && !draining))
        {
            sleeping.set(false);
            return;
        }
        final long timeout = Math.max(1, nextSweepMs - System.currentTimeMillis());
        nowMs = System.currentTimeMillis();
        selector.select(readyHandler, timeout);
        sleeping.set(false);
    }

    @Override
    public void onClose()
    {
        for (int i = connectionCount - 1; i >= 0; i--)
        {
            closeNow(connections[i]);
        }
        runCleanups();
        CloseHelper.quietClose(selector);
        SocketChannel s;
        while ((s = newSockets.poll()) != null)
        {
            CloseHelper.quietClose(s);
        }
    }

    // ---------------------------------------------------------------- accept

    private int drainNewSockets()
    {
        int count = 0;
        SocketChannel socket;
        while (count < 64 && (socket = newSockets.poll()) != null)
        {
            count++;
            if (draining)
            {
                CloseHelper.quietClose(socket);
                continue;
            }
            try
            {
                socket.configureBlocking(false);
                final String remote = remoteIp(socket);
                final Connection c = new Connection(++connectionIds, socket, remote);
                c.key = socket.register(selector, SelectionKey.OP_READ, c);
                c.lastActivityMs = nowMs;
                addConnection(c);
            }
            catch (final IOException | RuntimeException ex)
            {
                errorHandler.onError(ex);
                CloseHelper.quietClose(socket);
            }
        }
        return count;
    }

    private static String remoteIp(final SocketChannel socket)
    {
        try
        {
            final InetSocketAddress address = (InetSocketAddress)socket.getRemoteAddress();
            return address == null ? "unknown_ip" : address.getAddress().getHostAddress();
        }
        catch (final IOException ex)
        {
            return "unknown_ip";
        }
    }

    private void addConnection(final Connection c)
    {
        if (connectionCount == connections.length)
        {
            final Connection[] grown = new Connection[connections.length * 2];
            System.arraycopy(connections, 0, grown, 0, connectionCount);
            connections = grown;
        }
        c.slot = connectionCount;
        connections[connectionCount++] = c;
        connectionsById.put(c.id, c);
        liveConnections = connectionCount;
    }

    private void removeConnection(final Connection c)
    {
        if (c.slot < 0)
        {
            return;
        }
        final int last = --connectionCount;
        final Connection moved = connections[last];
        connections[c.slot] = moved;
        moved.slot = c.slot;
        connections[last] = null;
        c.slot = -1;
        connectionsById.remove(c.id);
        liveConnections = connectionCount;
    }

    // ---------------------------------------------------------------- graceful shutdown

    /**
     * Asks the reactor to drain: WebSockets are closed with 4200 "Server shutting down", idle HTTP connections
     * are closed, and a request in progress is answered before its connection closes. Any thread.
     */
    void requestShutdown()
    {
        shutdownRequested = true;
        wake();
        selector.wakeup();
    }

    /**
     * Connections still open on this reactor. Any thread.
     *
     * @return count
     */
    int liveConnections()
    {
        return liveConnections;
    }

    private void startDraining()
    {
        draining = true;
        for (int i = connectionCount - 1; i >= 0; i--)
        {
            final Connection c = connections[i];
            if (c.state == Connection.WEBSOCKET)
            {
                closeWithCode(c, 4200, "Server shutting down");
            }
            else if (c.state == Connection.HTTP && !c.requestInProgress)
            {
                closeAfterFlush(c);
            }
        }
    }

    // ---------------------------------------------------------------- I/O

    private void onReady(final SelectionKey key)
    {
        final Connection c = (Connection)key.attachment();
        nowMs = System.currentTimeMillis();
        try
        {
            if (!key.isValid())
            {
                closeNow(c);
                return;
            }
            if (key.isWritable())
            {
                flush(c);
            }
            if (key.isValid() && key.isReadable())
            {
                read(c);
            }
        }
        catch (final IOException ex)
        {
            closeNow(c);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            closeNow(c);
        }
    }

    private void read(final Connection c) throws IOException
    {
        for (int i = 0; i < MAX_READS_PER_EVENT && c.state != Connection.CLOSED; i++)
        {
            readBuffer.clear();
            final int n = c.channel.read(readBuffer);
            if (n < 0)
            {
                closeNow(c);
                return;
            }
            if (n == 0)
            {
                return;
            }
            onBytes(c, n);
            if (n < READ_BUFFER_BYTES)
            {
                return;
            }
        }
    }

    private void onBytes(final Connection c, final int length)
    {
        onBytes(c, readView, 0, length);
    }

    /**
     * Feeds bytes to the connection's HTTP parser or WebSocket decoder. While an HTTP response is deferred (a
     * durable write on the log writer), further bytes are held, bounded, and fed after the response.
     */
    private void onBytes(final Connection c, final org.agrona.MutableDirectBuffer buffer, final int start,
        final int length)
    {
        int offset = start;
        int remaining = length;
        while (remaining > 0 && c.state == Connection.HTTP)
        {
            if (c.awaitingResponse)
            {
                hold(c, buffer, offset, remaining);
                return;
            }
            final int consumed = httpSession.onBytes(c, buffer, offset, remaining);
            offset += consumed;
            remaining -= consumed;
            if (consumed == 0)
            {
                return;
            }
        }
        if (remaining > 0 && (c.state == Connection.WEBSOCKET || c.state == Connection.CLOSING))
        {
            pusher.onBytes(c, buffer, offset, remaining);
        }
    }

    private void hold(final Connection c, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] held = c.held == null ? new byte[length] : java.util.Arrays.copyOf(c.held, c.held.length + length);
        if (held.length > MAX_HELD_BYTES)
        {
            closeNow(c);
            return;
        }
        buffer.getBytes(offset, held, held.length - length, length);
        c.held = held;
    }

    /**
     * The deferred response of a connection was written: feed the bytes that arrived meanwhile.
     *
     * @param c the connection
     */
    void resumeHttp(final Connection c)
    {
        final byte[] held = c.held;
        c.held = null;
        if (held != null && c.state == Connection.HTTP)
        {
            onBytes(c, new org.agrona.concurrent.UnsafeBuffer(held), 0, held.length);
        }
    }

    /**
     * Sends the frame currently in {@code writer} to one connection: straight to the socket when nothing is
     * queued, else appended to the connection's bounded outbound buffer.
     */
    void send(final Connection c, final FrameWriter writer)
    {
        send(c, writer.byteBuffer(), writer.start(), writer.limit());
    }

    void send(final Connection c, final ByteBuffer src, final int start, final int end)
    {
        if (c.state == Connection.CLOSED)
        {
            return;
        }
        if (c.state == Connection.WEBSOCKET && c.app != null)
        {
            final int app = c.app.index();
            metrics.increment(app, ReactorMetrics.WS_SENT);
            metrics.add(app, ReactorMetrics.SOCKET_TRANSMITTED_BYTES, end - start);
        }
        try
        {
            int from = start;
            if (c.pendingBytes() == 0)
            {
                src.limit(end).position(start);
                c.channel.write(src);
                from = src.position();
                if (from == end)
                {
                    return;
                }
            }
            enqueue(c, src, from, end);
        }
        catch (final IOException ex)
        {
            closeNow(c);
        }
    }

    private void enqueue(final Connection c, final ByteBuffer src, final int from, final int end)
    {
        final int length = end - from;
        final int pendingNow = c.pendingBytes();
        if (pendingNow + length > hub.maxOutboundBytes())
        {
            slowConsumer(c);
            return;
        }
        ByteBuffer pending = c.pending;
        if (pending == null || pending.remaining() < length)
        {
            final int needed = pendingNow + length;
            final ByteBuffer grown = ByteBuffer.allocate(Math.max(needed, Math.max(4096, pendingNow * 2)));
            if (pending != null)
            {
                pending.flip();
                grown.put(pending);
            }
            c.pending = grown;
            pending = grown;
        }
        src.limit(end).position(from);
        pending.put(src);
        c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
    }

    private void flush(final Connection c) throws IOException
    {
        final ByteBuffer pending = c.pending;
        if (pending != null && pending.position() > 0)
        {
            pending.flip();
            c.channel.write(pending);
            pending.compact();
        }
        if (c.pendingBytes() == 0)
        {
            if (pending != null && pending.capacity() > 64 * 1024)
            {
                c.pending = null;
            }
            if (c.key.isValid())
            {
                c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
            }
            if (c.closeWhenFlushed)
            {
                closeNow(c);
            }
        }
    }

    private void slowConsumer(final Connection c)
    {
        slowConsumerCloses++;
        if (c.app != null)
        {
            metrics.increment(c.app.index(), ReactorMetrics.SLOW_CONSUMERS);
        }
        // The socket is not draining: queued data is dropped and a best-effort close frame goes out
        // (4100, the code Sockudo uses for a full buffer) before the socket is closed.
        c.pending = null;
        if (c.state == Connection.WEBSOCKET)
        {
            final int len = WebSocketFrameEncoder.encodeClose(control.buffer(), 0, 4100, "Buffer full");
            try
            {
                final ByteBuffer bb = control.byteBuffer();
                bb.limit(len).position(0);
                c.channel.write(bb);
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
        closeNow(c);
    }

    /**
     * Starts the closing handshake: pusher:error (for Pusher codes), close frame, then the socket closes when
     * the peer answers or after a grace time.
     */
    void closeWithCode(final Connection c, final int code, final String reason)
    {
        if (c.state != Connection.WEBSOCKET)
        {
            if (c.state == Connection.HTTP)
            {
                closeNow(c);
            }
            return;
        }
        if (code >= 4000)
        {
            pusher.sendError(c, code, reason);
        }
        sendClose(c, code, reason);
        c.state = Connection.CLOSING;
        c.closeDeadlineMs = nowMs + 2000;
        if (c.decoder != null)
        {
            c.decoder.halt();
        }
    }

    void sendClose(final Connection c, final int code, final String reason)
    {
        final int len = WebSocketFrameEncoder.encodeClose(control.buffer(), 0, code, reason);
        send(c, control.byteBuffer(), 0, len);
    }

    void sendControl(final Connection c, final int opcode, final DirectBuffer payload, final int offset,
        final int length)
    {
        final int len = WebSocketFrameEncoder.encodeFrame(control.buffer(), 0, opcode, payload, offset, length);
        send(c, control.byteBuffer(), 0, len);
    }

    void closeAfterFlush(final Connection c)
    {
        if (c.pendingBytes() == 0)
        {
            closeNow(c);
        }
        else
        {
            c.closeWhenFlushed = true;
            c.state = Connection.CLOSING;
            if (c.closeDeadlineMs == 0)
            {
                c.closeDeadlineMs = nowMs + 2000;
            }
        }
    }

    void closeNow(final Connection c)
    {
        if (c.state == Connection.CLOSED)
        {
            return;
        }
        final boolean wasSession = c.app != null;
        c.state = Connection.CLOSED;
        if (c.key != null)
        {
            c.key.cancel();
        }
        CloseHelper.quietClose(c.channel);
        removeConnection(c);
        c.pending = null;
        if (c.http != null)
        {
            httpSession.recycleParser(c);
        }
        if (wasSession)
        {
            // Deferred: closeNow can run in the middle of a fan-out that owns the frame buffer, and the
            // session cleanup itself broadcasts (member_removed).
            cleanups.add(c);
        }
    }

    private int runCleanups()
    {
        int work = 0;
        for (int i = 0; i < cleanups.size(); i++)
        {
            work++;
            try
            {
                pusher.onDisconnect(cleanups.get(i));
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
        cleanups.clear();
        return work;
    }

    // ---------------------------------------------------------------- timers

    private int sweep()
    {
        int work = 0;
        for (int i = connectionCount - 1; i >= 0; i--)
        {
            final Connection c = connections[i];
            if (c == null)
            {
                continue;
            }
            try
            {
                work += pusher.onTimer(c, nowMs);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
                closeNow(c);
            }
        }
        return work;
    }

    // ---------------------------------------------------------------- local delivery

    /** Adds a connection to this reactor's subscriber list of a channel. */
    void addLocalSubscriber(final int channelId, final Connection c, final long joinSequence, final boolean raw)
    {
        LocalSubscribers list = localChannels.get(channelId);
        if (list == null)
        {
            list = new LocalSubscribers();
            localChannels.put(channelId, list);
        }
        list.add(c, joinSequence, raw);
    }

    void removeLocalSubscriber(final int channelId, final Connection c)
    {
        final LocalSubscribers list = localChannels.get(channelId);
        if (list != null && list.remove(c) && list.size == 0)
        {
            localChannels.remove(channelId);
        }
    }

    /**
     * Writes one encoded frame to every local subscriber of a channel except the excluded socket id.
     *
     * @return number of sockets written to
     */
    int fanOut(final int channelId, final int appIndex, final long publishNanos, final FrameWriter writer,
        final FrameWriter writerV2, final long maxJoinSequence, final DirectBuffer exclude, final int excludeOffset,
        final int excludeLength)
    {
        final LocalSubscribers list = localChannels.get(channelId);
        if (list == null)
        {
            return 0;
        }
        final ByteBuffer bb = writer.byteBuffer();
        final int start = writer.start();
        final int end = writer.limit();
        final FrameWriter v2 = writerV2 == null ? writer : writerV2;
        final ByteBuffer bbV2 = v2.byteBuffer();
        final int startV2 = v2.start();
        final int endV2 = v2.limit();
        int sent = 0;
        final Connection[] subs = list.connections;
        final long[] joined = list.joinSequences;
        // a raw annotation broadcast carries its join sequence complemented (Hub.publishFromWriter)
        final boolean rawOnly = maxJoinSequence < 0;
        final long maxSequence = rawOnly ? ~maxJoinSequence : maxJoinSequence;
        final boolean[] raw = list.raw;
        // Iterate backwards: a send may close a slow consumer, which removes it from this list by swap.
        for (int i = list.size - 1; i >= 0; i--)
        {
            final Connection c = subs[i];
            if (c == null || joined[i] > maxSequence || (rawOnly && !raw[i]) ||
                (excludeLength > 0 && matches(c.socketIdBytes, exclude, excludeOffset, excludeLength)))
            {
                continue;
            }
            if (c.protocolV2)
            {
                send(c, bbV2, startV2, endV2);
            }
            else if (end > start)
            {
                send(c, bb, start, end);
            }
            else
            {
                continue;
            }
            sent++;
        }
        framesSent += sent;
        if (sent > 0)
        {
            metrics.recordBroadcast(appIndex, System.nanoTime() - publishNanos);
        }
        return sent;
    }

    private static boolean matches(final byte[] id, final DirectBuffer src, final int offset, final int length)
    {
        if (id == null || id.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (id[i] != src.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    boolean hasLocalSubscribers(final int channelId)
    {
        return localChannels.get(channelId) != null;
    }

    void onError(final Throwable ex)
    {
        errorHandler.onError(ex);
    }

    Connection connection(final long id)
    {
        return connectionsById.get(id);
    }

    // ---------------------------------------------------------------- inbox

    /** Writes a record into this reactor's inbox; false when full. Any thread. */
    boolean offer(final int msgType, final DirectBuffer src, final int offset, final int length)
    {
        if (inbox.write(msgType, src, offset, length))
        {
            wake();
            return true;
        }
        return false;
    }

    /**
     * Writes a broadcast record straight into this reactor's inbox (no intermediate copy); false when full
     * or when earlier records from the same source still wait in its overflow.
     */
    boolean offerBroadcast(final int channelId, final int appIndex, final long publishNanos,
        final long maxJoinSequence, final DirectBuffer exclude, final int excludeOffset, final int excludeLength,
        final FrameWriter writer, final FrameWriter writerV2)
    {
        final int v2Length = writerV2 == null ? 0 : writerV2.length();
        final int length = BROADCAST_HEADER + excludeLength + writer.length() + v2Length;
        final int index = inbox.tryClaim(MSG_BROADCAST, length);
        if (index <= 0)
        {
            return false;
        }
        final org.agrona.concurrent.AtomicBuffer buffer = inbox.buffer();
        buffer.putInt(index, channelId);
        buffer.putInt(index + 4, excludeLength);
        buffer.putLong(index + 8, maxJoinSequence);
        buffer.putLong(index + 16, publishNanos);
        buffer.putInt(index + 24, appIndex);
        buffer.putInt(index + 28, writer.length());
        if (excludeLength > 0)
        {
            buffer.putBytes(index + BROADCAST_HEADER, exclude, excludeOffset, excludeLength);
        }
        buffer.putBytes(index + BROADCAST_HEADER + excludeLength, writer.buffer(), writer.start(), writer.length());
        if (v2Length > 0)
        {
            buffer.putBytes(index + BROADCAST_HEADER + excludeLength + writer.length(), writerV2.buffer(),
                writerV2.start(), v2Length);
        }
        inbox.commit(index);
        wake();
        return true;
    }

    AppState.UserSocket addressOf(final Connection c)
    {
        if (c.address == null)
        {
            c.address = new AppState.UserSocket(index, c.id);
        }
        return c.address;
    }
}
