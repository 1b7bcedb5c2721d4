package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.IdempotencyConfig;
import io.sockudo.jvm.server.config.WebhooksConfig;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final long DELAY = 3000;

    private final MemoryJobQueue jobs = new MemoryJobQueue();
    private AppState app;
    private WebhookDispatcher dispatcher;

    private void setUp(final boolean batching, final int size, final List<Map<String, Object>> webhooks)
    {
        final AppConfig config = new AppConfig();
        config.id = "app-id";
        config.key = "app-key";
        config.secret = "app-secret";
        config.webhooks = webhooks;
        app = new AppRegistry(List.of(config), 1, new IdempotencyConfig()).byId("app-id");
        final List<WebhookTarget> targets = WebhookConfigParser.parse(config, 0, new WebhooksConfig());
        dispatcher = new WebhookDispatcher(Map.of(app, targets), jobs, batching, 50, size, DELAY);
    }

    private static Map<String, Object> hook(final String url)
    {
        return Map.of("url", url);
    }

    private List<DeliveryJob> drain()
    {
        final List<DeliveryJob> list = new ArrayList<>();
        DeliveryJob job;
        while (null != (job = jobs.poll()))
        {
            list.add(job);
        }
        return list;
    }

    private void event(final WebhookEventType type, final String channel, final long now)
    {
        dispatcher.onEvent(WebhookEvent.of(app, type, channel, now), now);
    }

    private void member(final WebhookEventType type, final String channel, final String user, final long now)
    {
        dispatcher.onEvent(WebhookEvent.member(app, type, channel, user, now), now);
    }

    @Test
    void withoutBatchingEachEventIsOneSignedRequest()
    {
        setUp(false, 100, List.of(Map.of("url", "http://h/a", "headers", Map.of("Authorization", "Bearer t"))));
        event(WebhookEventType.CHANNEL_OCCUPIED, "my-channel", T0);
        dispatcher.onEvent(new WebhookEvent(app, WebhookEventType.SUBSCRIPTION_COUNT, "my-channel", null, null, null,
            null, 2, T0 + 1), T0 + 1);
        final List<DeliveryJob> list = drain();
        assertEquals(2, list.size());
        final DeliveryJob first = list.get(0);
        assertEquals(
            "{\"time_ms\":1700000000000,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"my-channel\"}]}",
            first.body());
        assertEquals("http://h/a", first.url());
        assertEquals("application/json", first.headers().get("Content-Type"));
        assertEquals("app-key", first.headers().get("X-Pusher-Key"));
        assertEquals("fec9fff324b82111ea03affc886e951bec5ee7a9e365bfd05cf254414c990a1a",
            first.headers().get("X-Pusher-Signature"));
        assertEquals("Bearer t", first.headers().get("Authorization"));
        assertEquals("{\"time_ms\":1700000000001,\"events\":[{\"name\":\"subscription_count\",\"channel\":" +
            "\"my-channel\",\"subscription_count\":2}]}", list.get(1).body());
        assertEquals(PusherSignatures.hmacSha256Hex("app-secret", list.get(1).body()),
            list.get(1).headers().get("X-Pusher-Signature"));
    }

    @Test
    void batchingCollectsTheWindowAndSplitsBySize()
    {
        setUp(true, 2, List.of(hook("http://h/a")));
        event(WebhookEventType.CHANNEL_OCCUPIED, "c1", T0);
        event(WebhookEventType.CHANNEL_OCCUPIED, "c2", T0 + 10);
        event(WebhookEventType.CHANNEL_OCCUPIED, "c3", T0 + 20);
        dispatcher.onTimers(T0 + 49);
        assertEquals(0, jobs.size());
        assertEquals(T0 + 50, dispatcher.nextDeadlineMs());
        dispatcher.onTimers(T0 + 50);
        final List<DeliveryJob> list = drain();
        assertEquals(2, list.size());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"c1\"}," +
            "{\"name\":\"channel_occupied\",\"channel\":\"c2\"}]}", list.get(0).body());
        assertEquals("{\"time_ms\":1700000000020,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"c3\"}]}",
            list.get(1).body());
        assertEquals(Long.MAX_VALUE, dispatcher.nextDeadlineMs());

        event(WebhookEventType.CHANNEL_OCCUPIED, "c4", T0 + 100);
        dispatcher.onTimers(T0 + 150);
        assertEquals(1, drain().size());
    }

    @Test
    void eachTargetGetsOnlyTheEventsItSelects()
    {
        setUp(true, 100, List.of(
            Map.of("url", "http://h/occupied", "event_types", List.of("channel_occupied")),
            Map.of("url", "http://h/presence", "filter", Map.of("channel_prefix", "presence-")),
            Map.of("url", "http://h/none", "event_types", List.of("cache_miss"))));
        event(WebhookEventType.CHANNEL_OCCUPIED, "my-channel", T0);
        event(WebhookEventType.CHANNEL_OCCUPIED, "presence-room", T0);
        member(WebhookEventType.MEMBER_ADDED, "presence-room", "u1", T0);
        dispatcher.onTimers(T0 + 50);
        final List<DeliveryJob> list = drain();
        assertEquals(2, list.size());
        assertEquals("http://h/occupied", list.get(0).url());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"channel_occupied\",\"channel\":" +
            "\"my-channel\"},{\"name\":\"channel_occupied\",\"channel\":\"presence-room\"}]}", list.get(0).body());
        assertEquals("http://h/presence", list.get(1).url());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"channel_occupied\",\"channel\":" +
            "\"presence-room\"},{\"name\":\"member_added\",\"channel\":\"presence-room\",\"user_id\":\"u1\"}]}",
            list.get(1).body());
    }

    @Test
    void entriesWithTheSameUrlCollapseIntoOneRequest()
    {
        setUp(false, 100, List.of(
            Map.of("url", "http://h/a", "event_types", List.of("channel_occupied")),
            Map.of("url", "http://h/a", "event_types", List.of("channel_occupied", "cache_miss"))));
        event(WebhookEventType.CHANNEL_OCCUPIED, "c", T0);
        event(WebhookEventType.CACHE_MISS, "cache-c", T0);
        final List<DeliveryJob> list = drain();
        assertEquals(2, list.size());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"cache_miss\",\"channel\":\"cache-c\"," +
            "\"data\":\"{}\"}]}", list.get(1).body());
    }

    @Test
    void vacatedIsHeldAndSentWhenStillEmpty()
    {
        setUp(false, 100, List.of(hook("http://h/a")));
        event(WebhookEventType.CHANNEL_VACATED, "c", T0);
        dispatcher.onTimers(T0 + DELAY - 1);
        assertEquals(0, jobs.size());
        assertEquals(T0 + DELAY, dispatcher.nextDeadlineMs());
        dispatcher.onTimers(T0 + DELAY);
        final List<DeliveryJob> list = drain();
        assertEquals(1, list.size());
        assertEquals("{\"time_ms\":1700000003000,\"events\":[{\"name\":\"channel_vacated\",\"channel\":\"c\"}]}",
            list.get(0).body());
        dispatcher.onTimers(T0 + 10 * DELAY);
        assertEquals(0, jobs.size());
    }

    @Test
    void reoccupiedWithinTheDelayCancelsBothEvents()
    {
        setUp(false, 100, List.of(hook("http://h/a")));
        event(WebhookEventType.CHANNEL_VACATED, "c", T0);
        event(WebhookEventType.CHANNEL_OCCUPIED, "c", T0 + 100);
        dispatcher.onTimers(T0 + DELAY);
        assertEquals(0, jobs.size());
        assertEquals(1, dispatcher.suppressed());

        // later it really empties: one vacated, then a new occupy is reported
        event(WebhookEventType.CHANNEL_VACATED, "c", T0 + 5000);
        dispatcher.onTimers(T0 + 5000 + DELAY);
        event(WebhookEventType.CHANNEL_OCCUPIED, "c", T0 + 9000);
        final List<DeliveryJob> list = drain();
        assertEquals(2, list.size());
        assertEquals("{\"time_ms\":1700000008000,\"events\":[{\"name\":\"channel_vacated\",\"channel\":\"c\"}]}",
            list.get(0).body());
        assertEquals("{\"time_ms\":1700000009000,\"events\":[{\"name\":\"channel_occupied\",\"channel\":\"c\"}]}",
            list.get(1).body());
    }

    @Test
    void memberReaddedWithinTheDelayCancelsBothEventsOthersAreUnaffected()
    {
        setUp(false, 100, List.of(hook("http://h/a")));
        member(WebhookEventType.MEMBER_REMOVED, "presence-r", "u1", T0);
        member(WebhookEventType.MEMBER_REMOVED, "presence-r", "u2", T0);
        member(WebhookEventType.MEMBER_ADDED, "presence-r", "u1", T0 + 1);
        dispatcher.onTimers(T0 + DELAY);
        final List<DeliveryJob> list = drain();
        assertEquals(1, list.size());
        assertEquals("{\"time_ms\":1700000003000,\"events\":[{\"name\":\"member_removed\",\"channel\":" +
            "\"presence-r\",\"user_id\":\"u2\"}]}", list.get(0).body());
    }

    @Test
    void liveStateIsCheckedAtExpiryAndTheLateReturnIsSuppressed()
    {
        setUp(false, 100, List.of(hook("http://h/a")));
        event(WebhookEventType.CHANNEL_VACATED, "c", T0);
        member(WebhookEventType.MEMBER_REMOVED, "presence-r", "u1", T0);
        // the channel and the member are back, but their reports have not reached the dispatcher yet
        assertNotNull(app.join("c", 0, null, null, 0));
        assertNotNull(app.join("presence-r", 0, "u1", "{}", 0));
        dispatcher.onTimers(T0 + DELAY);
        assertEquals(0, jobs.size());
        event(WebhookEventType.CHANNEL_OCCUPIED, "c", T0 + DELAY + 1);
        member(WebhookEventType.MEMBER_ADDED, "presence-r", "u1", T0 + DELAY + 1);
        assertEquals(0, jobs.size());
        assertEquals(Long.MAX_VALUE, dispatcher.nextDeadlineMs());
    }

    @Test
    void clientEventDataIsAStringAndCarriesTheUserId()
    {
        setUp(false, 100, List.of(hook("http://h/a")));
        dispatcher.onEvent(new WebhookEvent(app, WebhookEventType.CLIENT_EVENT, "private-c", null, "client-x",
            "{\"a\": 1}", "1.2", 0, T0), T0);
        dispatcher.onEvent(new WebhookEvent(app, WebhookEventType.CLIENT_EVENT, "presence-c", "u\"1", "client-y",
            "\"hi \\\"there\\\"\"", "1.3", 0, T0), T0);
        dispatcher.onEvent(new WebhookEvent(app, WebhookEventType.CLIENT_EVENT, "private-c", null, "client-z",
            "null", "1.4", 0, T0), T0);
        final List<DeliveryJob> list = drain();
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"client_event\",\"channel\":\"private-c\"," +
            "\"event\":\"client-x\",\"data\":\"{\\\"a\\\": 1}\",\"socket_id\":\"1.2\"}]}", list.get(0).body());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"client_event\",\"channel\":\"presence-c\"," +
            "\"event\":\"client-y\",\"data\":\"hi \\\"there\\\"\",\"socket_id\":\"1.3\",\"user_id\":\"u\\\"1\"}]}",
            list.get(1).body());
        assertEquals("{\"time_ms\":1700000000000,\"events\":[{\"name\":\"client_event\",\"channel\":\"private-c\"," +
            "\"event\":\"client-z\",\"data\":\"null\",\"socket_id\":\"1.4\"}]}", list.get(2).body());
    }

    @Test
    void customHeadersCannotReplaceTheSignature()
    {
        setUp(false, 100, List.of(Map.of("url", "http://h/a",
            "headers", Map.of("X-Pusher-Signature", "forged", "X-Extra", "1"))));
        event(WebhookEventType.CHANNEL_OCCUPIED, "c", T0);
        final DeliveryJob job = drain().get(0);
        assertEquals(PusherSignatures.hmacSha256Hex("app-secret", job.body()), job.headers().get("X-Pusher-Signature"));
        assertEquals("1", job.headers().get("X-Extra"));
        assertNull(job.headers().get("x-pusher-signature"));
    }
}
