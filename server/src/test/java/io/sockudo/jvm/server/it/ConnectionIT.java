package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshake and connection admission: spec pusher-v1 §9 tests 1-8 and the decided fatal errors 4001/4003/4004.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionIT
{
    private static final String CONFIG = TestServer.FIXTURE
        + TestServer.app("quota-id", "quota-key", "quota-secret", true)
        + "[app_manager.array.apps.policy.limits]\n"
        + "max_connections = 1\n"
        + TestServer.app("origin-id", "origin-key", "origin-secret", true)
        + "[app_manager.array.apps.policy.channels]\n"
        + "allowed_origins = [\"https://good.example\"]\n"
        + "[[app_manager.array.apps]]\n"
        + "id = \"implicit-id\"\n"
        + "key = \"implicit-key\"\n"
        + "secret = \"implicit-secret\"\n";

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

    /** §9.1, §9.2, §9.4: the first frame, for the pusher-js URL, no query and a trailing slash. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/app/app-key?protocol=7&client=js&version=8.4.0&flash=false",
        "/app/app-key",
        "/app/app-key/",
        "/app/app-key?protocol=1",
        "/app/app-key?protocol=99&client=java&version=2.4.4"})
    void connectionEstablishedIsTheFirstFrame(final String target) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), target))
        {
            final Map<String, Object> frame = Json.parseObject(ws.nextText());
            assertEquals(2, frame.size(), "only event and data: " + frame);
            assertEquals("pusher:connection_established", frame.get("event"));
            assertTrue(frame.get("data") instanceof String, "data must be a JSON string: " + frame);
            final Map<String, Object> data = Json.parseObject((String)frame.get("data"));
            final String socketId = (String)data.get("socket_id");
            assertTrue(socketId.matches("^\\d+\\.\\d+$"), "socket_id " + socketId);
            assertEquals(120L, data.get("activity_timeout"));
            ws.sendText("{\"event\":\"pusher:ping\",\"data\":{}}");
            assertEquals(Map.of("event", "pusher:pong"), Json.parseObject(ws.nextText()));
        }
    }

    /** Two sockets get different ids. */
    @Test
    void socketIdsAreDistinct() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            assertTrue(!a.socketId().equals(b.socketId()), a.socketId() + " vs " + b.socketId());
        }
    }

    /** §9.3: a protocol value that is not an integer 0-255 fails query parsing before the upgrade. */
    @ParameterizedTest
    @ValueSource(strings = {"/app/app-key?protocol=abc", "/app/app-key?protocol=256", "/app/app-key?protocol=-1"})
    void badProtocolParameterIsHttp400(final String target) throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), target, Map.of()))
        {
            assertEquals(400, ws.status(), ws.responseHead());
        }
    }

    /** §9.5 (REC, decided): unknown key gets 4001 then close 4001. */
    @Test
    void unknownAppKeyIs4001() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/app/unknown-key" + PusherSocket.V1_QUERY))
        {
            PusherSocket.expectFatal(ws, 4001, "Application does not exist");
        }
    }

    /** §9.6 (REC, decided): disabled app gets 4003 then close 4003. */
    @Test
    void disabledAppIs4003() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/app/disabled-key" + PusherSocket.V1_QUERY))
        {
            PusherSocket.expectFatal(ws, 4003, "Application disabled");
        }
    }

    /** Decided: an app record without {@code enabled} is enabled. */
    @Test
    void enabledDefaultsToTrue() throws Exception
    {
        try (PusherSocket s = PusherSocket.connect(server.port(), "implicit-key", "implicit-secret"))
        {
            s.assertOpen();
        }
    }

    /** §9.7 (REC, decided): over max_connections gets 4004; the first socket is unaffected. */
    @Test
    void overConnectionQuotaIs4004() throws Exception
    {
        try (PusherSocket first = PusherSocket.connect(server.port(), "quota-key", "quota-secret"))
        {
            try (RawWebSocket second = RawWebSocket.connect(server.port(), "/app/quota-key" + PusherSocket.V1_QUERY))
            {
                PusherSocket.expectFatal(second, 4004, "Application is over adapter quota");
            }
            first.assertOpen();
            first.subscribe("my-channel");
        }
    }

    /** After the only socket of a quota-limited app leaves, a new one is admitted. */
    @Test
    void quotaIsReleasedOnDisconnect() throws Exception
    {
        try (PusherSocket first = PusherSocket.connect(server.port(), "quota-key", "quota-secret"))
        {
            first.raw().sendClose(1000, "bye");
            assertEquals(1000, first.raw().expectClose().closeCode());
        }
        boolean admitted = false;
        final long deadline = System.nanoTime() + RawWebSocket.TIMEOUT.toNanos();
        while (!admitted && System.nanoTime() < deadline)
        {
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/app/quota-key" + PusherSocket.V1_QUERY))
            {
                final Map<String, Object> frame = Json.parseObject(ws.nextText());
                if ("pusher:connection_established".equals(frame.get("event")))
                {
                    admitted = true;
                }
                else
                {
                    ws.awaitClosed(RawWebSocket.TIMEOUT);
                }
            }
        }
        assertTrue(admitted, "quota never released after the first socket closed");
    }

    /** §9.8: origin allow-list. */
    @Test
    void originNotAllowedIs4009() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(
            server.port(), "/app/origin-key" + PusherSocket.V1_QUERY, Map.of("Origin", "https://evil.example")))
        {
            PusherSocket.expectFatal(ws, 4009, "Origin not allowed");
        }
    }

    /** §9.8: an allowed origin connects (matching is case-insensitive). */
    @ParameterizedTest
    @ValueSource(strings = {"https://good.example", "HTTPS://GOOD.EXAMPLE"})
    void allowedOriginConnects(final String origin) throws Exception
    {
        final RawWebSocket ws = RawWebSocket.connect(
            server.port(), "/app/origin-key" + PusherSocket.V1_QUERY, Map.of("Origin", origin));
        try (PusherSocket s = PusherSocket.wrap(ws, "origin-key", "origin-secret"))
        {
            s.assertOpen();
        }
    }

    /** §9.8: no Origin header is treated as an empty origin and rejected. */
    @Test
    void missingOriginIs4009() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/app/origin-key" + PusherSocket.V1_QUERY))
        {
            PusherSocket.expectFatal(ws, 4009, "Origin not allowed");
        }
    }

    /** Apps without allowed_origins accept any origin. */
    @Test
    void appWithoutOriginListAcceptsAnyOrigin() throws Exception
    {
        final RawWebSocket ws = RawWebSocket.connect(
            server.port(), "/app/app-key" + PusherSocket.V1_QUERY, Map.of("Origin", "https://evil.example"));
        try (PusherSocket s = PusherSocket.wrap(ws, TestServer.APP_KEY, TestServer.APP_SECRET))
        {
            s.assertOpen();
        }
    }
}
