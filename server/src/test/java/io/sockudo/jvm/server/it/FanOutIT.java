package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fan-out: 1,000 WebSocket connections (JDK {@link WebSocket} clients) on one channel each receive all of 100 events
 * published over the HTTP API, in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanOutIT
{
    private static final int CONNECTIONS = 1000;
    private static final int EVENTS = 100;
    private static final int CONNECT_BATCH = 100;
    private static final String CHANNEL = "fan-out";

    private TestServer server;
    private ExecutorService executor;
    private final List<WebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start()
    {
        server = TestServer.start();
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop()
    {
        for (final WebSocket ws : sockets)
        {
            ws.abort();
        }
        executor.shutdownNow();
        server.close();
    }

    /** One client: subscribes after connection_established and records the channel events it gets. */
    private static final class Client implements WebSocket.Listener
    {
        private final CountDownLatch subscribed;
        private final CountDownLatch complete;
        private final StringBuilder partial = new StringBuilder();
        final List<Integer> received = new ArrayList<>(EVENTS);
        volatile String failure;

        Client(final CountDownLatch subscribed, final CountDownLatch complete)
        {
            this.subscribed = subscribed;
            this.complete = complete;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final String text = partial.toString();
                partial.setLength(0);
                handle(webSocket, text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(final WebSocket webSocket, final String text)
        {
            final Map<String, Object> frame = Json.parseObject(text);
            final Object event = frame.get("event");
            if ("pusher:connection_established".equals(event))
            {
                webSocket.sendText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + CHANNEL + "\"}}", true);
            }
            else if ("pusher_internal:subscription_succeeded".equals(event))
            {
                subscribed.countDown();
            }
            else if ("fan".equals(event) && CHANNEL.equals(frame.get("channel")))
            {
                final int size;
                synchronized (this)
                {
                    received.add(Integer.parseInt((String)frame.get("data")));
                    size = received.size();
                }
                if (size == EVENTS)
                {
                    complete.countDown();
                }
            }
            else
            {
                failure = "unexpected frame " + text;
            }
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error)
        {
            failure = "error " + error;
        }
    }

    @Test
    void thousandSubscribersReceiveHundredEventsInOrder() throws Exception
    {
        final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
        final CountDownLatch subscribed = new CountDownLatch(CONNECTIONS);
        final CountDownLatch complete = new CountDownLatch(CONNECTIONS);
        final List<Client> clients = new ArrayList<>(CONNECTIONS);
        final URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/app/" + TestServer.APP_KEY
            + "?protocol=7&client=java&version=1.0&flash=false");

        for (int batch = 0; batch < CONNECTIONS; batch += CONNECT_BATCH)
        {
            final List<CompletableFuture<WebSocket>> futures = new ArrayList<>(CONNECT_BATCH);
            for (int i = 0; i < CONNECT_BATCH; i++)
            {
                final Client client = new Client(subscribed, complete);
                clients.add(client);
                futures.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, client));
            }
            for (final CompletableFuture<WebSocket> f : futures)
            {
                sockets.add(f.get(20, TimeUnit.SECONDS));
            }
        }
        assertTrue(subscribed.await(20, TimeUnit.SECONDS),
            "subscribed: " + (CONNECTIONS - subscribed.getCount()) + " of " + CONNECTIONS);

        final Api api = server.api();
        for (int i = 0; i < EVENTS; i++)
        {
            final Api.Response r = api.post("/events", SubscriptionIT.event("fan", CHANNEL, Integer.toString(i)));
            assertEquals(200, r.status(), r.toString());
        }
        final Api.Response info = api.get("/channels/" + CHANNEL, "info", "subscription_count");
        assertEquals(Map.of("occupied", true, "subscription_count", (long)CONNECTIONS), info.json());

        final boolean done = complete.await(30, TimeUnit.SECONDS);
        final List<Integer> expected = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++)
        {
            expected.add(i);
        }
        int incomplete = 0;
        for (final Client client : clients)
        {
            if (client.failure != null)
            {
                throw new AssertionError(client.failure);
            }
            synchronized (client)
            {
                if (client.received.size() != EVENTS)
                {
                    incomplete++;
                }
                else
                {
                    assertEquals(expected, client.received, "events out of order");
                }
            }
        }
        assertTrue(done, incomplete + " of " + CONNECTIONS + " clients did not receive all " + EVENTS + " events");
        assertEquals(0, incomplete);
    }
}
