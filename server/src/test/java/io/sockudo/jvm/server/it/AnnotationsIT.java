package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Annotations end to end: the signed HTTP API, summaries to every V2 subscriber, raw events only to raw-mode
 * subscribers with the capability, nothing to V1, snapshots on subscribe, and summaries that survive kill -9.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnnotationsIT
{
    static final String ANNOTATED = "[versioned_messages]\nenabled = true\n[annotations]\nenabled = true\n" +
        TestServer.MAIN_APP + HistoryIT.NAMESPACE + "annotations_enabled = true\n";
    private static final String MEMORY = "[history]\nbackend = \"memory\"\n";

    private static String serialOf(final Map<String, Object> frame)
    {
        return (String)HistoryIT.map(HistoryIT.map(frame.get("extras")).get("headers")).get("sockudo_message_serial");
    }

    private static Map<String, Object> summary(final Map<String, Object> frame, final String type)
    {
        assertEquals("sockudo_internal:message", frame.get("event"), frame.toString());
        final Map<String, Object> data = HistoryIT.map(frame.get("data"));
        assertEquals("message.summary", data.get("action"));
        return HistoryIT.map(HistoryIT.map(HistoryIT.map(data.get("annotations")).get("summary")).get(type));
    }

    private static String annotate(final Api api, final String serial, final String body)
    {
        final Api.Response r = api.post("/channels/chat:room/messages/" + serial + "/annotations", body);
        assertEquals(200, r.status(), r.body());
        final String annotationSerial = (String)r.json().get("annotationSerial");
        assertNotNull(annotationSerial);
        return annotationSerial;
    }

    @Test
    void shouldSendSummariesToV2RawEventsToRawSubscribersAndNothingToV1() throws Exception
    {
        try (TestServer server = TestServer.start(MEMORY + ANNOTATED); V2Client plain = V2Client.connect(server);
            V2Client raw = V2Client.connect(server); PusherSocket v1 = server.connect())
        {
            plain.subscribe("chat:room");
            HistoryIT.signin(raw, "{\"id\":\"watcher\",\"capabilities\":{\"annotation-subscribe\":[\"chat:*\"]}}");
            raw.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\"," +
                "\"modes\":[\"ANNOTATION_SUBSCRIBE\"]}}");
            assertEquals("sockudo_internal:subscription_succeeded", raw.next().get("event"));
            v1.subscribe("chat:room");
            final Api api = server.api();
            HistoryIT.publish(api, "chat:room", "hello");
            final String serial = serialOf(plain.next());
            raw.next();
            v1.next();

            final String like = annotate(api, serial,
                "{\"type\":\"reactions:distinct.v1\",\"name\":\"like\",\"clientId\":\"user-1\"}");
            final Map<String, Object> bucket = HistoryIT.map(summary(plain.next(), "reactions:distinct.v1").get("like"));
            assertEquals(1L, bucket.get("total"));
            assertEquals(List.of("user-1"), bucket.get("clientIds"));
            summary(raw.next(), "reactions:distinct.v1");
            final Map<String, Object> event = raw.next();
            assertEquals("sockudo_internal:annotation", event.get("event"));
            final Map<String, Object> data = HistoryIT.map(event.get("data"));
            assertEquals("annotation.create", data.get("action"));
            assertEquals(like, data.get("serial"));
            assertEquals(serial, data.get("messageSerial"));
            plain.assertNothingElse();
            v1.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", v1.next().get("event"), "V1 gets no annotation frames");

            final Api.Response list = api.get("/channels/chat:room/messages/" + serial + "/annotations");
            assertEquals(200, list.status(), list.body());
            assertTrue(list.body().contains(like), list.body());

            try (V2Client late = V2Client.connect(server))
            {
                late.subscribe("chat:room");
                final Map<String, Object> snapshot = HistoryIT.map(summary(late.next(), "reactions:distinct.v1")
                    .get("like"));
                assertEquals(1L, snapshot.get("total"), "a V2 subscriber gets the summaries on subscribe");
            }

            final Api.Response delete = api.request("DELETE", "/apps/" + TestServer.APP_ID +
                "/channels/chat:room/messages/" + serial + "/annotations/" + like).send();
            assertEquals(200, delete.status(), delete.body());
            assertEquals(like, delete.json().get("deletedAnnotationSerial"));
            final Map<String, Object> after = summary(plain.next(), "reactions:distinct.v1");
            assertTrue(after.isEmpty() || HistoryIT.map(after.get("like")).get("total").equals(0L), after.toString());
        }
    }

    @Test
    void shouldRefuseAnnotationsWhenOffOrOnUnknownMessages() throws Exception
    {
        try (TestServer server = TestServer.start(MEMORY + ANNOTATED))
        {
            final Api.Response unknown = server.api().post("/channels/chat:room/messages/" +
                "00000000000000000002:node:00000000000000000001/annotations", "{\"type\":\"reactions:total.v1\"}");
            assertEquals(404, unknown.status(), unknown.body());
        }
        try (TestServer server = TestServer.start(MEMORY + "[versioned_messages]\nenabled = true\n" +
            TestServer.MAIN_APP + HistoryIT.NAMESPACE))
        {
            final Api.Response off = server.api().post("/channels/chat:room/messages/x/annotations",
                "{\"type\":\"reactions:total.v1\"}");
            assertEquals(422, off.status(), off.body());
        }
    }

    @Test
    void shouldKeepSummariesAcrossKill9(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("server.toml");
        Files.writeString(config, "host = \"127.0.0.1\"\nport = 0\n[metrics]\nenabled = false\n" +
            "[rate_limiter]\nenabled = false\n[history.log]\ndirectory = \"" +
            dir.resolve("data").toString().replace("\\", "/") + "\"\n" + ANNOTATED);
        final List<Map<String, Object>> before = new ArrayList<>();
        String serial;
        Process process = ChildServer.start(config);
        try
        {
            final int port = ChildServer.awaitPort(process);
            final Api api = new Api(port, TestServer.APP_ID, TestServer.APP_KEY, TestServer.APP_SECRET);
            HistoryIT.publish(api, "chat:room", "hello");
            serial = (String)HistoryIT.map(HistoryIT.items(api.get("/channels/chat:room/history").json()).get(0)
                .get("message")).get("message_serial");
            final String[] types = {"reactions:total.v1", "reactions:flag.v1", "reactions:distinct.v1",
                "reactions:unique.v1", "reactions:multiple.v1"};
            for (int i = 0; i < 12; i++)
            {
                annotate(api, serial, "{\"type\":\"" + types[i % types.length] + "\",\"name\":\"n" + (i % 3) +
                    "\",\"clientId\":\"user-" + (i % 4) + "\",\"count\":" + (1 + i % 2) + "}");
            }
            before.addAll(snapshot(port, types.length));
        }
        finally
        {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        process = ChildServer.start(config);
        try
        {
            final int port = ChildServer.awaitPort(process);
            assertEquals(before, snapshot(port, before.size()), "every summary equals what it was before kill -9");
            final Api api = new Api(port, TestServer.APP_ID, TestServer.APP_KEY, TestServer.APP_SECRET);
            final Map<String, Object> totalBefore = before.stream().map(AnnotationsIT::summaries)
                .filter(s -> s.containsKey("reactions:total.v1")).findFirst().orElseThrow();
            annotate(api, serial, "{\"type\":\"reactions:total.v1\",\"name\":\"n9\"}");
            final Map<String, Object> totalAfter = snapshot(port, before.size()).stream().map(AnnotationsIT::summaries)
                .filter(s -> s.containsKey("reactions:total.v1")).findFirst().orElseThrow();
            assertEquals(total(totalBefore) + 1, total(totalAfter), "new annotations apply on top");
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> summaries(final Map<String, Object> frame)
    {
        return HistoryIT.map(HistoryIT.map(HistoryIT.map(frame.get("data")).get("annotations")).get("summary"));
    }

    private static long total(final Map<String, Object> summaries)
    {
        return (Long)HistoryIT.map(summaries.get("reactions:total.v1")).get("total");
    }

    /** The snapshot frames a new V2 subscriber of chat:room receives. */
    private static List<Map<String, Object>> snapshot(final int port, final int frames) throws Exception
    {
        try (V2Client c = V2Client.connect(port))
        {
            c.subscribe("chat:room");
            final List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < frames; i++)
            {
                out.add(c.next());
            }
            c.assertNothingElse();
            return out;
        }
    }
}
