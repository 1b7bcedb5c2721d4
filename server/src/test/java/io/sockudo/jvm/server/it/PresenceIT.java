package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence channels: spec pusher-v1 §9 tests 19-25, the decided 4000 for object data without channel_data and
 * the decided no-op unsubscribe.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresenceIT
{
    private static final String ALICE = "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Alice\"}}";
    private static final String BOB = "{\"user_id\":\"u2\",\"user_info\":{\"name\":\"Bob\"}}";
    private static final String ALICE_AGAIN = "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Alice\"}}";
    private static final String CAROL = "{\"user_id\":\"u3\"}";

    private static final String CONFIG = TestServer.FIXTURE
        + TestServer.app("small-id", "small-key", "small-secret", true)
        + "[app_manager.array.apps.policy.limits]\n"
        + "max_presence_members_per_channel = 1\n";

    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start(CONFIG);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** §9.19-22: join, member_added, second socket of a user, member_removed only for the last socket. */
    @Test
    void membershipLifecycle() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c = server.connect())
        {
            // 19
            final Map<String, Object> first = a.subscribePresence("presence-room", ALICE);
            assertEquals(Map.of("ids", List.of("u1"), "hash", Map.of("u1", Map.of("name", "Alice")), "count", 1L),
                first);

            // 20
            final Map<String, Object> second = b.subscribePresence("presence-room", BOB);
            assertEquals(2L, second.get("count"));
            assertEquals(Set.of("u1", "u2"), Set.copyOf((List<?>)second.get("ids")));
            assertEquals(Map.of("u1", Map.of("name", "Alice"), "u2", Map.of("name", "Bob")), second.get("hash"));
            final Map<String, Object> added = a.next();
            assertEquals("pusher_internal:member_added", added.get("event"), added.toString());
            assertEquals("presence-room", added.get("channel"));
            assertEquals(String.class, added.get("data").getClass(), "member_added data must be a string");
            assertEquals(Map.of("user_id", "u2", "user_info", Map.of("name", "Bob")), PusherSocket.data(added));

            // 21: u1 again from another socket: no member_added anywhere
            final Map<String, Object> third = c.subscribePresence("presence-room", ALICE_AGAIN);
            assertEquals(2L, third.get("count"));
            assertEquals(Set.of("u1", "u2"), Set.copyOf((List<?>)third.get("ids")));

            // 22: B leaves, A and C are told u2 left
            b.raw().close();
            for (final PusherSocket s : List.of(a, c))
            {
                final Map<String, Object> removed = s.next();
                assertEquals("pusher_internal:member_removed", removed.get("event"), removed.toString());
                assertEquals("presence-room", removed.get("channel"));
                assertEquals(String.class, removed.get("data").getClass(), "member_removed data must be a string");
                assertEquals(Map.of("user_id", "u2"), PusherSocket.data(removed));
            }

            // C (second socket of u1) leaves: u1 is still present through A, so no member_removed
            c.raw().close();
            try (PusherSocket d = server.connect())
            {
                d.subscribePresence("presence-room", CAROL);
                final Map<String, Object> next = a.next();
                assertEquals("pusher_internal:member_added", next.get("event"), "A saw " + next);
                assertEquals(Map.of("user_id", "u3", "user_info", Map.of()), PusherSocket.data(next));
            }
        }
    }

    /**
     * A socket that joins after another member's join was acknowledged must not receive that member's
     * member_added afterwards (it is already in its subscription_succeeded list). Repeated because sockets of
     * one test land on different reactors and the ordering problem only shows when a cross-reactor delivery
     * races the late join.
     */
    @Test
    void lateJoinerGetsNoStaleMemberAdded() throws Exception
    {
        for (int round = 0; round < 30; round++)
        {
            final String channel = "presence-late-" + round;
            try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket c =
                server.connect())
            {
                a.subscribePresence(channel, ALICE);
                b.subscribePresence(channel, BOB);
                final Map<String, Object> joined = c.subscribePresence(channel, CAROL);
                assertEquals(3L, joined.get("count"));
                c.assertOpen();
                assertEquals("pusher_internal:member_added", a.next().get("event"));
                assertEquals("pusher_internal:member_added", a.next().get("event"));
                assertEquals("pusher_internal:member_added", b.next().get("event"));
                a.assertOpen();
                b.assertOpen();
            }
        }
    }

    /** Without user_info the member's hash entry is {}. */
    @Test
    void userInfoDefaultsToEmptyObject() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            final Map<String, Object> presence = a.subscribePresence("presence-room", CAROL);
            assertEquals(Map.of("ids", List.of("u3"), "hash", Map.of("u3", Map.of()), "count", 1L), presence);
        }
    }

    /** Unsubscribe sends member_removed; a second unsubscribe is a no-op (decided). */
    @Test
    void unsubscribeRemovesMemberOnce() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribePresence("presence-room", ALICE);
            b.subscribePresence("presence-room", BOB);
            assertEquals("pusher_internal:member_added", a.next().get("event"));
            b.unsubscribe("presence-room");
            b.assertOpen();
            final Map<String, Object> removed = a.next();
            assertEquals("pusher_internal:member_removed", removed.get("event"), removed.toString());
            assertEquals(Map.of("user_id", "u2"), PusherSocket.data(removed));

            b.unsubscribe("presence-room");
            b.assertOpen();
            try (PusherSocket c = server.connect())
            {
                c.subscribePresence("presence-room", CAROL);
                final Map<String, Object> next = a.next();
                assertEquals("pusher_internal:member_added", next.get("event"), "A saw " + next);
                assertEquals("u3", PusherSocket.data(next).get("user_id"));
            }
        }
    }

    /** §9.23: user_id must be a string. */
    @Test
    void numericUserIdIs4300() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String channelData = "{\"user_id\":42}";
            s.sendSubscribe("presence-num",
                Sign.presenceAuth("app-key", "app-secret", s.socketId(), "presence-num", channelData), channelData);
            s.expectError(4300, "Channel error: Missing user_id in channel_data");
            s.assertOpen();
            assertEquals(Map.of("occupied", false), server.api().get("/channels/presence-num").json());
        }
    }

    /** §9.24: string data without channel_data. */
    @Test
    void stringDataWithoutChannelDataIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String auth = Sign.privateAuth("app-key", "app-secret", s.socketId(), "presence-room");
            final String inner = "{\"channel\":\"presence-room\",\"auth\":" + Json.quote(auth) + "}";
            s.send("{\"event\":\"pusher:subscribe\",\"data\":" + Json.quote(inner) + "}");
            s.expectError(4000, "Invalid message format: Missing channel_data for presence channel");
            s.assertOpen();
        }
    }

    /** §9.24 (REC, decided): object data without channel_data is the same 4000, never a crash. */
    @Test
    void objectDataWithoutChannelDataIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("presence-room",
                Sign.privateAuth("app-key", "app-secret", s.socketId(), "presence-room"), null);
            s.expectError(4000, "Invalid message format: Missing channel_data for presence channel");
            s.assertOpen();
            s.subscribePresence("presence-room", ALICE);
        }
    }

    /** channel_data that is not JSON is 4000. */
    @Test
    void unparsableChannelDataIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String channelData = "not json";
            s.sendSubscribe("presence-room",
                Sign.presenceAuth("app-key", "app-secret", s.socketId(), "presence-room", channelData), channelData);
            s.expectError(4000, "Invalid message format: Invalid channel_data JSON for presence");
            s.assertOpen();
        }
    }

    /** A presence signature over different channel_data is refused. */
    @Test
    void tamperedChannelDataIs4009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("presence-room",
                Sign.presenceAuth("app-key", "app-secret", s.socketId(), "presence-room", ALICE), BOB);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.assertOpen();
        }
    }

    /** Decided: documented default limits apply when unset: 100 presence members per channel. */
    @Test
    void defaultMemberCapIs100() throws Exception
    {
        final java.util.List<PusherSocket> sockets = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 100; i++)
            {
                final PusherSocket s = server.connect();
                sockets.add(s);
                s.subscribePresence("presence-big", "{\"user_id\":\"m" + i + "\"}");
            }
            try (PusherSocket extra = server.connect())
            {
                final String data = "{\"user_id\":\"m100\"}";
                extra.sendSubscribe("presence-big",
                    Sign.presenceAuth("app-key", "app-secret", extra.socketId(), "presence-big", data), data);
                extra.expectError(4100, "Over capacity");
                extra.assertOpen();
            }
        }
        finally
        {
            for (final PusherSocket s : sockets)
            {
                s.close();
            }
        }
    }

    /** Decided: documented default limits apply when unset: user_info far over 2 KB is refused with 4300. */
    @Test
    void oversizedUserInfoIs4300() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String data = "{\"user_id\":\"u1\",\"user_info\":{\"bio\":\"" + "x".repeat(8 * 1024) + "\"}}";
            s.sendSubscribe("presence-room",
                Sign.presenceAuth("app-key", "app-secret", s.socketId(), "presence-room", data), data);
            final String message = s.expectError(4300);
            assertEquals(true, message.startsWith("Channel error: Presence member data size"), message);
            s.assertOpen();
        }
    }

    /** §9.25: over max_presence_members_per_channel is 4100, connection stays open. */
    @Test
    void overCapacityIs4100() throws Exception
    {
        try (PusherSocket a = PusherSocket.connect(server.port(), "small-key", "small-secret");
            PusherSocket b = PusherSocket.connect(server.port(), "small-key", "small-secret"))
        {
            a.subscribePresence("presence-room", ALICE);
            b.sendSubscribe("presence-room",
                Sign.presenceAuth("small-key", "small-secret", b.socketId(), "presence-room", BOB), BOB);
            b.expectError(4100, "Over capacity");
            b.assertOpen();
            a.assertOpen();
        }
    }
}
