package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.PresenceUser;
import com.pusher.rest.data.Result;

/**
 * The official server SDK {@code pusher-http-java} against the server: trigger, socket_id exclusion, batch,
 * channel queries, presence users and its channel/presence auth helpers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PusherHttpJavaIT
{
    private TestServer server;
    private Pusher pusher;

    @BeforeEach
    void start()
    {
        server = TestServer.start();
        pusher = new Pusher(TestServer.APP_ID, TestServer.APP_KEY, TestServer.APP_SECRET);
        pusher.setHost("127.0.0.1:" + server.port());
        pusher.setEncrypted(false);
    }

    @AfterEach
    void stop() throws Exception
    {
        pusher.close();
        server.close();
    }

    private static Map<String, Object> ok(final Result result)
    {
        assertEquals(Result.Status.SUCCESS, result.getStatus(), result.getHttpStatus() + " " + result.getMessage());
        return Json.parseObject(result.getMessage());
    }

    /** trigger to one and to several channels. */
    @Test
    void trigger() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("other-channel");
            ok(pusher.trigger("my-channel", "my-event", Map.of("hello", "world")));
            assertEquals(Map.of("event", "my-event", "channel", "my-channel", "data", "{\"hello\":\"world\"}"),
                a.next());
            ok(pusher.trigger(List.of("my-channel", "other-channel"), "both", Map.of("n", 1)));
            assertEquals(Map.of("event", "both", "channel", "my-channel", "data", "{\"n\":1}"), a.next());
            assertEquals(Map.of("event", "both", "channel", "other-channel", "data", "{\"n\":1}"), b.next());
        }
    }

    /** trigger with socket_id exclusion. */
    @Test
    void triggerExcludingSocket() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("my-channel");
            ok(pusher.trigger("my-channel", "first", Map.of("i", 1), a.socketId()));
            assertEquals("first", b.next().get("event"));
            ok(pusher.trigger("my-channel", "second", Map.of("i", 2)));
            assertEquals("second", a.next().get("event"), "A must not have received the excluded event");
            assertEquals("second", b.next().get("event"));
        }
    }

    /** batch trigger, with a per-event socket_id. */
    @Test
    void batchTrigger() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            b.subscribe("my-channel");
            ok(pusher.trigger(List.of(
                new Event("my-channel", "b1", Map.of("i", 1)),
                new Event("my-channel", "b2", Map.of("i", 2), a.socketId()),
                new Event("my-channel", "b3", Map.of("i", 3)))));
            assertEquals("b1", a.next().get("event"));
            assertEquals("b3", a.next().get("event"));
            assertEquals("b1", b.next().get("event"));
            assertEquals("b2", b.next().get("event"));
            assertEquals("b3", b.next().get("event"));
        }
    }

    /** get("/channels"), get("/channels/x") with info, get("/channels/x/users"). */
    @Test
    @SuppressWarnings("unchecked")
    void channelQueries() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            b.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");

            assertEquals(Map.of("channels", Map.of("my-channel", Map.of(), "presence-room", Map.of())),
                ok(pusher.get("/channels")));
            assertEquals(Map.of("channels", Map.of("presence-room", Map.of("user_count", 2L))),
                ok(pusher.get("/channels", Map.of("filter_by_prefix", "presence-", "info", "user_count"))));
            assertEquals(Map.of("occupied", true, "subscription_count", 1L),
                ok(pusher.get("/channels/my-channel", Map.of("info", "subscription_count"))));
            assertEquals(Map.of("occupied", true, "subscription_count", 2L, "user_count", 2L),
                ok(pusher.get("/channels/presence-room", Map.of("info", "subscription_count,user_count"))));
            assertEquals(Map.of("occupied", false), ok(pusher.get("/channels/nobody-here")));

            final List<Object> users = (List<Object>)ok(pusher.get("/channels/presence-room/users")).get("users");
            final Set<Object> ids = new HashSet<>();
            for (final Object u : users)
            {
                ids.add(((Map<String, Object>)u).get("id"));
            }
            assertEquals(2, users.size());
            assertEquals(Set.of("u1", "u2"), ids);
        }
    }

    /** Errors come back as client errors through the SDK. */
    @Test
    void sdkSeesAuthenticationErrors()
    {
        final Pusher wrong = new Pusher(TestServer.APP_ID, TestServer.APP_KEY, "not-the-secret");
        wrong.setHost("127.0.0.1:" + server.port());
        wrong.setEncrypted(false);
        final Result result = wrong.trigger("my-channel", "e", Map.of("a", 1));
        assertEquals(401, result.getHttpStatus(), result.getMessage());
    }

    /** The SDK's authenticate() output is accepted for private and presence subscriptions. */
    @Test
    void sdkAuthSignaturesAreAccepted() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final Map<String, Object> privateAuth = Json.parseObject(pusher.authenticate(s.socketId(), "private-foo"));
            s.sendSubscribe("private-foo", (String)privateAuth.get("auth"), null);
            s.expectSubscribed("private-foo");

            final Map<String, Object> presenceAuth = Json.parseObject(
                pusher.authenticate(s.socketId(), "presence-room", new PresenceUser("u9", Map.of("name", "Nine"))));
            s.sendSubscribe(
                "presence-room", (String)presenceAuth.get("auth"), (String)presenceAuth.get("channel_data"));
            final Map<String, Object> frame = s.expectEvent("pusher_internal:subscription_succeeded");
            assertEquals(Map.of("presence", Map.of("ids", List.of("u9"), "hash", Map.of("u9", Map.of("name", "Nine")),
                "count", 1L)), PusherSocket.data(frame));
        }
    }
}
