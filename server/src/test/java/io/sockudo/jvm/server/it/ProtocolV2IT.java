package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol V2 on the connection (spec protocol-v2 sections 1 and 4.4, behaviours 1-4, 6 and 32) with the JDK's own
 * WebSocket client.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProtocolV2IT
{
    private static final Pattern UUID =
        Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

    @Test
    void shouldGreetV2SocketsWithSockudoNamesAndAMessageId() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client v2 = V2Client.connect(server))
        {
            final Map<String, Object> hello = v2.established();
            assertEquals("sockudo:connection_established", hello.get("event"));
            assertTrue(UUID.matcher((String)hello.get("message_id")).matches(), hello.toString());
            assertFalse(hello.containsKey("serial"));
            assertEquals(120L, Json.parseObject((String)hello.get("data")).get("activity_timeout"));
        }
    }

    @Test
    void shouldKeepV1FramesFreeOfV2Fields() throws Exception
    {
        try (TestServer server = TestServer.start(); PusherSocket v1 = server.connect())
        {
            assertFalse(v1.established().containsKey("message_id"));
            v1.subscribe("news");
        }
    }

    @Test
    void shouldRefuseUnknownOrBinaryWireFormatsBeforeTheUpgrade() throws Exception
    {
        try (TestServer server = TestServer.start())
        {
            for (final String format : new String[]{"xml", "msgpack", "protobuf"})
            {
                final RawWebSocket ws = RawWebSocket.open(server.port(),
                    "/app/" + TestServer.APP_KEY + "?protocol=2&format=" + format, Map.of());
                assertEquals(400, ws.status(), format);
                ws.close();
            }
            // V1 ignores format
            try (RawWebSocket ws = RawWebSocket.connect(server.port(),
                "/app/" + TestServer.APP_KEY + "?protocol=7&format=xml"))
            {
                assertTrue(ws.nextText().contains("pusher:connection_established"));
            }
            try (V2Client json = V2Client.connect(server, "&format=JSON"))
            {
                assertEquals("sockudo:connection_established", json.established().get("event"));
            }
        }
    }

    @Test
    void shouldAcceptEitherInboundPrefixAndAnswerWithSockudoNames() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client v2 = V2Client.connect(server))
        {
            v2.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"news\"}}");
            final Map<String, Object> ok = v2.next();
            assertEquals("sockudo_internal:subscription_succeeded", ok.get("event"));
            assertEquals("news", ok.get("channel"));
            assertEquals("{}", ok.get("data"));
            assertTrue(UUID.matcher((String)ok.get("message_id")).matches());

            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"}}");
            final Map<String, Object> error = v2.next();
            assertEquals("sockudo:error", error.get("event"));
            assertEquals(Map.of("code", 4300L, "message", "Channel error: Unknown channel namespace 'chat'"),
                error.get("data"));
            assertTrue(error.containsKey("message_id"));

            v2.send("{\"event\":\"pusher:ping\"}");
            final Map<String, Object> pong = v2.next();
            assertEquals(Map.of("event", "sockudo:pong"), pong, "pong carries no message_id");
        }
    }

    @Test
    void shouldDeliverPlainPublishesAlikeToV1AndV2WithoutSerials() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client v2 = V2Client.connect(server);
            PusherSocket v1 = server.connect())
        {
            v2.subscribe("news");
            v1.subscribe("news");
            assertEquals(200,
                server.api().post("/events", "{\"name\":\"e\",\"channel\":\"news\",\"data\":\"x\"}").status());
            final Map<String, Object> expected = Map.of("event", "e", "channel", "news", "data", "x");
            assertEquals(expected, v2.next());
            assertEquals(expected, v1.next());
        }
    }

    @Test
    void shouldNameMemberEventsPerProtocol() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client v2 = V2Client.connect(server))
        {
            final PusherSocket v1 = server.connect();
            v1.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            final String channelData = "{\"user_id\":\"u2\"}";
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"presence-room\",\"auth\":" +
                Json.quote(Sign.presenceAuth(TestServer.APP_KEY, TestServer.APP_SECRET, v2.socketId(), "presence-room",
                    channelData)) + ",\"channel_data\":" + Json.quote(channelData) + "}}");
            assertEquals("sockudo_internal:subscription_succeeded", v2.next().get("event"));
            final Map<String, Object> added = v1.next();
            assertEquals("pusher_internal:member_added", added.get("event"));
            v1.raw().close(); // disconnect: the V2 member sees the V1 member leave
            final Map<String, Object> removed = v2.next();
            assertEquals("sockudo_internal:member_removed", removed.get("event"));
            assertEquals("{\"user_id\":\"u1\"}", removed.get("data"));
        }
    }

    @Test
    void shouldEchoClientEventsToV2SendersUnlessEchoIsOff() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client echo = V2Client.connect(server);
            V2Client quiet = V2Client.connect(server, "&echo_messages=false"); PusherSocket v1 = server.connect())
        {
            for (final V2Client c : new V2Client[]{echo, quiet})
            {
                c.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"private-chat\",\"auth\":" +
                    Json.quote(Sign.privateAuth(TestServer.APP_KEY, TestServer.APP_SECRET, c.socketId(), "private-chat")) + "}}");
                assertEquals("sockudo_internal:subscription_succeeded", c.next().get("event"));
            }
            v1.subscribePrivate("private-chat");

            echo.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"from\":\"echo\"}}");
            assertEquals("client-typing", echo.next().get("event"), "a V2 sender receives its own event");
            assertEquals("client-typing", quiet.next().get("event"));
            assertEquals("client-typing", v1.next().get("event"));

            quiet.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"from\":\"quiet\"}}");
            assertEquals(Map.of("from", "quiet"), echo.next().get("data"));
            assertEquals(Map.of("from", "quiet"), v1.next().get("data"));
            quiet.assertNothingElse();

            v1.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"from\":\"v1\"}}");
            assertEquals(Map.of("from", "v1"), echo.next().get("data"));
            v1.assertOpen(); // a V1 sender never gets its own event
        }
    }

    @Test
    void shouldPingV2SocketsNativelyAndCloseThemWithoutAPong() throws Exception
    {
        try (TestServer server = TestServer.start("activity_timeout = 1\n" + TestServer.FIXTURE);
            RawWebSocket ws = RawWebSocket.connect(server.port(), "/app/" + TestServer.APP_KEY + "?protocol=2"))
        {
            assertTrue(ws.nextText().contains("sockudo:connection_established"));
            final RawWebSocket.Frame ping = ws.nextFrame(Duration.ofSeconds(10));
            assertEquals(RawWebSocket.OP_PING, ping.opcode(), ping.toString());
            ws.sendFrame(RawWebSocket.OP_PONG, true, true, new byte[0]);
            final RawWebSocket.Frame again = ws.nextFrame(Duration.ofSeconds(10));
            assertEquals(RawWebSocket.OP_PING, again.opcode(), "answered: the socket stays and is pinged again");
            // no answer now: closed with 4201 after the 30 s pong timeout
            RawWebSocket.Frame f = ws.nextFrame(Duration.ofSeconds(40));
            while (f.opcode() == RawWebSocket.OP_TEXT)
            {
                f = ws.nextFrame(Duration.ofSeconds(5));
            }
            assertEquals(RawWebSocket.OP_CLOSE, f.opcode(), f.toString());
            assertEquals(4201, f.closeCode());
        }
    }
}
