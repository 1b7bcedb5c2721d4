package io.sockudo.jvm.server;

import io.sockudo.jvm.server.config.ServerContext;
import io.sockudo.jvm.server.reactor.ServerRuntime;
import org.agrona.LangUtil;

import java.io.IOException;

/**
 * A running server: the WebSocket endpoint and the HTTP API on one port.
 *
 * <pre>
 *   try (SockudoServer server = SockudoServer.start(ConfigLoader.fromToml(toml, Map.of())))
 *   {
 *       int port = server.port();
 *   }
 * </pre>
 */
public final class SockudoServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("sockudo");
    private final ServerRuntime runtime;

    private SockudoServer(final ServerRuntime runtime)
    {
        this.runtime = runtime;
    }

    /**
     * Binds and starts the reactors.
     *
     * @param context concluded configuration
     * @return the running server
     */
    public static SockudoServer start(final ServerContext context)
    {
        try
        {
            return new SockudoServer(new ServerRuntime(context,
                ex -> LOG.log(System.Logger.Level.ERROR, "unexpected error", ex)));
        }
        catch (final IOException ex)
        {
            LangUtil.rethrowUnchecked(ex);
            return null;
        }
    }

    /**
     * The bound port of the main listener.
     *
     * @return port
     */
    public int port()
    {
        return runtime.port();
    }

    /**
     * The bound port of the metrics listener.
     *
     * @return port, or -1 when metrics are disabled
     */
    public int metricsPort()
    {
        return runtime.metricsPort();
    }

    /**
     * Graceful stop: stops accepting, closes every WebSocket with 4200, lets HTTP requests in progress finish,
     * and joins the threads within {@code shutdown_grace_period}.
     */
    @Override
    public void close()
    {
        runtime.close();
    }
}
