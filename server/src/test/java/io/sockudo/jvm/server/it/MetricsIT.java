package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a scripted workload, {@code /metrics} on the metrics port has exactly the expected counter values, with
 * Sockudo 4.4.0's names and labels, and every metric family the 4.4 release notes name exists.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsIT
{
    private static final String APP = "{app_id=\"app-id\",port=\"0\"";

    @Test
    void shouldCountAScriptedWorkloadExactly() throws Exception
    {
        // one reactor: the broadcast histogram records one observation per reactor that delivered
        try (TestServer server = TestServer.start("reactor_threads = 1\n" + TestServer.FIXTURE +
            "[metrics]\nenabled = true\nhost = \"127.0.0.1\"\nport = 0\n"))
        {
            assertTrue(server.metricsPort() > 0);
            final Map<String, Double> m;
            try (PusherSocket a = server.connect(); PusherSocket b = server.connect())
            {
                a.subscribe("my-channel");                 // a: 1 sent (established) + 1 (succeeded)
                b.subscribe("my-channel");
                a.subscribePrivate("private-chat");
                b.subscribePrivate("private-chat");
                a.send("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"x\":1}}");
                assertEquals("client-typing", b.next().get("event"));
                a.send("not json");
                a.expectError(4000);
                assertEquals(200, server.api().post("/events",
                    "{\"name\":\"e\",\"channel\":\"my-channel\",\"data\":\"hi\"}").status());
                assertEquals("e", a.next().get("event"));
                assertEquals("e", b.next().get("event"));
                // an API error: bad signature
                assertEquals(401, server.api().request("POST", "/apps/app-id/events")
                    .body("{\"name\":\"e\",\"channel\":\"x\",\"data\":\"1\"}").signature("bad").send().status());
                a.unsubscribe("my-channel");
                a.assertOpen();                            // ping -> pong
                try (RawWebSocket unknown = RawWebSocket.connect(server.port(), "/app/nope"))
                {
                    PusherSocket.expectFatal(unknown, 4001, "Application does not exist");
                }
                m = scrape(server.metricsPort());
            }
            assertEquals(2.0, m.get("sockudo_new_connections_total" + APP + "}"));
            assertEquals(2.0, m.get("sockudo_connected" + APP + "}"));
            waitFor(server, "sockudo_new_disconnections_total" + APP + "}", 2);
            final Map<String, Double> after = scrape(server.metricsPort());
            assertEquals(2.0, after.get("sockudo_new_connections_total" + APP + "}"));
            assertEquals(0.0, after.get("sockudo_connected" + APP + "}"));
            assertEquals(2.0, after.get("sockudo_channel_unsubscriptions_total" + APP + ",channel_type=\"public\"}"),
                "a unsubscribed, b left by disconnecting");
            assertEquals(0.0, after.get("sockudo_active_channels" + APP + ",channel_type=\"private\"}"));
            assertEquals(1.0, m.get("sockudo_connection_errors_total" +
                "{app_id=\"unknown\",port=\"0\",error_type=\"app_not_found\"}"));
            assertEquals(1.0, m.get("sockudo_connection_errors_total" + APP + ",error_type=\"invalid_message_format\"}"));
            assertEquals(2.0, m.get("sockudo_channel_subscriptions_total" + APP + ",channel_type=\"public\"}"));
            assertEquals(2.0, m.get("sockudo_channel_subscriptions_total" + APP + ",channel_type=\"private\"}"));
            assertEquals(1.0, m.get("sockudo_channel_unsubscriptions_total" + APP + ",channel_type=\"public\"}"));
            // received: a: 2 subscribes + client event + "not json" + unsubscribe + ping = 6; b: 2 subscribes
            assertEquals(8.0, m.get("sockudo_ws_messages_received_total" + APP + "}"));
            // sent: established x2, succeeded x4, client event x1, error x1, publish x2, pong x1 = 11
            assertEquals(11.0, m.get("sockudo_ws_messages_sent_total" + APP + "}"));
            // two signed API calls (one refused with 401)
            assertEquals(2.0, m.get("sockudo_http_calls_received_total" + APP + "}"));
            assertEquals(1.0, m.get("sockudo_active_channels" + APP + ",channel_type=\"private\"}"),
                "private-chat was still occupied when scraped");
            assertEquals(2.0, m.get("sockudo_broadcast_latency_ms_count" + APP + "}"),
                "one client event and one publish reached at least one subscriber");
            assertTrue(m.get("sockudo_socket_received_bytes" + APP + "}") > 0);
            assertTrue(m.get("process_resident_memory_bytes") > 0);
        }
    }

    @Test
    void shouldExposeTheAnnotationFamiliesOfTheReleaseNotes() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE +
            "[metrics]\nenabled = true\nhost = \"127.0.0.1\"\nport = 0\n"))
        {
            final String text = scrapeText(server.metricsPort());
            for (final String family : new String[]{"sockudo_annotations_published_total",
                "sockudo_annotations_deleted_total", "sockudo_annotation_summary_deliveries_total",
                "sockudo_annotation_summary_clipped_total", "sockudo_annotation_projection_rebuild_total",
                "sockudo_annotation_projection_rebuild_duration_seconds", "sockudo_webhooks_delivered_total",
                "sockudo_webhooks_failed_total", "sockudo_webhooks_dropped_total", "sockudo_webhooks_retries_total"})
            {
                assertTrue(text.contains("# TYPE " + family + " "), family);
            }
        }
    }

    @Test
    void shouldCountHistoryVersionsAndRecovery() throws Exception
    {
        try (TestServer server = TestServer.start("[connection_recovery]\nenabled = true\n" + HistoryIT.HISTORY +
            HistoryIT.VERSIONED + TestServer.MAIN_APP + HistoryIT.NAMESPACE +
            "[metrics]\nenabled = true\nhost = \"127.0.0.1\"\nport = 0\n"); V2Client v2 = V2Client.connect(server))
        {
            v2.subscribe("chat:room");
            final Api api = server.api();
            HistoryIT.publish(api, "chat:room", "a");
            HistoryIT.publish(api, "chat:room", "b");
            final String serial = (String)HistoryIT.map(HistoryIT.map(v2.next().get("extras")).get("headers"))
                .get("sockudo_message_serial");
            assertEquals(200, api.post("/channels/chat:room/messages/" + serial + "/update", "{\"data\":\"c\"}")
                .status());
            assertEquals(200, api.get("/channels/chat:room/history").status());
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"chat:room\":" +
                "{\"serial\":1,\"stream_id\":\"bogus\"}}}}");
            waitFor(server, "sockudo_history_writes_total" + APP + "}", 2);
            waitFor(server, "sockudo_versioned_message_mutations_total" + APP +
                ",action=\"message.create\",result=\"applied\"}", 2);
            waitFor(server, "sockudo_versioned_message_mutations_total" + APP +
                ",action=\"message.update\",result=\"applied\"}", 1);
            waitFor(server, "sockudo_versioned_history_substitution_total" + APP + ",result=\"applied\"}", 2);
            waitFor(server, "sockudo_history_recovery_failures_total" + APP + ",code=\"stream_reset\"}", 1);
        }
    }

    @Test
    void shouldCountAnnotationsClippingAndRebuildsExactly() throws Exception
    {
        // budget 1 KiB: one 400-character client id fits, two do not, so every later summary is clipped to L = 1
        // after 7 fitting attempts (64, 32, 16, 8, 4, 2, 1), each counted as a rebuild as in 4.4.0
        try (TestServer server = TestServer.start("[history]\nbackend = \"memory\"\n" + AnnotationsIT.ANNOTATED +
            "[app_manager.array.apps.policy.limits]\nmax_event_payload_in_kb = 1\n" +
            "[metrics]\nenabled = true\nhost = \"127.0.0.1\"\nport = 0\n"); V2Client v2 = V2Client.connect(server))
        {
            v2.subscribe("chat:room");
            final Api api = server.api();
            HistoryIT.publish(api, "chat:room", "hello");
            final String serial = (String)HistoryIT.map(HistoryIT.map(v2.next().get("extras")).get("headers"))
                .get("sockudo_message_serial");
            final String path = "/channels/chat:room/messages/" + serial + "/annotations";
            String last = null;
            for (int i = 0; i < 3; i++)
            {
                final Api.Response r = api.post(path, "{\"type\":\"reactions:flag.v1\",\"clientId\":\"" + i +
                    "x".repeat(399) + "\"}");
                assertEquals(200, r.status(), r.body());
                last = (String)r.json().get("annotationSerial");
            }
            assertEquals(200, api.post(path, "{\"type\":\"reactions:total.v1\"}").status());
            assertEquals(200, api.request("DELETE", "/apps/" + TestServer.APP_ID + path.replace("/annotations",
                "/annotations/" + last)).send().status());
            final String channel = "{channel=\"chat:room\"";
            final String flag = channel + ",type=\"reactions:flag.v1\"}";
            final Map<String, Double> m = scrape(server.metricsPort());
            assertEquals(3.0, m.get("sockudo_annotations_published_total" + flag));
            assertEquals(1.0, m.get("sockudo_annotations_published_total" + channel +
                ",type=\"reactions:total.v1\"}"));
            assertEquals(1.0, m.get("sockudo_annotations_deleted_total" + flag));
            assertEquals(5.0, m.get("sockudo_annotation_summary_deliveries_total" + channel + "}"));
            assertEquals(3.0, m.get("sockudo_annotation_summary_clipped_total" + flag),
                "publishes 2 and 3 and the delete back to 2 clients");
            assertEquals(21.0, m.get("sockudo_annotation_projection_rebuild_total" + channel + "}"));
            assertEquals(21.0, m.get("sockudo_annotation_projection_rebuild_duration_seconds_count" + channel + "}"));
        }
    }

    private static void waitFor(final TestServer server, final String key, final double value) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            final Double v = scrape(server.metricsPort()).get(key);
            if (v != null && v == value)
            {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(key + " did not reach " + value);
    }

    static String scrapeText(final int port) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        return r.body();
    }

    static Map<String, Double> scrape(final int port) throws Exception
    {
        final Map<String, Double> values = new HashMap<>();
        for (final String line : scrapeText(port).split("\n"))
        {
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }
}
