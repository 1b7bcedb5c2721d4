package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection recovery from the hot replay buffer, extras, ephemeral and message-level idempotency (spec
 * protocol-v2 behaviours 7-12, 29 and the live part of 31), with the JDK's own WebSocket client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryIT
{
    private static final String RECOVERY = "[connection_recovery]\nenabled = true\n";

    private static String publish(final String name, final String extras)
    {
        return "{\"name\":\"" + name + "\",\"channel\":\"news\",\"data\":\"x\"" +
            (extras == null ? "" : ",\"extras\":" + extras) + "}";
    }

    @Test
    void shouldStampV2DeliveriesWithSerialsAndMessageIdsWhenRecoveryIsOn() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE + RECOVERY);
            V2Client v2 = V2Client.connect(server); PusherSocket v1 = server.connect())
        {
            v2.subscribe("news");
            v1.subscribe("news");
            final Set<Object> ids = new HashSet<>();
            for (int i = 1; i <= 3; i++)
            {
                assertEquals(200, server.api().post("/events", publish("e" + i, null)).status());
                final Map<String, Object> m = v2.next();
                assertEquals((long)i, m.get("serial"), m.toString());
                assertTrue(ids.add(m.get("message_id")), "distinct message ids");
                assertFalse(m.containsKey("stream_id"));
                assertEquals(Map.of("event", "e" + i, "channel", "news", "data", "x"), v1.next(),
                    "V1 sees none of the V2 fields");
            }
        }
    }

    @Test
    void shouldReplayMissedFramesVerbatimOnResume() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE + RECOVERY); V2Client live = V2Client.connect(server))
        {
            live.subscribe("news");
            final List<Map<String, Object>> seen = new java.util.ArrayList<>();
            for (int i = 1; i <= 3; i++)
            {
                server.api().post("/events", publish("e" + i, null));
                seen.add(live.next());
            }
            try (V2Client back = V2Client.connect(server))
            {
                back.subscribe("news");
                back.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"news\":{\"serial\":1}}}}");
                assertEquals(seen.get(1), back.next());
                assertEquals(seen.get(2), back.next());
                final Map<String, Object> done = back.next();
                assertEquals("sockudo:resume_success", done.get("event"));
                assertEquals(Map.of("recovered", List.of(Map.of("channel", "news", "source", "hot", "replayed", 2L)),
                    "failed", List.of()), Json.parseObject((String)done.get("data")));
            }
        }
    }

    @Test
    void shouldReportResumeErrors() throws Exception
    {
        try (TestServer off = TestServer.start(); V2Client v2 = V2Client.connect(off))
        {
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"news\":{\"serial\":1}}}}");
            assertEquals(Map.of("code", 4301L, "message", "Connection recovery is not enabled"), v2.next().get("data"));
        }
        try (TestServer server = TestServer.start(TestServer.FIXTURE + RECOVERY); V2Client v2 = V2Client.connect(server))
        {
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{}}}");
            assertEquals(4302L, ((Map<?, ?>)v2.next().get("data")).get("code"));

            v2.subscribe("news");
            server.api().post("/events", publish("e1", null));
            v2.next();
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"news\":{\"serial\":0," +
                "\"stream_id\":\"bogus\"}}}}");
            final Map<String, Object> failed = v2.next();
            assertEquals("sockudo:resume_failed", failed.get("event"));
            assertEquals("news", failed.get("channel"));
            final Map<String, Object> reason = Json.parseObject((String)failed.get("data"));
            assertEquals("stream_reset", reason.get("code"));
            assertEquals("stream_id_mismatch", reason.get("reason"));
            final Map<String, Object> summary = Json.parseObject((String)v2.next().get("data"));
            assertEquals(List.of(), summary.get("recovered"));
            assertEquals("stream_reset", ((Map<?, ?>)((List<?>)summary.get("failed")).get(0)).get("code"));
        }
    }

    @Test
    void shouldRefuseLegacyResumeBeyondTheBuffer() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE + RECOVERY +
            "max_buffer_size = 2\n"); V2Client v2 = V2Client.connect(server))
        {
            v2.subscribe("news");
            for (int i = 1; i <= 5; i++)
            {
                server.api().post("/events", publish("e" + i, null));
                v2.next();
            }
            // the buffer holds serials 4 and 5 only
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_serials\":{\"news\":1}}}");
            final Map<String, Object> failed = Json.parseObject((String)v2.next().get("data"));
            assertEquals("continuity_unverifiable", failed.get("code"));
            assertEquals(4L, failed.get("oldest_available_serial"));
            assertEquals("sockudo:resume_success", v2.next().get("event"));
        }
    }

    @Test
    void shouldForwardExtrasToV2OnlyAndSkipEphemeralSerials() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE + RECOVERY);
            V2Client v2 = V2Client.connect(server); PusherSocket v1 = server.connect())
        {
            v2.subscribe("news");
            v1.subscribe("news");
            server.api().post("/events", publish("h", "{\"headers\":{\"n\":42,\"ok\":true,\"s\":\"v\"}}"));
            final Map<String, Object> withExtras = v2.next();
            assertEquals(Map.of("headers", Map.of("n", 42L, "ok", true, "s", "v")), withExtras.get("extras"));
            assertEquals(1L, withExtras.get("serial"));
            assertEquals(Map.of("event", "h", "channel", "news", "data", "x"), v1.next());

            server.api().post("/events", publish("eph", "{\"ephemeral\":true}"));
            final Map<String, Object> ephemeral = v2.next();
            assertFalse(ephemeral.containsKey("serial"), "ephemeral messages take no serial: " + ephemeral);
            assertTrue(ephemeral.containsKey("message_id"), "HTTP publishes carry a message_id when recovery is on");
            v1.next();

            assertEquals(400, server.api().post("/events", publish("bad", "{\"headers\":{\"x\":{\"nested\":1}}}"))
                .status());
        }
    }

    @Test
    void shouldDeliverAMessageIdempotencyKeyOncePerChannel() throws Exception
    {
        try (TestServer server = TestServer.start(); V2Client v2 = V2Client.connect(server))
        {
            v2.subscribe("news");
            v2.subscribe("other");
            final String once = "{\"name\":\"once\",\"channel\":\"news\",\"data\":\"1\",\"extras\":{\"idempotencyKey\":\"k1\"}}";
            assertEquals(Map.of("ok", true), server.api().post("/events", once).json());
            assertEquals(Map.of("ok", true), server.api().post("/events", once).json());
            assertEquals("once", v2.next().get("event"));
            server.api().post("/events", once.replace("\"news\"", "\"other\""));
            assertEquals("other", v2.next().get("channel"), "the key is scoped per channel");
            v2.assertNothingElse();
        }
    }
}
