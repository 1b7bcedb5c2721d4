package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks end to end: a real HTTP receiver in the test, spec pusher-v1 §6 and §9 tests 52-53, retries, isolation
 * from a receiver that never answers, and the removal delay with its cancellation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookIT
{
    private static final long WAIT_MS = 15_000;
    private static final String ALICE = "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Alice\"}}";
    private static final String OTHER_ID = "other-id";
    private static final String OTHER_KEY = "other-key";
    private static final String OTHER_SECRET = "other-secret";

    /** One request the receiver got. */
    record Received(String path, Map<String, String> headers, String body, List<Map<String, Object>> events)
    {
    }

    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final Map<String, LinkedBlockingQueue<Received>> inboxes = new HashMap<>();
    private final Map<String, List<Received>> seen = new HashMap<>();
    private TestServer server;

    @BeforeEach
    void startReceiver() throws IOException
    {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiverThreads = Executors.newCachedThreadPool();
        receiver.setExecutor(receiverThreads);
        for (final String path : new String[]{ "/a", "/b", "/flaky", "/other" })
        {
            inboxes.put(path, new LinkedBlockingQueue<>());
            seen.put(path, Collections.synchronizedList(new ArrayList<>()));
            receiver.createContext(path, this::handle);
        }
        receiver.createContext("/hang", (exchange) ->
        {
            inboxes.computeIfAbsent("/hang", (k) -> new LinkedBlockingQueue<>());
            try
            {
                release.await(WAIT_MS * 4, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop()
    {
        release.countDown();
        if (null != server)
        {
            server.close();
        }
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getHttpContext().getPath();
        final String body;
        try (InputStream in = exchange.getRequestBody())
        {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Map<String, String> headers = new HashMap<>();
        for (final Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet())
        {
            headers.put(header.getKey().toLowerCase(Locale.ROOT), String.join(",", header.getValue()));
        }
        int status = 200;
        if ("/flaky".equals(path) && flakyCalls.incrementAndGet() <= 2)
        {
            status = 500;
        }
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> events = (List<Map<String, Object>>)Json.parseObject(body).get("events");
        final Received received = new Received(path + (status == 200 ? "" : "#" + status), headers, body, events);
        inboxes.get(path).add(received);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private String url(final String path)
    {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static String settings(final int removalDelayMs, final boolean batching)
    {
        return "[webhooks]\nremoval_delay_ms = " + removalDelayMs + "\n[webhooks.batching]\nenabled = " + batching +
            "\nduration = 50\n";
    }

    /** Waits for the next request to a path. */
    private Received next(final String path) throws InterruptedException
    {
        final Received received = inboxes.get(path).poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(received, "no webhook request to " + path + "; seen so far: " + seen.get(path));
        seen.get(path).add(received);
        return received;
    }

    /**
     * Returns an event matching the predicate among the requests to a path, reading more requests until one
     * arrives. Requests may arrive in any order (several are in flight at once).
     */
    private Map<String, Object> await(final String path, final Predicate<Map<String, Object>> match)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true)
        {
            synchronized (seen.get(path))
            {
                for (final Received received : seen.get(path))
                {
                    for (final Map<String, Object> event : received.events())
                    {
                        if (match.test(event))
                        {
                            return event;
                        }
                    }
                }
            }
            if (System.currentTimeMillis() >= deadline)
            {
                throw new AssertionError("no matching event at " + path + "; seen: " + seen.get(path));
            }
            next(path);
        }
    }

    private static Predicate<Map<String, Object>> named(final String name, final String channel)
    {
        return (e) -> name.equals(e.get("name")) && channel.equals(e.get("channel"));
    }

    /** Every event received at a path so far, as {@code name channel [user]} strings. */
    private List<String> summary(final String path)
    {
        final List<String> list = new ArrayList<>();
        synchronized (seen.get(path))
        {
            for (final Received received : seen.get(path))
            {
                for (final Map<String, Object> e : received.events())
                {
                    list.add(e.get("name") + " " + e.get("channel") + (e.containsKey("user_id") &&
                        !"client_event".equals(e.get("name")) ? " " + e.get("user_id") : ""));
                }
            }
        }
        return list;
    }

    private static void assertSigned(final Received received, final String key, final String secret)
    {
        assertEquals("application/json", received.headers().get("content-type"));
        assertEquals(key, received.headers().get("x-pusher-key"));
        assertEquals(Sign.hmacHex(secret, received.body()), received.headers().get("x-pusher-signature"));
        assertTrue(received.body().startsWith("{\"time_ms\":"), received.body());
    }

    /** §6.2/§6.3: every event type, its object, the headers and the signature. */
    @Test
    void everyEventTypeArrivesSignedWithItsObject() throws Exception
    {
        server = TestServer.start(TestServer.MAIN_APP
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/a") + "\"\n"
            + "headers = { X-Custom = \"yes\" }\n"
            + settings(300, false));
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c = server.connect())
        {
            a.subscribe("my-channel");
            assertEquals(Map.of("name", "channel_occupied", "channel", "my-channel"),
                await("/a", named("channel_occupied", "my-channel")));
            assertEquals(Map.of("name", "subscription_count", "channel", "my-channel", "subscription_count", 1L),
                await("/a", named("subscription_count", "my-channel")));

            a.subscribePresence("presence-room", ALICE);
            assertEquals(Map.of("name", "member_added", "channel", "presence-room", "user_id", "u1"),
                await("/a", named("member_added", "presence-room")));

            a.subscribePrivate("private-chat");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"x\":1}}");
            assertEquals(Map.of("name", "client_event", "channel", "private-chat", "event", "client-typing",
                "data", "{\"x\":1}", "socket_id", a.socketId()), await("/a", named("client_event", "private-chat")));
            a.send("{\"event\":\"client-hi\",\"channel\":\"presence-room\",\"data\":\"hello\"}");
            assertEquals(Map.of("name", "client_event", "channel", "presence-room", "event", "client-hi",
                "data", "hello", "socket_id", a.socketId(), "user_id", "u1"),
                await("/a", named("client_event", "presence-room")));

            c.sendSubscribe("cache-news", null, null);
            assertEquals(Map.of("name", "cache_miss", "channel", "cache-news", "data", "{}"),
                await("/a", named("cache_miss", "cache-news")));

            b.subscribe("my-channel");
            assertEquals(Map.of("name", "subscription_count", "channel", "my-channel", "subscription_count", 2L),
                await("/a", (e) -> named("subscription_count", "my-channel").test(e) &&
                    Long.valueOf(2).equals(e.get("subscription_count"))));

            final long left = System.currentTimeMillis();
            a.unsubscribe("presence-room");
            final Map<String, Object> removed = await("/a", named("member_removed", "presence-room"));
            assertEquals(Map.of("name", "member_removed", "channel", "presence-room", "user_id", "u1"), removed);
            final Map<String, Object> vacated = await("/a", named("channel_vacated", "presence-room"));
            assertEquals(Map.of("name", "channel_vacated", "channel", "presence-room"), vacated);
            assertTrue(System.currentTimeMillis() - left >= 300, "removals are held for removal_delay_ms");
        }
        for (final Received received : seen.get("/a"))
        {
            assertSigned(received, TestServer.APP_KEY, TestServer.APP_SECRET);
            assertEquals("yes", received.headers().get("x-custom"));
            assertEquals(1, received.events().size(), "batching is off: " + received.body());
        }
    }

    /** §9.52-53: event_types and filters select exactly; batching merges one window's events. */
    @Test
    void eventTypesAndFiltersSelectExactly() throws Exception
    {
        server = TestServer.start(TestServer.MAIN_APP
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/a") + "\"\n"
            + "event_types = [\"channel_occupied\", \"channel_vacated\", \"member_added\"]\n"
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/b") + "\"\n"
            + "event_types = [\"channel_occupied\"]\nfilter = { channel_prefix = \"presence-\" }\n"
            + settings(300, true));
        try (PusherSocket a = server.connect())
        {
            a.subscribe("my-channel");
            final Received first = next("/a");
            assertSigned(first, TestServer.APP_KEY, TestServer.APP_SECRET);
            assertEquals(List.of(Map.of("name", "channel_occupied", "channel", "my-channel")), first.events());

            a.subscribePresence("presence-room", ALICE);
            await("/a", named("member_added", "presence-room"));
            final Received presence = next("/b");
            assertEquals(List.of(Map.of("name", "channel_occupied", "channel", "presence-room")), presence.events());

            final long unsubscribed = System.currentTimeMillis();
            a.unsubscribe("my-channel");
            final Received vacated = next("/a");
            assertEquals(List.of(Map.of("name", "channel_vacated", "channel", "my-channel")), vacated.events());
            final long timeMs = ((Number)Json.parseObject(vacated.body()).get("time_ms")).longValue();
            assertTrue(timeMs >= unsubscribed + 300, "channel_vacated is sent after the removal delay");

            a.subscribe("sentinel");
            await("/a", named("channel_occupied", "sentinel"));
            a.subscribePresence("presence-sentinel", ALICE);
            next("/b");
            await("/a", named("member_added", "presence-sentinel"));
        }
        List<String> onA = summary("/a");
        onA = new ArrayList<>(onA);
        Collections.sort(onA);
        assertEquals(List.of("channel_occupied my-channel", "channel_occupied presence-room",
            "channel_occupied presence-sentinel", "channel_occupied sentinel", "channel_vacated my-channel",
            "member_added presence-room u1", "member_added presence-sentinel u1"), onA);
        assertEquals(List.of("channel_occupied presence-room", "channel_occupied presence-sentinel"), summary("/b"));
    }

    /** §6.3: a 500 is retried with back-off; the event arrives exactly once with a 2xx. */
    @Test
    void failingReceiverGetsTheEventOnceAfterRetries() throws Exception
    {
        server = TestServer.start(TestServer.MAIN_APP
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/flaky") + "\"\n"
            + "event_types = [\"channel_occupied\"]\n"
            + "retry = { initial_backoff_ms = 20, max_backoff_ms = 40, max_elapsed_time_ms = 10000 }\n"
            + settings(300, false));
        try (PusherSocket a = server.connect())
        {
            a.subscribe("my-channel");
            final Received r1 = next("/flaky");
            final Received r2 = next("/flaky");
            final Received r3 = next("/flaky");
            assertEquals(List.of("/flaky#500", "/flaky#500", "/flaky"), List.of(r1.path(), r2.path(), r3.path()));
            assertEquals(r1.body(), r2.body());
            assertEquals(r1.body(), r3.body());
            assertEquals(List.of(Map.of("name", "channel_occupied", "channel", "my-channel")), r3.events());

            a.subscribe("sentinel");
            final Received r4 = next("/flaky");
            assertEquals(List.of(Map.of("name", "channel_occupied", "channel", "sentinel")), r4.events());
        }
        assertEquals(List.of("channel_occupied my-channel", "channel_occupied my-channel",
            "channel_occupied my-channel", "channel_occupied sentinel"), summary("/flaky"));
    }

    /** A receiver that never answers delays neither WebSocket delivery nor another app's webhooks. */
    @Test
    void hangingReceiverIsIsolated() throws Exception
    {
        server = TestServer.start(TestServer.MAIN_APP
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/hang") + "\"\n"
            + "request_timeout_ms = 30000\nretry = { enabled = false }\n"
            + TestServer.app(OTHER_ID, OTHER_KEY, OTHER_SECRET, true)
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/other") + "\"\n"
            + "event_types = [\"channel_occupied\"]\n"
            + settings(300, false));
        try (PusherSocket a = server.connect(); PusherSocket other = server.connect(OTHER_KEY))
        {
            for (int i = 0; i < 20; i++)
            {
                a.subscribe("busy-" + i);
            }
            a.subscribe("news");
            final Api.Response response = server.api().post("/events",
                "{\"name\":\"headline\",\"channel\":\"news\",\"data\":\"{\\\"n\\\":1}\"}");
            assertEquals(200, response.status(), response.toString());
            assertEquals(Map.of("event", "headline", "channel", "news", "data", "{\"n\":1}"), a.next());

            other.subscribe("other-channel");
            final Received received = next("/other");
            assertSigned(received, OTHER_KEY, OTHER_SECRET);
            assertEquals(List.of(Map.of("name", "channel_occupied", "channel", "other-channel")), received.events());
        }
    }

    /** Removals come once after the delay, and not at all when the channel or member is back within it. */
    @Test
    void removalsAreHeldAndCancelledByAReturn() throws Exception
    {
        server = TestServer.start(TestServer.MAIN_APP
            + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"" + url("/a") + "\"\n"
            + "event_types = [\"channel_occupied\", \"channel_vacated\", \"member_added\", \"member_removed\"]\n"
            + settings(1000, false));
        // by unsubscribe: leave and come back at once
        try (PusherSocket a = server.connect())
        {
            a.subscribe("room");
            a.subscribePresence("presence-room", ALICE);
            await("/a", named("member_added", "presence-room"));
            a.unsubscribe("room");
            a.unsubscribe("presence-room");
            a.subscribe("room");
            a.subscribePresence("presence-room", ALICE);
        }
        // the close above removed both for real: one removal each, after the delay
        await("/a", named("channel_vacated", "room"));
        await("/a", named("member_removed", "presence-room"));
        await("/a", named("channel_vacated", "presence-room"));

        // by disconnect: a socket leaves and another takes its place within the delay
        try (PusherSocket b = server.connect())
        {
            b.subscribe("hall");
            b.subscribePresence("presence-hall", ALICE);
            await("/a", named("member_added", "presence-hall"));
        }
        try (PusherSocket c = server.connect())
        {
            c.subscribe("hall");
            c.subscribePresence("presence-hall", ALICE);
            c.unsubscribe("hall");
            c.unsubscribe("presence-hall");
            await("/a", named("channel_vacated", "hall"));
            await("/a", named("member_removed", "presence-hall"));
            await("/a", named("channel_vacated", "presence-hall"));
            c.subscribe("sentinel");
            await("/a", named("channel_occupied", "sentinel"));
        }
        final List<String> all = new ArrayList<>(summary("/a"));
        Collections.sort(all);
        assertEquals(List.of("channel_occupied hall", "channel_occupied presence-hall",
            "channel_occupied presence-room", "channel_occupied room", "channel_occupied sentinel",
            "channel_vacated hall", "channel_vacated presence-hall", "channel_vacated presence-room",
            "channel_vacated room", "member_added presence-hall u1", "member_added presence-room u1",
            "member_removed presence-hall u1", "member_removed presence-room u1"), all);
    }
}
