package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP API with requests signed by the test: spec pusher-v1 §9 tests 41-51 and the decided default limits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpApiIT
{
    private static final String CONFIG = TestServer.FIXTURE
        + TestServer.app("lim-id", "lim-key", "lim-secret", true)
        + "[app_manager.array.apps.policy.limits]\n"
        + "max_event_batch_size = 1\n"
        + "max_event_channels_at_once = 2\n"
        + "max_event_payload_in_kb = 1\n";

    private TestServer server;
    private Api api;

    @BeforeEach
    void start()
    {
        server = TestServer.start(CONFIG);
        api = server.api();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** The spec's signing vectors (§5.2) match the test's signing code. */
    @Test
    void signingVectors()
    {
        final String body =
            "{\"name\":\"my-event\",\"channel\":\"my-channel\",\"data\":\"{\\\"hello\\\":\\\"world\\\"}\"}";
        assertEquals("349c71b13ec8d76fc16325f273365ba5", Sign.md5Hex(body));
        final Api.Request post = api.request("POST", "/apps/app-id/events").body(body).timestamp(1700000000L);
        assertEquals("POST\n/apps/app-id/events\nauth_key=app-key&auth_timestamp=1700000000&auth_version=1.0"
            + "&body_md5=349c71b13ec8d76fc16325f273365ba5", post.stringToSign());
        assertEquals("7496137a76b0f3ca46fa2ca46e4d0aabeb67b5bc32181d60a42aa561a33b3e57",
            Sign.hmacHex("app-secret", post.stringToSign()));
        final Api.Request get = api.request("GET", "/apps/app-id/channels").timestamp(1700000000L)
            .param("filter_by_prefix", "presence-").param("info", "user_count");
        assertEquals("fd5a1b38d92aee2b7913a8cf43136cffab888ee5a097536910d6239f08eb68a2",
            Sign.hmacHex("app-secret", get.stringToSign()));
        assertEquals("app-key:d7d4254b75e2b60944b91bc92e916d56da84c4835011f5aa3c59a8e7f6e8b65d",
            Sign.privateAuth("app-key", "app-secret", "1234.5678", "private-foo"));
        assertEquals("app-key:8da8a274fe7cf8f5bde5e8c764fe1c4e1df1e323b9e8ea3687d0055ef7502f6e",
            Sign.presenceAuth("app-key", "app-secret", "1234.5678", "presence-room",
                "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Alice\"}}"));
    }

    /** §9.41: publish with string data and with object data; the subscriber always gets a string. */
    @Test
    void publishDeliversStringData() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe("my-channel");
            final Api.Response r = api.post("/events",
                "{\"name\":\"my-event\",\"channel\":\"my-channel\",\"data\":\"{\\\"hello\\\":\\\"world\\\"}\"}");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("ok", true), r.json());
            assertEquals(Map.of("event", "my-event", "channel", "my-channel", "data", "{\"hello\":\"world\"}"),
                s.next());
            final Api.Response r2 = api.post("/events",
                "{\"name\":\"my-event\",\"channel\":\"my-channel\",\"data\":{\"hello\":\"world\"}}");
            assertEquals(200, r2.status(), r2.toString());
            assertEquals(Map.of("event", "my-event", "channel", "my-channel", "data", "{\"hello\":\"world\"}"),
                s.next());
        }
    }

    /** Publishing to several channels reaches each of them. */
    @Test
    void publishToSeveralChannels() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("ch-a");
            b.subscribe("ch-b");
            final Api.Response r = api.post("/events",
                "{\"name\":\"multi\",\"channels\":[\"ch-a\",\"ch-b\",\"ch-empty\"],\"data\":\"d\"}");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("event", "multi", "channel", "ch-a", "data", "d"), a.next());
            assertEquals(Map.of("event", "multi", "channel", "ch-b", "data", "d"), b.next());
        }
    }

    /** §5.3: a repeated idempotency_key returns the cached answer without broadcasting again. */
    @Test
    void idempotencyKeySuppressesRepeats() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe("my-channel");
            final String body = "{\"name\":\"once\",\"channel\":\"my-channel\",\"data\":\"1\","
                + "\"idempotency_key\":\"k-1\"}";
            final Api.Response first = api.post("/events", body);
            assertEquals(200, first.status(), first.toString());
            final Api.Response second = api.post("/events", body);
            assertEquals(200, second.status(), second.toString());
            assertEquals(first.body(), second.body());
            assertEquals(200, api.post("/events", SubscriptionIT.event("after", "my-channel", "2")).status());
            assertEquals(Map.of("event", "once", "channel", "my-channel", "data", "1"), s.next());
            assertEquals(Map.of("event", "after", "channel", "my-channel", "data", "2"), s.next());
        }
    }

    /** §5.1 deviation: /apps responses honour keep-alive. */
    @Test
    void appsResponsesKeepTheConnectionAlive()
    {
        // Deliberate deviation (docs/compatibility.md): 4.4.0 sends Connection: close on every /apps/* response;
        // we honour HTTP/1.1 keep-alive so that publishers reuse their connection.
        final Api.Response r = api.get("/channels");
        assertEquals(200, r.status(), r.toString());
        assertEquals("keep-alive", r.header("connection"));
    }

    /** §9.42: socket_id excludes that socket only. */
    @Test
    void publishExcludesSocketId() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("my-channel");
            final Api.Response r = api.post("/events", "{\"name\":\"first\",\"channel\":\"my-channel\",\"data\":\"1\","
                + "\"socket_id\":" + Json.quote(a.socketId()) + "}");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("event", "first", "channel", "my-channel", "data", "1"), b.next());
            assertEquals(200, api.post("/events", SubscriptionIT.event("second", "my-channel", "2")).status());
            assertEquals(Map.of("event", "second", "channel", "my-channel", "data", "2"), a.next());
            assertEquals(Map.of("event", "second", "channel", "my-channel", "data", "2"), b.next());
        }
    }

    /** §9.43: info in the publish body. */
    @Test
    void publishWithInfo() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("my-channel");
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            c.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            final Api.Response r = api.post("/events",
                "{\"name\":\"e\",\"channel\":\"my-channel\",\"data\":\"x\",\"info\":\"subscription_count\"}");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("channels", Map.of("my-channel", Map.of("subscription_count", 2L))), r.json());
            final Api.Response r2 = api.post("/events",
                "{\"name\":\"e\",\"channel\":\"presence-room\",\"data\":\"x\",\"info\":\"user_count\"}");
            assertEquals(200, r2.status(), r2.toString());
            assertEquals(Map.of("channels", Map.of("presence-room", Map.of("user_count", 2L))), r2.json());
        }
    }

    /** §9.44: wrong signature. */
    @Test
    void wrongSignatureIs401()
    {
        final Api.Response r = api.request("POST", "/apps/app-id/events")
            .body(SubscriptionIT.event("e", "my-channel", "x")).signature("0".repeat(64)).send();
        assertEquals(401, r.status(), r.toString());
        assertEquals(Map.of("error", "Invalid API signature", "code", "auth_failed", "status", 401L), r.json());
    }

    /** §9.44: timestamps beyond 600 s either way are refused; 590 s is fine. */
    @ParameterizedTest
    @ValueSource(longs = {-620, 620, -100000})
    void staleTimestampIs401(final long offset)
    {
        final long now = System.currentTimeMillis() / 1000;
        final Api.Response r = api.request("POST", "/apps/app-id/events")
            .body(SubscriptionIT.event("e", "my-channel", "x")).timestamp(now + offset).send();
        assertEquals(401, r.status(), r.toString());
        assertEquals("auth_failed", r.json().get("code"));
    }

    /** §9.44: 590 s old passes. */
    @Test
    void timestampWithinWindowPasses()
    {
        final long now = System.currentTimeMillis() / 1000;
        final Api.Response r = api.request("POST", "/apps/app-id/events")
            .body(SubscriptionIT.event("e", "my-channel", "x")).timestamp(now - 590).send();
        assertEquals(200, r.status(), r.toString());
    }

    /** §9.44: unknown key, key of another app, no query string. */
    @Test
    void keyAndQueryErrors()
    {
        final String body = SubscriptionIT.event("e", "my-channel", "x");
        final Api.Response unknown = api.request("POST", "/apps/app-id/events").body(body).authKey("nope").send();
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("app_not_found", unknown.json().get("code"));

        final Api.Response otherApp = api.request("POST", "/apps/other-id/events").body(body).send();
        assertEquals(401, otherApp.status(), otherApp.toString());

        final Api.Response noQuery = Api.raw(server.port(), "POST", "/apps/app-id/events", body);
        assertEquals(400, noQuery.status(), noQuery.toString());
    }

    /** §5.2: auth_timestamp must be present and an integer. */
    @Test
    void timestampMissingOrMalformedIs401()
    {
        final String body = SubscriptionIT.event("e", "my-channel", "x");
        final Api.Response missing = api.request("POST", "/apps/app-id/events").body(body)
            .omit("auth_timestamp").send();
        assertEquals(401, missing.status(), missing.toString());
        final Api.Response malformed = api.request("POST", "/apps/app-id/events").body(body)
            .omit("auth_timestamp").param("auth_timestamp", "soon").send();
        assertEquals(401, malformed.status(), malformed.toString());
    }

    /** §5.1: a body that is not JSON is a 400. */
    @Test
    void malformedJsonBodyIs400()
    {
        final Api.Response r = api.post("/events", "{\"name\":");
        assertEquals(400, r.status(), r.toString());
    }

    /** Decided: documented default limits apply when unset: event data up to 100 KB. */
    @Test
    void defaultPayloadLimitIs100Kb()
    {
        final Api.Response ok = api.post("/events", SubscriptionIT.event("e", "my-channel", "x".repeat(99 * 1024)));
        assertEquals(200, ok.status(), ok.toString());
        final Api.Response big = api.post("/events", SubscriptionIT.event("e", "my-channel", "x".repeat(101 * 1024)));
        assertEquals(413, big.status(), big.toString());
        assertEquals("payload_too_large", big.json().get("code"));
    }

    /** Decided: the HTTP API refuses a disabled app. */
    @Test
    void disabledAppIsRefused()
    {
        final Api disabled = server.api("disabled-id", "disabled-key", "disabled-secret");
        final Api.Response r = disabled.post("/events", SubscriptionIT.event("e", "my-channel", "x"));
        assertTrue(r.status() >= 400 && r.status() < 500, r.toString());
    }

    /** §9.45: body_md5 rules. */
    @Test
    void bodyMd5Rules()
    {
        final String body = SubscriptionIT.event("e", "my-channel", "x");
        final Api.Response missing = api.request("POST", "/apps/app-id/events").body(body).withMd5(false).send();
        assertEquals(401, missing.status(), missing.toString());

        final Api.Response wrong = api.request("POST", "/apps/app-id/events").body(body).md5(Api.EMPTY_MD5).send();
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals("body_md5 mismatch", wrong.json().get("error"));

        final Api.Response getWithMd5 = api.request("GET", "/apps/app-id/channels").md5(Api.EMPTY_MD5).send();
        assertEquals(401, getWithMd5.status(), getWithMd5.toString());
    }

    /** §9.46 and §9.47: channel listing and single-channel info. */
    @Test
    void channelQueries() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c = server.connect())
        {
            a.subscribe("my-channel");
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            b.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            c.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            a.next();

            final Api.Response filtered = api.get("/channels", "filter_by_prefix", "presence-", "info", "user_count");
            assertEquals(200, filtered.status(), filtered.toString());
            assertEquals(Map.of("channels", Map.of("presence-room", Map.of("user_count", 2L))), filtered.json());

            final Api.Response all = api.get("/channels");
            assertEquals(200, all.status(), all.toString());
            assertEquals(Map.of("channels", Map.of("my-channel", Map.of(), "presence-room", Map.of())), all.json());

            final Api.Response counts = api.get("/channels", "info", "subscription_count");
            assertEquals(Map.of("channels", Map.of("my-channel", Map.of("subscription_count", 1L),
                "presence-room", Map.of("subscription_count", 3L))), counts.json());

            final Api.Response userCountUnfiltered = api.get("/channels", "info", "user_count");
            assertEquals(400, userCountUnfiltered.status(), userCountUnfiltered.toString());

            final Api.Response room = api.get("/channels/presence-room", "info", "subscription_count,user_count");
            assertEquals(200, room.status(), room.toString());
            assertEquals(Map.of("occupied", true, "subscription_count", 3L, "user_count", 2L), room.json());

            final Api.Response mine = api.get("/channels/my-channel", "info", "user_count");
            assertEquals(400, mine.status(), mine.toString());

            final Api.Response empty = api.get("/channels/empty-channel");
            assertEquals(200, empty.status(), empty.toString());
            assertEquals(Map.of("occupied", false), empty.json());

            final Api.Response badName = api.get("/channels/bad%20name");
            assertEquals(400, badName.status(), badName.toString());
        }
    }

    /** §9.48: users of a presence channel. */
    @Test
    @SuppressWarnings("unchecked")
    void presenceUsers() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c = server.connect())
        {
            c.subscribe("my-channel");
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            b.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            c.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            final Api.Response r = api.get("/channels/presence-room/users");
            assertEquals(200, r.status(), r.toString());
            final List<Object> users = (List<Object>)r.json().get("users");
            assertEquals(2, users.size(), r.toString());
            final Set<Object> ids = new HashSet<>();
            for (final Object u : users)
            {
                assertEquals(1, ((Map<String, Object>)u).size(), r.toString());
                ids.add(((Map<String, Object>)u).get("id"));
            }
            assertEquals(Set.of("u1", "u2"), ids);

            final Api.Response notPresence = api.get("/channels/my-channel/users");
            assertEquals(400, notPresence.status(), notPresence.toString());
        }
    }

    /** §9.49: batch responses and the per-app batch limit. */
    @Test
    void batchEvents() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("my-channel");
            final Api.Response plain = api.post("/batch_events", "{\"batch\":["
                + SubscriptionIT.event("b1", "my-channel", "1") + ","
                + SubscriptionIT.event("b2", "other", "2") + "]}");
            assertEquals(200, plain.status(), plain.toString());
            assertEquals(Map.of(), plain.json());
            assertEquals(Map.of("event", "b1", "channel", "my-channel", "data", "1"), a.next());

            final Api.Response withInfo = api.post("/batch_events", "{\"batch\":["
                + "{\"name\":\"b3\",\"channel\":\"my-channel\",\"data\":\"3\",\"info\":\"subscription_count\"},"
                + SubscriptionIT.event("b4", "my-channel", "4") + "]}");
            assertEquals(200, withInfo.status(), withInfo.toString());
            assertEquals(Map.of("batch", List.of(Map.of("subscription_count", 2L), Map.of())), withInfo.json());
            assertEquals(Map.of("event", "b3", "channel", "my-channel", "data", "3"), a.next());
            assertEquals(Map.of("event", "b4", "channel", "my-channel", "data", "4"), a.next());
        }
        final Api limited = server.api("lim-id", "lim-key", "lim-secret");
        final Api.Response tooMany = limited.post("/batch_events", "{\"batch\":["
            + SubscriptionIT.event("b1", "c1", "1") + "," + SubscriptionIT.event("b2", "c2", "2") + "]}");
        assertEquals(400, tooMany.status(), tooMany.toString());
        assertEquals("limit_exceeded", tooMany.json().get("code"));
    }

    /** §9.50: publish validation. */
    @Test
    void publishValidation()
    {
        final Api.Response noChannels = api.post("/events", "{\"name\":\"e\",\"channels\":[],\"data\":\"x\"}");
        assertEquals(400, noChannels.status(), noChannels.toString());
        assertEquals("missing_channel_info", noChannels.json().get("code"));

        final Api.Response neither = api.post("/events", "{\"name\":\"e\",\"data\":\"x\"}");
        assertEquals(400, neither.status(), neither.toString());
        assertEquals("missing_channel_info", neither.json().get("code"));

        final Api.Response noName = api.post("/events", "{\"channel\":\"my-channel\",\"data\":\"x\"}");
        assertEquals(400, noName.status(), noName.toString());

        final Api.Response longName = api.post("/events", SubscriptionIT.event("e".repeat(201), "my-channel", "x"));
        assertEquals(400, longName.status(), longName.toString());
        assertEquals("limit_exceeded", longName.json().get("code"));

        final Api.Response okName = api.post("/events", SubscriptionIT.event("e".repeat(200), "my-channel", "x"));
        assertEquals(200, okName.status(), okName.toString());

        final Api.Response badChannel = api.post("/events", SubscriptionIT.event("e", "bad name", "x"));
        assertEquals(400, badChannel.status(), badChannel.toString());

        final Api limited = server.api("lim-id", "lim-key", "lim-secret");
        final Api.Response threeChannels = limited.post("/events",
            "{\"name\":\"e\",\"channels\":[\"c1\",\"c2\",\"c3\"],\"data\":\"x\"}");
        assertEquals(400, threeChannels.status(), threeChannels.toString());
        assertEquals("limit_exceeded", threeChannels.json().get("code"));

        final Api.Response twoChannels = limited.post("/events",
            "{\"name\":\"e\",\"channels\":[\"c1\",\"c2\"],\"data\":\"x\"}");
        assertEquals(200, twoChannels.status(), twoChannels.toString());

        final Api.Response bigData = limited.post("/events", SubscriptionIT.event("e", "c1", "x".repeat(2048)));
        assertEquals(413, bigData.status(), bigData.toString());
        assertEquals("payload_too_large", bigData.json().get("code"));
    }

    /** Decided: documented default limits apply when unset: at most 100 channels per publish. */
    @Test
    void defaultChannelLimitIs100()
    {
        assertEquals(200, api.post("/events", manyChannels(100)).status());
        final Api.Response r = api.post("/events", manyChannels(101));
        assertEquals(400, r.status(), r.toString());
        assertEquals("limit_exceeded", r.json().get("code"));
    }

    /** Decided: documented default limits apply when unset: at most 10 events per batch. */
    @Test
    void defaultBatchLimitIs10()
    {
        assertEquals(200, api.post("/batch_events", batchOf(10)).status());
        final Api.Response r = api.post("/batch_events", batchOf(11));
        assertEquals(400, r.status(), r.toString());
        assertEquals("limit_exceeded", r.json().get("code"));
    }

    /** §9.51: health and unknown paths. */
    @Test
    void healthAndNotFound()
    {
        final Api.Response up = Api.raw(server.port(), "GET", "/up", null);
        assertEquals(200, up.status(), up.toString());
        assertEquals("OK", up.body());
        assertEquals("OK", up.header("x-health-check"));

        final Api.Response upApp = Api.raw(server.port(), "GET", "/up/app-id", null);
        assertEquals(200, upApp.status(), upApp.toString());

        final Api.Response unknown = Api.raw(server.port(), "GET", "/up/unknown", null);
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("NOT_FOUND", unknown.body());

        final Api.Response disabled = Api.raw(server.port(), "GET", "/up/disabled-id", null);
        assertEquals(503, disabled.status(), disabled.toString());
        assertEquals("ERROR", disabled.body());

        final Api.Response nope = Api.raw(server.port(), "GET", "/nope", null);
        assertEquals(404, nope.status(), nope.toString());
        assertEquals("404 NOT FOUND", nope.body());
        assertNotNull(nope.header("content-type"));
        assertTrue(nope.header("content-type").startsWith("text/plain"), nope.header("content-type"));
    }

    private static String manyChannels(final int count)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            names.add(Json.quote("ch-" + i));
        }
        return "{\"name\":\"e\",\"channels\":[" + String.join(",", names) + "],\"data\":\"x\"}";
    }

    private static String batchOf(final int count)
    {
        final List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            items.add(SubscriptionIT.event("e" + i, "ch-" + i, "x"));
        }
        return "{\"batch\":[" + String.join(",", items) + "]}";
    }
}
