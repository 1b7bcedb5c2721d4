package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.ServerContext;
import io.sockudo.jvm.server.webhook.Webhooks;
import io.sockudo.jvm.server.metrics.MetricsCollector;
import io.sockudo.jvm.server.metrics.MetricsServer;
import io.sockudo.jvm.server.metrics.ReactorMetrics;
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
    private static final System.Logger LOG = System.getLogger("sockudo");

    private final ServerSocketChannel server;
    private final Reactor[] reactors;
    private final AgentRunner[] runners;
    private final Thread acceptorThread;
    private final MetricsServer metricsServer;
    private final Webhooks webhooks;
    private final long gracePeriodMs;
    private final io.sockudo.jvm.server.history.MessageStore store;
    private final LogWriter logWriter;

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
        // Webhook targets are validated here, before anything binds: a bad one stops start-up.
        webhooks = new Webhooks(context, apps);
        for (final AppState app : apps.apps())
        {
            app.webhooks(webhooks, webhooks.enabledFor(app));
            app.recovery(context.connectionRecovery.enabled, context.connectionRecovery.maxBufferSize,
                context.connectionRecovery.bufferTtlSeconds * 1000L);
            final Object annotations = context.sections.get("annotations");
            app.annotationsGlobal(annotations instanceof java.util.Map &&
                Boolean.TRUE.equals(((java.util.Map<?, ?>)annotations).get("enabled")));
            app.historyDefaults(context.history, context.versionedMessages.enabled);
        }
        store = io.sockudo.jvm.server.history.Stores.open(context, apps.apps());
        final Hub hub = new Hub(context, apps);
        hub.store(store);
        logWriter = new LogWriter(errorHandler);
        hub.writer(logWriter);
        store.writerThread(logWriter.thread());
        reactors = new Reactor[count];
        for (int i = 0; i < count; i++)
        {
            reactors[i] = new Reactor(i, hub, INBOX_BYTES, errorHandler);
        }
        hub.reactors(reactors);
        gracePeriodMs = context.shutdownGracePeriodSeconds * 1000L;
        metricsServer = startMetrics(context, apps);
        server = ServerSocketChannel.open();
        try
        {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(context.host, context.port), 4096);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(server);
            CloseHelper.quietClose(metricsServer);
            CloseHelper.quietClose(webhooks);
            CloseHelper.quietClose(store);
            for (final Reactor r : reactors)
            {
                r.onClose();
            }
            throw new IOException("cannot listen on " + context.host + ":" + context.port + ": " + ex.getMessage(), ex);
        }
        webhooks.start();
        logWriter.start();
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

    private MetricsServer startMetrics(final ServerContext context, final AppRegistry apps)
    {
        if (!context.metrics.enabled)
        {
            return null;
        }
        final ReactorMetrics[] counters = new ReactorMetrics[reactors.length];
        for (int i = 0; i < reactors.length; i++)
        {
            counters[i] = reactors[i].metrics;
        }
        final MetricsCollector collector = new MetricsCollector(context.metrics.prometheusPrefix,
            context.metrics.port, new java.util.ArrayList<>(apps.apps()), counters);
        collector.webhooks(webhooks);
        collector.annotations(store.annotations());
        try
        {
            return new MetricsServer(context.metrics.host, context.metrics.port, collector);
        }
        catch (final IOException ex)
        {
            // As in Sockudo 4.4.0, a metrics bind failure does not stop the server.
            LOG.log(System.Logger.Level.WARNING, "cannot listen for metrics on " + context.metrics.host + ":" +
                context.metrics.port + ": " + ex.getMessage());
            return null;
        }
    }

    /**
     * The bound metrics port, or -1 when metrics are off.
     *
     * @return port
     */
    public int metricsPort()
    {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /**
     * Graceful stop (SIGTERM): stop accepting; close every WebSocket with 4200 "Server shutting down"; let
     * HTTP requests in progress finish; then stop the reactors once every connection is closed or the
     * {@code shutdown_grace_period} has passed, whichever comes first.
     */
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
            r.requestShutdown();
        }
        final long deadline = System.nanoTime() + gracePeriodMs * 1_000_000L;
        while (System.nanoTime() < deadline && liveConnections() > 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        CloseHelper.closeAll(runners);
        CloseHelper.quietClose(logWriter); // after the reactors: nothing submits any more
        // after the reactors: the last disconnects have reported their webhooks by now
        CloseHelper.quietClose(webhooks);
        CloseHelper.quietClose(metricsServer);
        CloseHelper.quietClose(store);
    }

    private int liveConnections()
    {
        int total = 0;
        for (final Reactor r : reactors)
        {
            total += r.liveConnections();
        }
        return total;
    }
}
