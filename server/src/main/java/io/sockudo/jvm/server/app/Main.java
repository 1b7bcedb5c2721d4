package io.sockudo.jvm.server.app;

import io.sockudo.jvm.server.SockudoServer;
import io.sockudo.jvm.server.config.ConfigException;
import io.sockudo.jvm.server.config.ConfigLoader;
import io.sockudo.jvm.server.config.ServerContext;

import java.util.concurrent.CountDownLatch;

/**
 * Entry point: {@code java -jar sockudo-server.jar [--config FILE]}. Loads the configuration, starts the
 * server and stops it on SIGTERM / SIGINT.
 */
public final class Main
{
    private static final System.Logger LOG = System.getLogger("sockudo");

    private Main()
    {
    }

    /**
     * Starts the server and blocks until the JVM is asked to stop.
     *
     * @param args {@code --config FILE} or {@code -c FILE}
     */
    public static void main(final String[] args)
    {
        Logging.configure(System.getenv());
        final ServerContext context;
        try
        {
            context = ConfigLoader.load(args, System.getenv());
        }
        catch (final ConfigException ex)
        {
            System.err.println("configuration error: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final SockudoServer server;
        try
        {
            server = SockudoServer.start(context);
        }
        catch (final Exception ex)
        {
            // also the IOException of a port in use, rethrown unchecked by SockudoServer.start
            System.err.println("cannot start: " + ex.getMessage());
            System.exit(1);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "sockudo-jvm listening on " + context.host + ":" + server.port() +
            " with " + context.effectiveReactorThreads() + " reactor(s) and " + context.apps.size() + " app(s)");
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            LOG.log(System.Logger.Level.INFO, "shutting down");
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
