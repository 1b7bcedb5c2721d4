package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Watchlist events (spec pusher-v1 2.6, in the shape pusher-js listens for: {@code pusher_internal:watchlist_events}
 * with {@code data.events[] = {name, user_ids}}), on an app with {@code enable_watchlist_events}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchlistIT
{
    private static final String EVENT = "pusher_internal:watchlist_events";
    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start(TestServer.MAIN_APP + "enable_watchlist_events = true\n");
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldTellTheSigningInSocketWhoIsOnlineAndOffline() throws Exception
    {
        try (PusherSocket u2 = server.connect(); PusherSocket u1 = server.connect())
        {
            u2.signin("{\"id\":\"u2\"}");
            final String userData = "{\"id\":\"u1\",\"watchlist\":[\"u2\",\"u3\"]}";
            u1.sendSignin(userData, Sign.signinAuth(TestServer.APP_KEY, TestServer.APP_SECRET, u1.socketId(), userData));
            assertEquals(Map.of("event", EVENT, "data", Map.of("events", List.of(
                Map.of("name", "online", "user_ids", List.of("u2")),
                Map.of("name", "offline", "user_ids", List.of("u3"))))), u1.next());
            assertEquals("pusher:signin_success", u1.next().get("event"));
            u2.assertOpen();
        }
    }

    @Test
    void shouldTellWatchersWhenAWatchedUserComesOnlineAndGoesOffline() throws Exception
    {
        try (PusherSocket watcher = server.connect())
        {
            final String userData = "{\"id\":\"u1\",\"watchlist\":[\"u2\"]}";
            watcher.sendSignin(userData,
                Sign.signinAuth(TestServer.APP_KEY, TestServer.APP_SECRET, watcher.socketId(), userData));
            assertEquals(Map.of("event", EVENT, "data", Map.of("events", List.of(
                Map.of("name", "offline", "user_ids", List.of("u2"))))), watcher.next());
            assertEquals("pusher:signin_success", watcher.next().get("event"));

            final PusherSocket first = server.connect();
            first.signin("{\"id\":\"u2\"}");
            assertEquals(Map.of("event", EVENT, "data", Map.of("events", List.of(
                Map.of("name", "online", "user_ids", List.of("u2"))))), watcher.next());

            // a second socket of u2 changes nothing; u2 goes offline only with its last socket
            final PusherSocket second = server.connect();
            second.signin("{\"id\":\"u2\"}");
            first.close();
            second.assertOpen();
            second.close();
            assertEquals(Map.of("event", EVENT, "data", Map.of("events", List.of(
                Map.of("name", "offline", "user_ids", List.of("u2"))))), watcher.next());
            watcher.assertOpen();
        }
    }
}
