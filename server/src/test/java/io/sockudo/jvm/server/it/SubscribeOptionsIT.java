package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The V2 extensions of the subscribe payload (rewind, modes) and namespace permission flags (spec protocol-v2
 * behaviours 25, 26 without history, 33, 34 and 35).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscribeOptionsIT
{
    private static final String NAMESPACE = TestServer.MAIN_APP +
        "[[app_manager.array.apps.policy.channels.channel_namespaces]]\n" +
        "name = \"chat\"\nchannel_name_pattern = \"^chat:[a-z0-9-]+$\"\nannotations_enabled = true\n" +
        "[[app_manager.array.apps.policy.channels.channel_namespaces]]\n" +
        "name = \"locked\"\nallow_subscribe_for_client = false\n" +
        "[[app_manager.array.apps.policy.channels.channel_namespaces]]\n" +
        "name = \"quiet\"\nallow_publish_for_client = false\n";

    private static Map<?, ?> error(final Map<String, Object> frame)
    {
        return (Map<?, ?>)frame.get("data");
    }

    @Test
    void shouldRefuseRewindOnV1AndMalformedRewindEverywhere() throws Exception
    {
        try (TestServer server = TestServer.start(); PusherSocket v1 = server.connect(); V2Client v2 = V2Client.connect(server))
        {
            v1.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\",\"rewind\":5}}");
            v1.expectError(4300, "Channel error: Channel rewind is only supported on protocol V2");
            v1.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\",\"rewind\":0}}");
            v1.expectError(4000, "Invalid message format: Invalid rewind option in subscription data");
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"news\",\"rewind\":{\"count\":0}}}");
            assertEquals(4000L, error(v2.next()).get("code"));
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"news\",\"rewind\":{\"count\":2}}}");
            assertEquals(Map.of("code", 4300L, "message",
                "Channel error: Channel rewind is disabled by policy for channel 'news'"), error(v2.next()));
        }
    }

    @Test
    void shouldCheckSubscriptionModes() throws Exception
    {
        try (TestServer server = TestServer.start(NAMESPACE); V2Client v2 = V2Client.connect(server))
        {
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":\"ANNOTATION_SUBSCRIBE\"}}");
            assertEquals(Map.of("code", 4000L, "message", "Invalid message format: subscription modes must be an array"),
                error(v2.next()));
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":[\"ANNOTATION_SUBSCRIBE\"]}}");
            assertEquals(Map.of("code", 4300L, "message",
                "Channel error: Annotations are disabled globally for channel 'chat:room'"), error(v2.next()));
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\",\"modes\":[\"SUBSCRIBE\"]}}");
            assertEquals("sockudo_internal:subscription_succeeded", v2.next().get("event"),
                "other modes are ignored");
        }
        try (TestServer server = TestServer.start("[versioned_messages]\nenabled = true\n[annotations]\nenabled = true\n" +
            NAMESPACE); V2Client v2 = V2Client.connect(server))
        {
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":[\"ANNOTATION_SUBSCRIBE\"]}}");
            assertEquals(Map.of("code", 4009L, "message", "Authentication error: Connection is not allowed to " +
                "receive raw annotations for channel 'chat:room'"), error(v2.next()));
        }
    }

    @Test
    void shouldApplyNamespacePermissionFlagsToV2Only() throws Exception
    {
        try (TestServer server = TestServer.start(NAMESPACE); V2Client v2 = V2Client.connect(server);
            PusherSocket v1 = server.connect())
        {
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"locked:room\"}}");
            assertEquals(Map.of("code", 4009L, "message",
                "Authentication error: Channel namespace 'locked' does not allow client subscriptions"),
                error(v2.next()));
            v1.subscribe("locked:room");

            final String channel = "private-quiet:room";
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":" +
                Json.quote(Sign.privateAuth(TestServer.APP_KEY, TestServer.APP_SECRET, v2.socketId(), channel)) + "}}");
            assertEquals("sockudo_internal:subscription_succeeded", v2.next().get("event"));
            v2.send("{\"event\":\"client-x\",\"channel\":\"" + channel + "\",\"data\":{}}");
            assertEquals(Map.of("code", 4009L, "message",
                "Authentication error: Channel namespace 'quiet' does not allow client publishing"), error(v2.next()));
        }
    }

    @Test
    void shouldApplySignInCapabilitiesToV2Subscriptions() throws Exception
    {
        try (TestServer server = TestServer.start("[versioned_messages]\nenabled = true\n[annotations]\nenabled = true\n" +
            NAMESPACE); V2Client v2 = V2Client.connect(server); V2Client raw = V2Client.connect(server))
        {
            HistoryIT.signin(v2, "{\"id\":\"u1\",\"capabilities\":{\"subscribe\":[\"news\",\"chat:*\"," +
                "\"private-chat:*\"],\"publish\":[\"news\"]}}");
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"other\"}}");
            assertEquals(Map.of("code", 4009L, "message",
                "Authentication error: Connection is not allowed to subscribe channel 'other'"), error(v2.next()));
            v2.subscribe("news");
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":[\"ANNOTATION_SUBSCRIBE\"]}}");
            assertEquals(Map.of("code", 4009L, "message",
                "Authentication error: Connection is not allowed to annotation_subscribe channel 'chat:room'"),
                error(v2.next()));
            final String channel = "private-chat:room";
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":" +
                Json.quote(Sign.privateAuth(TestServer.APP_KEY, TestServer.APP_SECRET, v2.socketId(), channel)) + "}}");
            assertEquals("sockudo_internal:subscription_succeeded", v2.next().get("event"));
            v2.send("{\"event\":\"client-x\",\"channel\":\"" + channel + "\",\"data\":{}}");
            assertEquals(Map.of("code", 4009L, "message",
                "Authentication error: Connection is not allowed to publish channel '" + channel + "'"),
                error(v2.next()));

            HistoryIT.signin(raw, "{\"id\":\"u2\",\"capabilities\":{\"annotation-subscribe\":[\"chat:*\"]}}");
            raw.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":[\"ANNOTATION_SUBSCRIBE\"]}}");
            assertEquals("sockudo_internal:subscription_succeeded", raw.next().get("event"));
        }
    }
}
