package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client events: spec pusher-v1 §9 tests 28-33, the decided user_id on presence channels, verbatim data and
 * refusal on private-encrypted channels.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientEventIT
{
    private static final String CONFIG = TestServer.FIXTURE
        + TestServer.app("quiet-id", "quiet-key", "quiet-secret", true)
        + "[app_manager.array.apps.policy.features]\n"
        + "enable_client_messages = false\n"
        + TestServer.app("rl-id", "rl-key", "rl-secret", true)
        + "[app_manager.array.apps.policy.limits]\n"
        + "max_client_events_per_second = 2\n"
        + "decay_seconds = 60\n"
        + "terminate_on_limit = false\n"
        + "max_event_payload_in_kb = 1\n"
        + "[app_manager.array.apps.policy.features]\n"
        + "enable_client_messages = true\n"
        + TestServer.app("rlt-id", "rlt-key", "rlt-secret", true)
        + "[app_manager.array.apps.policy.limits]\n"
        + "max_client_events_per_second = 2\n"
        + "decay_seconds = 60\n"
        + "terminate_on_limit = true\n"
        + "[app_manager.array.apps.policy.features]\n"
        + "enable_client_messages = true\n";

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

    /** §9.28: relayed to the other member, not echoed to the sender. */
    @Test
    void clientEventRelayedToOthersOnly() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribePrivate("private-chat");
            b.subscribePrivate("private-chat");
            a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"x\":1}}");
            assertEquals(
                Map.of("event", "client-typing", "channel", "private-chat", "data", Map.of("x", 1L)), b.next());
            a.assertOpen();
        }
    }

    /** Decided: data relayed as sent; a JSON string stays a string, object keys are kept. */
    @Test
    void dataRelayedVerbatim() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribePrivate("private-chat");
            b.subscribePrivate("private-chat");
            a.send("{\"event\":\"client-s\",\"channel\":\"private-chat\",\"data\":\"{\\\"x\\\":1}\"}");
            assertEquals(Map.of("event", "client-s", "channel", "private-chat", "data", "{\"x\":1}"), b.next());
            a.send("{\"event\":\"client-o\",\"channel\":\"private-chat\",\"data\":{\"channel\":\"c\",\"user_data\":"
                + "\"u\",\"n\":[1,2]}}");
            final Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("channel", "c");
            expected.put("user_data", "u");
            expected.put("n", java.util.List.of(1L, 2L));
            assertEquals(Map.of("event", "client-o", "channel", "private-chat", "data", expected), b.next());
        }
    }

    /** §9.29: public channels refuse client events. */
    @Test
    void publicChannelIs4301() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.subscribe("my-channel");
            a.send("{\"event\":\"client-x\",\"channel\":\"my-channel\",\"data\":{}}");
            a.expectError(4301, "Client event error: Client events can only be sent to private or presence channels");
            a.assertOpen();
        }
    }

    /** Missing channel is 4301. */
    @Test
    void missingChannelIs4301() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.send("{\"event\":\"client-x\",\"data\":{}}");
            a.expectError(4301, "Client event error: Channel required for client event");
            a.assertOpen();
        }
    }

    /** §9.30: not subscribed. */
    @Test
    void notSubscribedIs4301() throws Exception
    {
        try (PusherSocket a = server.connect())
        {
            a.send("{\"event\":\"client-x\",\"channel\":\"private-other\",\"data\":{}}");
            final String message = a.expectError(4301);
            assertTrue(message.contains("is not subscribed to channel private-other"), message);
            a.assertOpen();
        }
    }

    /** §9.31: app without client messages. */
    @Test
    void disabledClientMessagesIs4301() throws Exception
    {
        try (PusherSocket a = PusherSocket.connect(server.port(), "quiet-key", "quiet-secret"))
        {
            a.subscribePrivate("private-chat");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-chat\",\"data\":{}}");
            a.expectError(4301, "Client event error: Client events are not enabled for this app");
            a.assertOpen();
        }
    }

    /** §9.32 (REC, decided): presence client events carry the sender's user_id. */
    @Test
    void presenceClientEventCarriesUserId() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            b.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            assertEquals("pusher_internal:member_added", a.next().get("event"));
            a.send("{\"event\":\"client-hi\",\"channel\":\"presence-room\",\"data\":{\"x\":1}}");
            assertEquals(
                Map.of("event", "client-hi", "channel", "presence-room", "data", Map.of("x", 1L), "user_id", "u1"),
                b.next());
            b.send("{\"event\":\"client-hi\",\"channel\":\"presence-room\",\"data\":{\"x\":2}}");
            assertEquals(
                Map.of("event", "client-hi", "channel", "presence-room", "data", Map.of("x", 2L), "user_id", "u2"),
                a.next());
        }
    }

    /** Decided: private-encrypted channels refuse client events (Pusher semantics). */
    @Test
    void privateEncryptedIs4301() throws Exception
    {
        try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribePrivate("private-encrypted-chat");
            b.subscribePrivate("private-encrypted-chat");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-encrypted-chat\",\"data\":{}}");
            final String message = a.expectError(4301);
            assertTrue(message.startsWith("Client event error: "), message);
            a.assertOpen();
            b.assertOpen();
        }
    }

    /** Payload over max_event_payload_in_kb is 4301. */
    @Test
    void payloadOverLimitIs4301() throws Exception
    {
        try (PusherSocket a = PusherSocket.connect(server.port(), "rl-key", "rl-secret"))
        {
            a.subscribePrivate("private-chat");
            a.send("{\"event\":\"client-x\",\"channel\":\"private-chat\",\"data\":\"" + "x".repeat(2048) + "\"}");
            final String message = a.expectError(4301);
            assertTrue(message.startsWith("Client event error: Event payload size"), message);
            a.assertOpen();
        }
    }

    /** §9.33: the third client event in the window is rejected; the socket stays open. */
    @Test
    void clientEventRateLimit() throws Exception
    {
        try (PusherSocket a = PusherSocket.connect(server.port(), "rl-key", "rl-secret");
            PusherSocket b = PusherSocket.connect(server.port(), "rl-key", "rl-secret"))
        {
            a.subscribePrivate("private-chat");
            b.subscribePrivate("private-chat");
            for (int i = 1; i <= 3; i++)
            {
                a.send("{\"event\":\"client-n\",\"channel\":\"private-chat\",\"data\":{\"i\":" + i + "}}");
            }
            a.expectError(4301, "Client event rejected due to rate limit");
            a.assertOpen();
            assertEquals(Map.of("i", 1L), b.next().get("data"));
            assertEquals(Map.of("i", 2L), b.next().get("data"));
            b.assertOpen();
        }
    }

    /** §9.33 with terminate_on_limit: one error, then close 4301 (decided: fatal errors sent once). */
    @Test
    void clientEventRateLimitTerminates() throws Exception
    {
        try (PusherSocket a = PusherSocket.connect(server.port(), "rlt-key", "rlt-secret"))
        {
            a.subscribePrivate("private-chat");
            for (int i = 1; i <= 3; i++)
            {
                a.send("{\"event\":\"client-n\",\"channel\":\"private-chat\",\"data\":{}}");
            }
            a.expectFatal(4301, "Connection closed due to client event rate limit");
        }
    }
}
