package io.sockudo.jvm.server.metrics;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The separate metrics listener ({@code [metrics]}, default port 9601): only {@code GET /metrics}. Runs on the
 * JDK's HTTP server with one thread of its own, never on a reactor.
 */
public final class MetricsServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("sockudo.metrics");
    private final HttpServer server;

    /**
     * Binds and starts.
     *
     * @param host bind address
     * @param port port, 0 for ephemeral
     * @param collector what to render
     * @throws IOException when the port cannot be bound
     */
    public MetricsServer(final String host, final int port, final MetricsCollector collector) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.createContext("/", exchange ->
        {
            try (exchange)
            {
                final String path = exchange.getRequestURI().getPath();
                if (!"/metrics".equals(path) && !"/metrics/".equals(path))
                {
                    final byte[] body = "404 NOT FOUND".getBytes(StandardCharsets.US_ASCII);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(404, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
                {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                final byte[] body;
                try
                {
                    body = collector.scrape().getBytes(StandardCharsets.UTF_8);
                }
                catch (final RuntimeException ex)
                {
                    LOG.log(System.Logger.Level.ERROR, "metrics scrape failed", ex);
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            }
        });
        server.setExecutor(null);
        server.start();
    }

    /**
     * The bound port.
     *
     * @return port
     */
    public int port()
    {
        return server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
