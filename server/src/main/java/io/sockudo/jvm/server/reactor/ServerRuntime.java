package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.config.ServerContext;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * Wires the listening socket, the acceptor thread and the reactors, and stops them in reverse order.
 */
public final class ServerRuntime implements AutoCloseable
{
    private static final int INBOX_BYTES = 8 * 1024 * 1024;

    private final ServerSocketChannel server;
    private final Reactor[] reactors;
    private final AgentRunner[] runners;
    private final Thread acceptorThread;

    /**
     * Binds and starts.
     *
     * @param context concluded configuration
     * @param errorHandler where unexpected errors go
     * @throws IOException when the port cannot be bound
     */
    public ServerRuntime(final ServerContext context, final ErrorHandler errorHandler) throws IOException
    {
        final int count = context.effectiveReactorThreads();
        if (count > 64)
        {
            throw new IllegalArgumentException("reactor_threads: at most 64 reactors are supported");
        }
        final AppRegistry apps = new AppRegistry(context.apps, count, context.idempotency);
        final Hub hub = new Hub(context, apps);
        reactors = new Reactor[count];
        for (int i = 0; i < count; i++)
        {
            reactors[i] = new Reactor(i, hub, INBOX_BYTES, errorHandler);
        }
        hub.reactors(reactors);
        server = ServerSocketChannel.open();
        try
        {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(context.host, context.port), 4096);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(server);
            for (final Reactor r : reactors)
            {
                r.onClose();
            }
            throw new IOException("cannot listen on " + context.host + ":" + context.port + ": " + ex.getMessage(), ex);
        }
        runners = new AgentRunner[count];
        for (int i = 0; i < count; i++)
        {
            runners[i] = new AgentRunner(NoOpIdleStrategy.INSTANCE, errorHandler, null, reactors[i]);
            AgentRunner.startOnThread(runners[i]);
        }
        acceptorThread = new Thread(new Acceptor(server, reactors, errorHandler), "acceptor");
        acceptorThread.setDaemon(true);
        acceptorThread.start();
    }

    /**
     * The bound port.
     *
     * @return port
     */
    public int port()
    {
        return ((InetSocketAddress)server.socket().getLocalSocketAddress()).getPort();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(server);
        try
        {
            acceptorThread.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final Reactor r : reactors)
        {
            r.wake();
        }
        CloseHelper.closeAll(runners);
    }
}
