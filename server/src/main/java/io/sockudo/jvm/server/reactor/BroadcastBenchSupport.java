package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.config.ConfigLoader;
import io.sockudo.jvm.server.config.ServerContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark hook, not an API.
 * <p>
 * Builds one {@link Reactor} (never started on a thread) with {@code N} WebSocket connections over real loopback
 * socket pairs, all subscribed to one channel, so a benchmark can drive the server's own broadcast path: encode a
 * Pusher event frame once with the reactor's {@code FrameWriter} and write it to every subscriber with
 * {@code Reactor.fanOut}. The client ends are drained by one background thread with blocking reads into a reusable
 * direct buffer, so the sockets do not fill in steady state.
 * <p>
 * The server ends are registered (with no interest) with a private selector only so that a partial write, which
 * queues the rest in the connection's outbound buffer, finds a selection key. As the reactor loop does not run,
 * {@link #broadcast()} flushes such queued bytes itself the way the reactor does on a write-ready event, and counts
 * them in {@link #backlogEvents()}.
 */
public final class BroadcastBenchSupport implements AutoCloseable
{
    /**
     * Channel id all connections are subscribed to.
     */
    public static final int CHANNEL_ID = 1;

    private static final int SOCKET_BUFFER_BYTES = 256 * 1024;
    private static final int DRAIN_BUFFER_BYTES = 64 * 1024;
    private static final int INBOX_BYTES = 64 * 1024;
    private static final String EVENT = "my-event";
    private static final String CHANNEL = "my-channel";
    private static final String DATA = "{\"message\":\"hello world\",\"id\":12345,\"ok\":true}";

    private final Reactor reactor;
    private final Selector keySelector;
    private final ServerSocketChannel listener;
    private final Connection[] connections;
    private final SocketChannel[] clients;
    private final Thread drainThread;
    private final ByteBuffer drainBuffer = ByteBuffer.allocateDirect(DRAIN_BUFFER_BYTES);
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;
    private volatile long bytesDrained;
    private long backlogEvents;
    private int openCount;

    /**
     * Opens {@code subscribers} loopback socket pairs and subscribes their server ends to {@link #CHANNEL_ID}.
     *
     * @param subscribers number of local subscribers, at least 1.
     * @throws IOException when a socket cannot be opened or connected.
     */
    public BroadcastBenchSupport(final int subscribers) throws IOException
    {
        if (subscribers < 1)
        {
            throw new IllegalArgumentException("subscribers must be at least 1");
        }
        final ServerContext context = ConfigLoader.fromToml("", Map.of());
        final Hub hub = new Hub(context, new AppRegistry(context.apps, context.effectiveReactorThreads(),
            context.idempotency));
        reactor = new Reactor(0, hub, INBOX_BYTES, (throwable) -> errors.incrementAndGet());
        hub.reactors(new Reactor[]{ reactor });

        connections = new Connection[subscribers];
        clients = new SocketChannel[subscribers];
        keySelector = Selector.open();
        listener = ServerSocketChannel.open();
        try
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), subscribers);
            final InetSocketAddress address = (InetSocketAddress)listener.getLocalAddress();
            for (int i = 0; i < subscribers; i++)
            {
                final SocketChannel client = SocketChannel.open();
                clients[i] = client;
                openCount = i + 1;
                client.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                client.connect(address);

                final SocketChannel server = listener.accept();
                server.configureBlocking(false);
                server.setOption(StandardSocketOptions.TCP_NODELAY, true);
                server.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);

                final Connection c = new Connection(i + 1, server, "127.0.0.1");
                connections[i] = c;
                c.state = Connection.WEBSOCKET;
                c.socketId = "1000." + (i + 1);
                c.socketIdBytes = c.socketId.getBytes(StandardCharsets.US_ASCII);
                c.key = server.register(keySelector, 0, c);
                reactor.addLocalSubscriber(CHANNEL_ID, c, 0, false);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            closeSockets();
            throw ex;
        }

        drainThread = new Thread(this::drain, "bench-drain");
        drainThread.setDaemon(true);
        drainThread.start();
    }

    /**
     * Encodes one Pusher event frame with the reactor's frame writer and writes it to every subscriber.
     *
     * @return the number of sockets written to.
     */
    public int broadcast()
    {
        final FrameWriter f = reactor.frame.begin()
            .ascii("{\"event\":\"").ascii(EVENT).ascii("\",\"channel\":").quoted(CHANNEL)
            .ascii(",\"data\":").quoted(DATA).ascii("}").end();
        final int sent = reactor.fanOut(CHANNEL_ID, 0, System.nanoTime(), f, null, Long.MAX_VALUE, null, 0, 0);
        flushBacklog();

        return sent;
    }

    /**
     * Length on the wire of the frame {@link #broadcast()} sends, header included.
     *
     * @return frame length in bytes.
     */
    public int frameLength()
    {
        return reactor.frame.begin()
            .ascii("{\"event\":\"").ascii(EVENT).ascii("\",\"channel\":").quoted(CHANNEL)
            .ascii(",\"data\":").quoted(DATA).ascii("}").end().length();
    }

    /**
     * Bytes read so far by the drain thread from all client ends.
     *
     * @return bytes drained.
     */
    public long bytesDrained()
    {
        return bytesDrained;
    }

    /**
     * Number of times a socket did not take a whole frame and bytes were queued in its outbound buffer.
     *
     * @return backlog events seen after a broadcast.
     */
    public long backlogEvents()
    {
        return backlogEvents;
    }

    /**
     * Connections the reactor closed as slow consumers (a benchmark run should have none).
     *
     * @return slow consumer closes.
     */
    public long slowConsumerCloses()
    {
        return reactor.slowConsumerCloses;
    }

    /**
     * Errors passed to the reactor's error handler or raised on the drain thread.
     *
     * @return error count.
     */
    public long errors()
    {
        return errors.get();
    }

    /**
     * Stops the drain thread and closes every socket and the reactor's selector.
     */
    @Override
    public void close()
    {
        running = false;
        closeSockets();
        try
        {
            drainThread.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        reactor.onClose();
    }

    private void flushBacklog()
    {
        final Connection[] all = connections;
        for (int i = 0, n = all.length; i < n; i++)
        {
            final Connection c = all[i];
            final ByteBuffer pending = c.pending;
            if (pending != null && pending.position() > 0 && c.state != Connection.CLOSED)
            {
                backlogEvents++;
                try
                {
                    pending.flip();
                    c.channel.write(pending);
                    pending.compact();
                }
                catch (final IOException ex)
                {
                    errors.incrementAndGet();
                    reactor.closeNow(c);
                }
            }
        }
    }

    private void drain()
    {
        final ByteBuffer buffer = drainBuffer;
        final SocketChannel[] all = clients;
        long total = 0;
        try
        {
            while (running)
            {
                for (int i = 0, n = all.length; i < n && running; i++)
                {
                    buffer.clear();
                    final int read = all[i].read(buffer);
                    if (read < 0)
                    {
                        return;
                    }
                    total += read;
                }
                bytesDrained = total;
            }
        }
        catch (final ClosedChannelException ex)
        {
            // closed by close(): normal end
        }
        catch (final IOException ex)
        {
            if (running)
            {
                errors.incrementAndGet();
            }
        }
        finally
        {
            bytesDrained = total;
        }
    }

    private void closeSockets()
    {
        for (int i = 0; i < openCount; i++)
        {
            CloseHelper.quietClose(clients[i]);
        }
        for (final Connection c : connections)
        {
            if (c != null)
            {
                reactor.closeNow(c);
            }
        }
        CloseHelper.quietClose(listener);
        CloseHelper.quietClose(keySelector);
    }
}
