package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cache channels: spec pusher-v1 §9 test 40 and the decided anchored-prefix detection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheChannelIT
{
    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** §9.40: cache miss first, then the last published event for a new subscriber. */
    @Test
    void cacheMissThenCachedEvent() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.subscribe("cache-news");
            assertEquals(Map.of("event", "pusher:cache_miss", "channel", "cache-news", "data", "{}"), a.next());
            final Api.Response r = server.api().post("/events", SubscriptionIT.event("news-event", "cache-news", "v1"));
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("event", "news-event", "channel", "cache-news", "data", "v1"), a.next());
            assertEquals(200,
                server.api().post("/events", SubscriptionIT.event("news-event", "cache-news", "v2")).status());
            assertEquals(Map.of("event", "news-event", "channel", "cache-news", "data", "v2"), a.next());
        }
        try (PusherSocket b = server.connect())
        {
            b.subscribe("cache-news");
            assertEquals(Map.of("event", "news-event", "channel", "cache-news", "data", "v2"), b.next());
            b.assertOpen();
        }
    }

    /** Decided: private-cache channels check the signature. */
    @Test
    void privateCacheChecksSignature() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.sendSubscribe("private-cache-x", "app-key:deadbeef", null);
            a.expectError(4009, "Authentication error: Channel requires authentication");
            a.subscribePrivate("private-cache-x");
            assertEquals(Map.of("event", "pusher:cache_miss", "channel", "private-cache-x", "data", "{}"), a.next());
        }
    }

    /** Decided: "cache-" only counts as a prefix; a channel merely containing it is a plain public channel. */
    @Test
    void cacheIsAnAnchoredPrefix() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.subscribe("news-cache-x");
            a.assertOpen();
        }
    }

    /** Decided: presence-cache channels keep presence semantics (member tracking). */
    @Test
    void presenceCacheTracksMembers() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            final Map<String, Object> presence = a.subscribePresence("presence-cache-room", "{\"user_id\":\"u1\"}");
            assertEquals(1L, presence.get("count"));
            assertEquals(Map.of("event", "pusher:cache_miss", "channel", "presence-cache-room", "data", "{}"),
                a.next());
        }
    }
}
