package io.sockudo.jvm.server.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A Protocol V2 client on the JDK's own {@link WebSocket} ({@code ?protocol=2}): queues every text message
 * (parsed as JSON) for bounded-wait assertions.
 */
final class V2Client implements AutoCloseable
{
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final BlockingQueue<Map<String, Object>> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final Map<String, Object> established;

    private V2Client(final int port, final String query) throws Exception
    {
        socket = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + TestServer.APP_KEY + "?protocol=2" + query),
                new WebSocket.Listener()
                {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last)
                    {
                        partial.append(data);
                        if (last)
                        {
                            messages.add(Json.parseObject(partial.toString()));
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason)
                    {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(final WebSocket ws, final Throwable error)
                    {
                        closed.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        established = next();
    }

    static V2Client connect(final int port) throws Exception
    {
        return new V2Client(port, "");
    }

    static V2Client connect(final TestServer server) throws Exception
    {
        return connect(server.port());
    }

    static V2Client connect(final TestServer server, final String extraQuery) throws Exception
    {
        return new V2Client(server.port(), extraQuery);
    }

    /** The first frame, {@code sockudo:connection_established}. */
    Map<String, Object> established()
    {
        return established;
    }

    String socketId()
    {
        return (String)Json.parseObject((String)established.get("data")).get("socket_id");
    }

    void send(final String json) throws Exception
    {
        socket.sendText(json, true).get(5, TimeUnit.SECONDS);
    }

    Map<String, Object> next() throws InterruptedException
    {
        final Map<String, Object> m = messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 10 s");
        return m;
    }

    /** Proves that nothing else is queued: a ping must be answered by the very next frame. */
    void assertNothingElse() throws Exception
    {
        send("{\"event\":\"sockudo:ping\"}");
        assertEquals("sockudo:pong", next().get("event"));
    }

    void subscribe(final String channel) throws Exception
    {
        send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
        final Map<String, Object> m = next();
        assertEquals("sockudo_internal:subscription_succeeded", m.get("event"), m.toString());
    }

    int awaitClose() throws Exception
    {
        return closed.get(40, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        socket.abort();
    }
}
