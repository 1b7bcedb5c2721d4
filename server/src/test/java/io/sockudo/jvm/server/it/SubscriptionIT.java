package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscribe and unsubscribe for public and private channels and channel-name rules: spec pusher-v1 §9 tests
 * 13-18, 26 (with the decided character set), 27 and the decided unsubscribe no-op.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionIT
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

    /** §9.13: public subscribe with object data. */
    @Test
    void subscribePublicChannel() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"my-channel\"}}");
            assertEquals(
                Map.of("event", "pusher_internal:subscription_succeeded", "channel", "my-channel", "data", "{}"),
                s.next());
        }
    }

    /** §9.14: subscribe data given as a JSON-encoded string. */
    @Test
    void subscribeWithStringData() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"pusher:subscribe\",\"data\":\"{\\\"channel\\\":\\\"my-channel\\\"}\"}");
            s.expectSubscribed("my-channel");
        }
    }

    /** The {@code sockudo:} prefix is accepted on V1 sockets as an alias of {@code pusher:}. */
    @Test
    void sockudoPrefixIsAccepted() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"my-channel\"}}");
            s.expectSubscribed("my-channel");
        }
    }

    /** Subscribing again to a public channel answers success again. */
    @Test
    void resubscribePublicAnswersAgain() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe("my-channel");
            s.subscribe("my-channel");
            s.assertOpen();
        }
    }

    /** Missing channel field is 4000. */
    @Test
    void subscribeWithoutChannelIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"pusher:subscribe\",\"data\":{}}");
            s.expectError(4000, "Invalid message format: Missing channel field");
            s.assertOpen();
        }
    }

    /** §9.15: private channel without auth. */
    @Test
    void privateWithoutAuthIs4009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("private-foo", null, null);
            s.expectError(4009, "Authentication error: Authentication signature required for this channel");
            s.assertOpen();
        }
    }

    /** §9.16: wrong signature; the channel stays unoccupied. */
    @Test
    void privateWithBadSignatureIs4009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("private-foo", "app-key:deadbeef", null);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.assertOpen();
            final Api.Response r = server.api().get("/channels/private-foo");
            assertEquals(200, r.status(), r.toString());
            assertEquals(Map.of("occupied", false), r.json());
        }
    }

    /** §9.17: correct private signature. */
    @Test
    void privateWithValidSignature() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribePrivate("private-foo");
            final Api.Response r = server.api().get("/channels/private-foo");
            assertEquals(Map.of("occupied", true), r.json());
        }
    }

    /** A signature for another socket id or another channel is refused. */
    @Test
    void signatureBoundToSocketAndChannel() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("private-foo", Sign.privateAuth("app-key", "app-secret", "1234.5678", "private-foo"), null);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.sendSubscribe("private-foo", Sign.privateAuth("app-key", "app-secret", s.socketId(), "private-bar"),
                null);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.assertOpen();
        }
    }

    /** §9.18: wrong key prefix with the correct hex. */
    @Test
    void privateWithWrongKeyPrefixIs4009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final String good = Sign.privateAuth("app-key", "app-secret", s.socketId(), "private-foo");
            s.sendSubscribe("private-foo", "other-key" + good.substring("app-key".length()), null);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.assertOpen();
        }
    }

    /** private-encrypted channels use the private signature. */
    @Test
    void privateEncryptedNeedsSignature() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("private-encrypted-foo", "app-key:deadbeef", null);
            s.expectError(4009, "Authentication error: Channel requires authentication");
            s.subscribePrivate("private-encrypted-foo");
        }
    }

    /** Decided: Pusher's character set including ',' and ';' (4.4.0 answered 4300). */
    @ParameterizedTest
    @ValueSource(strings = {"bad,name", "bad;name", "a-b_c=d@e.f", "#server-to-user-x", "x"})
    void pusherCharacterSetSubscribes(final String channel) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe(channel);
        }
    }

    /** Characters outside the set are 4300. */
    @ParameterizedTest
    @ValueSource(strings = {"bad name", "bad*name", "bad/name", "b\u00e4d"})
    void invalidCharactersAre4300(final String channel) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe(channel, null, null);
            final String message = s.expectError(4300);
            assertEquals(true, message.startsWith("Channel error: "), message);
            s.assertOpen();
        }
    }

    /** §9.26: 200 characters pass, 201 are too long. */
    @Test
    void channelNameLength() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe("c".repeat(200));
            s.sendSubscribe("c".repeat(201), null, null);
            s.expectError(4300, "Channel error: Channel name too long. Max length is 200");
            s.assertOpen();
        }
    }

    /** §9.26: ':' needs a configured namespace. */
    @Test
    void unknownNamespaceIs4300() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.sendSubscribe("chat:room", null, null);
            s.expectError(4300, "Channel error: Unknown channel namespace 'chat'");
            s.assertOpen();
        }
    }

    /** §9.27: unsubscribe (object and bare-string forms) gets no reply and stops delivery. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"my-channel\"}}",
        "{\"event\":\"pusher:unsubscribe\",\"data\":\"my-channel\"}"})
    void unsubscribeStopsDelivery(final String unsubscribe) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.subscribe("my-channel");
            s.subscribe("other-channel");
            s.send(unsubscribe);
            s.assertOpen();
            final Api api = server.api();
            assertEquals(200, api.post("/events", event("e1", "my-channel", "one")).status());
            assertEquals(200, api.post("/events", event("e2", "other-channel", "two")).status());
            assertEquals(Map.of("event", "e2", "channel", "other-channel", "data", "two"), s.next());
            assertEquals(Map.of("occupied", false), api.get("/channels/my-channel").json());
        }
    }

    /** Unsubscribe without a channel is 4000. */
    @Test
    void unsubscribeWithoutChannelIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"pusher:unsubscribe\"}");
            s.expectError(4000);
            s.assertOpen();
        }
    }

    /** Decided: unsubscribing a channel the socket never joined is a no-op (no reply, no error). */
    @Test
    void unsubscribeNotJoinedIsNoOp() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.unsubscribe("never-joined");
            s.unsubscribe("private-never");
            s.assertOpen();
        }
    }

    static String event(final String name, final String channel, final String data)
    {
        return "{\"name\":" + Json.quote(name) + ",\"channel\":" + Json.quote(channel) + ",\"data\":"
            + Json.quote(data) + "}";
    }
}
