package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * V1 heartbeat with {@code activity_timeout = 2}: spec pusher-v1 §9 test 37 (the pong timeout is the fixed 30 s,
 * so one test here takes about half a minute).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HeartbeatIT
{
    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start("activity_timeout = 2\n" + TestServer.FIXTURE);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** A silent client is pinged, then closed with 4201 when it never answers. */
    @Test
    void silentClientIsPingedThenClosed() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            assertEquals(2L, s.established().get("activity_timeout"));
            assertEquals(Map.of("event", "pusher:ping"), s.next(Duration.ofSeconds(15)));
            final Map<String, Object> error = s.next(Duration.ofSeconds(50));
            assertEquals("pusher:error", error.get("event"), error.toString());
            assertEquals(Map.of("code", 4201L, "message", "Pong reply not received in time"), error.get("data"));
            final RawWebSocket.Frame close = s.raw().expectClose();
            assertEquals(4201, close.closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** Answering each server ping with pusher:pong keeps the socket open: the next frame is another ping. */
    @Test
    void pongKeepsTheSocketOpen() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            for (int round = 0; round < 2; round++)
            {
                assertEquals(Map.of("event", "pusher:ping"), s.next(Duration.ofSeconds(15)), "round " + round);
                s.send("{\"event\":\"pusher:pong\",\"data\":{}}");
            }
            assertEquals(Map.of("event", "pusher:ping"), s.next(Duration.ofSeconds(15)));
            s.assertOpen();
        }
    }

    /** A client pusher:ping also answers a pending server ping. */
    @Test
    void clientPingAlsoClearsPendingPing() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            assertEquals(Map.of("event", "pusher:ping"), s.next(Duration.ofSeconds(15)));
            s.assertOpen();
            assertEquals(Map.of("event", "pusher:ping"), s.next(Duration.ofSeconds(15)));
            s.assertOpen();
        }
    }
}
