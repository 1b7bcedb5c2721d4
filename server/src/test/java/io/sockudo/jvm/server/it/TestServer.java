package io.sockudo.jvm.server.it;

import java.io.IOException;
import java.util.Map;

import io.sockudo.jvm.server.SockudoServer;
import io.sockudo.jvm.server.config.ConfigLoader;
import io.sockudo.jvm.server.config.ServerContext;

/**
 * Starts a real server in this JVM from a TOML string, on an ephemeral port of 127.0.0.1, with metrics and the
 * global rate limiter disabled unless the TOML configures them, and stops it on {@link #close()}.
 */
public final class TestServer implements AutoCloseable
{
    /** Id of the main fixture app (spec pusher-v1 §9). */
    public static final String APP_ID = "app-id";
    /** Key of the main fixture app. */
    public static final String APP_KEY = "app-key";
    /** Secret of the main fixture app. */
    public static final String APP_SECRET = "app-secret";

    /** The §9 fixture app: client messages and user authentication enabled. */
    public static final String MAIN_APP = app(APP_ID, APP_KEY, APP_SECRET, true)
        + "[app_manager.array.apps.policy.features]\n"
        + "enable_client_messages = true\n"
        + "enable_user_authentication = true\n";

    /** A disabled app with key {@code disabled-key} and id {@code disabled-id}. */
    public static final String DISABLED_APP = app("disabled-id", "disabled-key", "disabled-secret", false);

    /** The §9 fixture: {@link #MAIN_APP} plus {@link #DISABLED_APP}. */
    public static final String FIXTURE = MAIN_APP + DISABLED_APP;

    private final SockudoServer server;
    private final String toml;

    private TestServer(final SockudoServer server, final String toml)
    {
        this.server = server;
        this.toml = toml;
    }

    /**
     * The head of one app record in TOML (add policy tables after it).
     *
     * @param id      app id.
     * @param key     app key.
     * @param secret  app secret.
     * @param enabled the enabled flag.
     * @return the TOML text.
     */
    public static String app(final String id, final String key, final String secret, final boolean enabled)
    {
        return "[[app_manager.array.apps]]\n"
            + "id = \"" + id + "\"\n"
            + "key = \"" + key + "\"\n"
            + "secret = \"" + secret + "\"\n"
            + "enabled = " + enabled + "\n";
    }

    /**
     * Starts the §9 fixture.
     *
     * @return the running server.
     */
    public static TestServer start()
    {
        return start(FIXTURE);
    }

    /**
     * Starts a server from TOML (top-level keys first, then tables). {@code port}, {@code host} are prepended;
     * {@code [metrics]} and {@code [rate_limiter]} are appended as disabled unless the text has those tables.
     *
     * @param config the TOML text.
     * @return the running server.
     */
    public static TestServer start(final String config)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("port = 0\n");
        sb.append("host = \"127.0.0.1\"\n");
        sb.append(config);
        sb.append('\n');
        if (!config.contains("[metrics"))
        {
            sb.append("[metrics]\nenabled = false\n");
        }
        if (!config.contains("[rate_limiter"))
        {
            sb.append("[rate_limiter]\nenabled = false\n");
        }
        final String toml = sb.toString();
        final ServerContext ctx = ConfigLoader.fromToml(toml, Map.of());
        return new TestServer(SockudoServer.start(ctx), toml);
    }

    /**
     * The bound port (HTTP API and WebSocket).
     *
     * @return the port.
     */
    public int port()
    {
        return server.port();
    }

    /**
     * The bound metrics port.
     *
     * @return the port, or -1 when metrics are disabled.
     */
    public int metricsPort()
    {
        return server.metricsPort();
    }

    /**
     * The effective TOML used.
     *
     * @return the TOML text.
     */
    public String toml()
    {
        return toml;
    }

    /**
     * A signed API client for the main fixture app.
     *
     * @return the client.
     */
    public Api api()
    {
        return new Api(port(), APP_ID, APP_KEY, APP_SECRET);
    }

    /**
     * A signed API client for any app.
     *
     * @param appId  app id.
     * @param key    app key.
     * @param secret app secret.
     * @return the client.
     */
    public Api api(final String appId, final String key, final String secret)
    {
        return new Api(port(), appId, key, secret);
    }

    /**
     * Connects a Pusher V1 socket to the main app and reads {@code connection_established}.
     *
     * @return the socket.
     * @throws IOException on connection failure.
     */
    public PusherSocket connect() throws IOException
    {
        return PusherSocket.connect(port(), APP_KEY);
    }

    /**
     * Connects a Pusher V1 socket to an app by key and reads {@code connection_established}.
     *
     * @param key the app key.
     * @return the socket.
     * @throws IOException on connection failure.
     */
    public PusherSocket connect(final String key) throws IOException
    {
        return PusherSocket.connect(port(), key);
    }

    /**
     * Stops the server.
     */
    @Override
    public void close()
    {
        server.close();
    }
}
