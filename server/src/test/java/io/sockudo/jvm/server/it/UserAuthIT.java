package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * User authentication (signin), user-targeted delivery, the user-auth timeout and terminate_connections: spec
 * pusher-v1 §9 tests 34-36, 38, 39 and the terminate part of 45.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserAuthIT
{
    private static final String U1 = "{\"id\":\"u1\"}";
    private static final String CONFIG = TestServer.FIXTURE
        + TestServer.app("noauth-id", "noauth-key", "noauth-secret", true)
        + "[app_manager.array.apps.policy.features]\n"
        + "enable_user_authentication = false\n";

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

    /** The spec's signin test vector matches the test's signing code. */
    @Test
    void signinVector()
    {
        assertEquals("app-key:3d473cc356f847a3fe74d6659cf3f56160d2a5f6bee150d40bdcdbab6cc8aedb",
            Sign.signinAuth("app-key", "app-secret", "1234.5678", U1));
    }

    /** §9.34: signin success echoes user_data in an object. */
    @Test
    void signinSucceeds() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.signin(U1);
            s.assertOpen();
        }
    }

    /** §9.35: wrong signature. */
    @Test
    void signinWithWrongSignatureIs4009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSignin(U1, Sign.signinAuth("app-key", "app-secret", "1.2", U1));
            s.expectError(4009, "Authentication error: Connection not authorized for signin.");
            s.assertOpen();
        }
    }

    /** §9.35: app with user authentication disabled. */
    @Test
    void signinOnAppWithoutUserAuthIs4009() throws Exception
    {
        try (PusherSocket s = PusherSocket.connect(server.port(), "noauth-key", "noauth-secret"))
        {
            s.sendSignin(U1, Sign.signinAuth("noauth-key", "noauth-secret", s.socketId(), U1));
            s.expectError(4009, "Authentication error: User authentication is disabled for this app");
            s.assertOpen();
        }
    }

    /** user_data without an id, or a string data, are refused. */
    @Test
    void malformedSignin() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String noId = "{\"name\":\"x\"}";
            s.sendSignin(noId, Sign.signinAuth("app-key", "app-secret", s.socketId(), noId));
            assertTrue(s.expectError(4009).startsWith("Authentication error: "));
            s.send("{\"event\":\"pusher:signin\",\"data\":\"x\"}");
            s.expectError(4000, "Invalid message format: Invalid signin data format");
            s.assertOpen();
        }
    }

    /** §9.36: #server-to-user-{id} reaches every socket of that user and nobody else. */
    @Test
    void serverToUserDelivery() throws Exception
    {
        try (PusherSocket a1 = server.connect(); PusherSocket a2 = server.connect(); PusherSocket other =
            server.connect())
        {
            a1.signin(U1);
            a2.signin(U1);
            other.signin("{\"id\":\"u2\"}");
            other.subscribe("my-channel");
            final Api api = server.api();
            final Api.Response r =
                api.post("/events", SubscriptionIT.event("hello", "#server-to-user-u1", "{\"a\":1}"));
            assertEquals(200, r.status(), r.toString());
            final Map<String, Object> expected =
                Map.of("event", "hello", "channel", "#server-to-user-u1", "data", "{\"a\":1}");
            assertEquals(expected, a1.next());
            assertEquals(expected, a2.next());
            assertEquals(200, api.post("/events", SubscriptionIT.event("later", "my-channel", "x")).status());
            assertEquals(Map.of("event", "later", "channel", "my-channel", "data", "x"), other.next());
        }
    }

    /** §9.39: terminate_connections closes the user's sockets with 4009. */
    @Test
    void terminateConnections() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect(); PusherSocket other =
            server.connect())
        {
            a.signin(U1);
            b.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            other.signin("{\"id\":\"u2\"}");
            final Api.Response r = server.api().post("/users/u1/terminate_connections", "{}");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("ok", true), r.json());
            a.expectFatal(4009, "You got disconnected by the app.");
            b.expectFatal(4009, "You got disconnected by the app.");
            other.assertOpen();
        }
    }

    /** Terminating a user with no sockets is fine. */
    @Test
    void terminateUnknownUser()
    {
        final Api.Response r = server.api().post("/users/nobody/terminate_connections", "{}");
        assertEquals(200, r.status(), r.toString());
        assertEquals(Map.of("ok", true), r.json());
    }

    /** §9.45: an empty-body POST still needs body_md5 (4.4.0); with the empty-body MD5 it passes. */
    @Test
    void terminateWithEmptyBodyNeedsMd5()
    {
        final Api api = server.api();
        final Api.Response without = api.request("POST", "/apps/app-id/users/u1/terminate_connections")
            .body("").withMd5(false).send();
        assertEquals(401, without.status(), without.toString());
        final Api.Response with = api.request("POST", "/apps/app-id/users/u1/terminate_connections")
            .body("").md5(Api.EMPTY_MD5).send();
        assertEquals(200, with.status(), with.toString());
    }

    /** §9.38: user-auth timeout closes sockets that did not authenticate; signed-in ones stay. */
    @Test
    void userAuthenticationTimeout() throws Exception
    {
        server.close();
        server = TestServer.start("user_authentication_timeout = 2\n" + TestServer.FIXTURE);
        try (PusherSocket signedIn = server.connect(); PusherSocket joined = server.connect())
        {
            signedIn.signin(U1);
            joined.subscribePrivate("private-x");
            try (PusherSocket idle = server.connect())
            {
                idle.subscribe("public-only");
                final Map<String, Object> frame = idle.next(Duration.ofSeconds(20));
                assertEquals("pusher:error", frame.get("event"), frame.toString());
                assertEquals(Map.of("code", 4009L, "message", "Connection not authorized within timeout."),
                    frame.get("data"));
                final RawWebSocket.Frame close = idle.raw().expectClose();
                assertEquals(4009, close.closeCode());
                assertTrue(idle.raw().awaitClosed(RawWebSocket.TIMEOUT));
            }
            signedIn.assertOpen();
            joined.assertOpen();
            assertFalse(signedIn.raw().isClosed());
        }
    }
}
