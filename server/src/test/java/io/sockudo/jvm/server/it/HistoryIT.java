package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durable history and versioned messages over the HTTP API and V2 sockets, memory backend: spec protocol-v2 section 9
 * behaviours 13-24 and 31.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryIT
{
    static final String NAMESPACE = "[[app_manager.array.apps.policy.channels.channel_namespaces]]\n" +
        "name = \"chat\"\nchannel_name_pattern = \"^chat:[a-z0-9-]+$\"\n";
    static final String HISTORY = "[history]\nenabled = true\nbackend = \"memory\"\n";
    static final String VERSIONED = "[versioned_messages]\nenabled = true\n";
    private static final String SERIAL = "^\\d{20}:[^:\\s]+:\\d{20}$";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(final Map<String, Object> page)
    {
        return (List<Map<String, Object>>)page.get("items");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object value)
    {
        return (Map<String, Object>)value;
    }

    static List<Object> serials(final Map<String, Object> page)
    {
        return items(page).stream().map(i -> i.get("serial")).toList();
    }

    static void publish(final Api api, final String channel, final String data)
    {
        final Api.Response r = api.post("/events", "{\"name\":\"chat.message\",\"channel\":\"" + channel +
            "\",\"data\":" + Json.quote(data) + "}");
        assertEquals(200, r.status(), r.body());
        assertEquals("{\"ok\":true}", r.body());
    }

    @Test
    void shouldPageHistoryWithCursorsAndCheckLimits() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + TestServer.MAIN_APP + NAMESPACE))
        {
            final Api api = server.api();
            for (int i = 1; i <= 5; i++)
            {
                publish(api, "chat:room", "m" + i);
            }
            final Api.Response first = api.get("/channels/chat:room/history", "direction", "oldest_first",
                "limit", "2");
            assertEquals(200, first.status(), first.body());
            assertEquals(List.of(1L, 2L), serials(first.json()));
            assertEquals(true, first.json().get("has_more"));
            final String cursor = (String)first.json().get("next_cursor");
            assertNotNull(cursor);
            final Map<String, Object> second = api.get("/channels/chat:room/history", "direction", "oldest_first",
                "limit", "2", "cursor", cursor).json();
            assertEquals(List.of(3L, 4L), serials(second));
            final Map<String, Object> third = api.get("/channels/chat:room/history", "direction", "oldest_first",
                "limit", "2", "cursor", (String)second.get("next_cursor")).json();
            assertEquals(List.of(5L), serials(third));
            assertEquals(false, third.get("has_more"));
            assertNull(third.get("next_cursor"));
            assertEquals(true, map(third.get("continuity")).get("complete"));
            assertEquals("m1", items(first.json()).get(0).get("message") instanceof Map ?
                map(items(first.json()).get(0).get("message")).get("data") : null);

            final Api.Response mismatch = api.get("/channels/chat:room/history", "direction", "newest_first",
                "limit", "2", "cursor", cursor);
            assertEquals(400, mismatch.status());
            assertEquals("History cursor direction does not match the request", mismatch.json().get("error"));
            assertEquals("invalid_input", mismatch.json().get("code"));

            final Map<String, Object> newest = api.get("/channels/chat:room/history").json();
            assertEquals(List.of(5L, 4L, 3L, 2L, 1L), serials(newest));
            assertEquals(400, api.get("/channels/chat:room/history", "limit", "0").status());
            assertEquals(400, api.get("/channels/chat:room/history", "start_serial", "5", "end_serial", "2").status());
            assertEquals(400, api.get("/channels/chat:room/history", "direction", "sideways").status());
            assertEquals(List.of(2L, 3L), serials(api.get("/channels/chat:room/history", "direction", "forwards",
                "start_serial", "2", "end_serial", "3").json()));
            final Api.Response disabled = api.get("/channels/news/history");
            assertEquals(200, disabled.status(), "history is on globally");
        }
        try (TestServer server = TestServer.start(TestServer.MAIN_APP + NAMESPACE))
        {
            final Api.Response disabled = server.api().get("/channels/chat:room/history");
            assertEquals(422, disabled.status());
            assertEquals("feature_disabled", disabled.json().get("code"));
        }
    }

    @Test
    void shouldKeepEphemeralMessagesOutOfHistory() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + TestServer.MAIN_APP + NAMESPACE);
            V2Client v2 = V2Client.connect(server))
        {
            v2.subscribe("chat:room");
            final Api api = server.api();
            assertEquals(200, api.post("/events", "{\"name\":\"e\",\"channel\":\"chat:room\",\"data\":\"x\"," +
                "\"extras\":{\"ephemeral\":true}}").status());
            final Map<String, Object> live = v2.next();
            assertEquals("x", live.get("data"));
            assertFalse(live.containsKey("serial"));
            assertFalse(live.containsKey("message_id"));
            publish(api, "chat:room", "kept");
            final Map<String, Object> stored = v2.next();
            assertEquals(1L, stored.get("serial"));
            assertNotNull(stored.get("stream_id"));
            final Map<String, Object> page = api.get("/channels/chat:room/history").json();
            assertEquals(List.of(1L), serials(page));
            assertEquals("kept", map(items(page).get(0).get("message")).get("data"));
            assertEquals(stored.get("message_id"), items(page).get(0).get("message_id"));
        }
    }

    @Test
    void shouldCreateUpdateAppendAndListVersions() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + VERSIONED + TestServer.MAIN_APP + NAMESPACE);
            V2Client v2 = V2Client.connect(server); PusherSocket v1 = server.connect())
        {
            v2.subscribe("chat:room");
            v1.subscribe("chat:room");
            final Api api = server.api();
            publish(api, "chat:room", "hello");
            final Map<String, Object> create = v2.next();
            assertEquals("chat.message", create.get("event"));
            assertEquals(1L, create.get("serial"));
            final Map<String, Object> headers = map(map(create.get("extras")).get("headers"));
            assertEquals("message.create", headers.get("sockudo_action"));
            final String serial = (String)headers.get("sockudo_message_serial");
            assertTrue(serial.matches(SERIAL), serial);
            assertEquals(serial, headers.get("sockudo_version_serial"));
            assertEquals(1L, headers.get("sockudo_history_serial"));
            final Map<String, Object> plain = v1.next();
            assertEquals("chat.message", plain.get("event"), "V1 gets the plain create (decision D2)");
            assertEquals("hello", plain.get("data"));
            assertFalse(plain.containsKey("extras"));

            final String base = "/channels/chat:room/messages/" + serial;
            final Api.Response update = api.post(base + "/update", "{\"data\":\"patched\",\"description\":\"fix\"}");
            assertEquals(200, update.status(), update.body());
            final Map<String, Object> result = update.json();
            assertEquals("chat:room", result.get("channel"));
            assertEquals(serial, result.get("message_serial"));
            assertEquals("update", result.get("action"));
            assertEquals(true, result.get("accepted"));
            assertEquals("applied", result.get("status"));
            final String v2Serial = (String)result.get("version_serial");
            assertTrue(v2Serial.compareTo(serial) > 0);
            final Map<String, Object> live = v2.next();
            assertEquals("sockudo:message.update", live.get("event"));
            assertEquals("chat.message", live.get("name"));
            assertEquals("patched", live.get("data"));
            assertEquals(2L, live.get("serial"));
            assertEquals("message.update", map(map(live.get("extras")).get("headers")).get("sockudo_action"));
            assertEquals(1L, map(map(live.get("extras")).get("headers")).get("sockudo_history_serial"));

            assertEquals(400, api.post(base + "/update", "{}").status());
            assertEquals(400, api.post(base + "/update", "{\"name\":\"x\",\"clear_fields\":[\"name\"]}").status());
            assertEquals(400, api.post(base + "/update", "{\"clear_fields\":[\"data\",\"data\"]}").status());
            final Api.Response unknown = api.post("/channels/chat:room/messages/nope/update", "{\"data\":\"x\"}");
            assertEquals(404, unknown.status());
            assertEquals("not_found", unknown.json().get("code"));

            final Map<String, Object> versions = api.get(base + "/versions", "direction", "oldest_first", "limit", "1")
                .json();
            assertEquals("create", items(versions).get(0).get("action"));
            assertEquals(true, versions.get("has_more"));
            assertEquals(map(items(versions).get(0).get("version")).get("serial"), versions.get("next_cursor"));
            final Map<String, Object> next = api.get(base + "/versions", "direction", "oldest_first", "limit", "1",
                "cursor", (String)versions.get("next_cursor")).json();
            assertEquals("update", items(next).get(0).get("action"));
            assertEquals(false, next.get("has_more"));
            assertEquals(400, api.get(base + "/versions", "direction", "backwards").status());

            final Map<String, Object> history = api.get("/channels/chat:room/history").json();
            final Map<String, Object> row = items(history).get(0);
            assertEquals(1L, row.get("serial"));
            assertEquals("sockudo:message.update", row.get("event_name"));
            assertEquals("message.update", row.get("operation_kind"));
            assertEquals("update", map(row.get("message")).get("action"));
            assertEquals(serial, map(row.get("message")).get("message_serial"));
            assertEquals("patched", map(row.get("message")).get("data"));

            final Api.Response delete = api.post(base + "/delete", "{\"clear_fields\":[\"data\",\"extras\"]}");
            assertEquals(200, delete.status(), delete.body());
            final Map<String, Object> deleted = map(items(api.get("/channels/chat:room/history").json()).get(0)
                .get("message"));
            assertEquals("delete", deleted.get("action"));
            assertFalse(deleted.containsKey("data"));
            assertFalse(deleted.containsKey("extras"));
            assertEquals("sockudo:message.delete", v2.next().get("event"));

            publish(api, "chat:room", "hello");
            final String second = (String)map(map(v2.next().get("extras")).get("headers"))
                .get("sockudo_message_serial");
            v1.next();
            assertEquals(200, api.post("/channels/chat:room/messages/" + second + "/append",
                "{\"data\":\" world\"}").status());
            final Map<String, Object> item = map(api.get("/channels/chat:room/messages/" + second).json().get("item"));
            assertEquals("hello world", item.get("data"));
            assertEquals("append", item.get("action"));
            assertEquals("sockudo:message.append", item.get("event"));
            assertEquals(400, api.post("/channels/chat:room/messages/" + second + "/append", "{\"data\":\"\"}")
                .status());
            final Map<String, Object> appended = v2.next();
            assertEquals("hello world", appended.get("data"), "append frames carry the full value (D3)");
            v1.send("{\"event\":\"pusher:ping\"}");
            assertEquals("pusher:pong", v1.next().get("event"), "V1 gets no mutation frames");
        }
    }

    @Test
    void shouldRefuseAppendOnObjectDataFromClientEvents() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + VERSIONED + TestServer.MAIN_APP + NAMESPACE);
            V2Client sender = V2Client.connect(server); V2Client reader = V2Client.connect(server))
        {
            final String channel = "private-chat:room";
            for (final V2Client c : List.of(sender, reader))
            {
                c.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":" +
                    Json.quote(Sign.privateAuth(TestServer.APP_KEY, TestServer.APP_SECRET, c.socketId(), channel)) +
                    "}}");
                assertEquals("sockudo_internal:subscription_succeeded", c.next().get("event"));
            }
            sender.send("{\"event\":\"client-typing\",\"channel\":\"" + channel + "\",\"data\":{\"a\":1}}");
            final Map<String, Object> frame = reader.next();
            assertEquals(Map.of("a", 1L), frame.get("data"));
            final String serial = (String)map(map(frame.get("extras")).get("headers")).get("sockudo_message_serial");
            assertNotNull(serial);
            final Api.Response append = server.api().post("/channels/" + channel + "/messages/" + serial + "/append",
                "{\"data\":\"x\"}");
            assertEquals(400, append.status(), append.body());
        }
    }

    @Test
    void shouldReportDisabledVersioning() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + TestServer.MAIN_APP + NAMESPACE))
        {
            final Api api = server.api();
            final String serial = "00000000000000000002:node:00000000000000000001";
            final Api.Response update = api.post("/channels/chat:room/messages/" + serial + "/update",
                "{\"data\":\"x\"}");
            assertEquals(422, update.status());
            assertEquals("feature_disabled", update.json().get("code"));
            assertEquals(422, api.get("/channels/chat:room/messages/" + serial).status());
        }
    }

    @Test
    void shouldAuthoriseMutationsByCapabilities() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + VERSIONED + TestServer.MAIN_APP + NAMESPACE);
            V2Client u1 = V2Client.connect(server); V2Client own = V2Client.connect(server);
            V2Client any = V2Client.connect(server); PusherSocket v1 = server.connect())
        {
            signin(u1, "{\"id\":\"u1\"}");
            signin(own, "{\"id\":\"u2\",\"capabilities\":{\"message_update_own\":[\"chat:*\"]}}");
            signin(any, "{\"id\":\"u2\",\"capabilities\":{\"message_update_any\":[\"chat:*\"]}}");
            u1.subscribe("chat:room");
            final Api api = server.api();
            assertEquals(200, api.post("/events", "{\"name\":\"chat.message\",\"channel\":\"chat:room\"," +
                "\"data\":\"hi\",\"socket_id\":\"" + u1.socketId() + "\"}").status());
            final Api.Response mine = api.get("/channels/chat:room/history");
            final String serial = (String)map(items(mine.json()).get(0).get("message")).get("message_serial");
            final String path = "/channels/chat:room/messages/" + serial + "/update";

            final Api.Response viaV1 = api.post(path, "{\"data\":\"x\",\"socket_id\":\"" + v1.socketId() + "\"}");
            assertEquals(401, viaV1.status());
            assertEquals("Mutation actor socket must use protocol V2", viaV1.json().get("error"));
            final Api.Response notOwner = api.post(path, "{\"data\":\"x\",\"socket_id\":\"" + own.socketId() + "\"}");
            assertEquals(401, notOwner.status());
            assertEquals("Connection is not allowed to update message on channel 'chat:room'",
                notOwner.json().get("error"));
            assertEquals(401, api.post(path, "{\"data\":\"x\",\"socket_id\":\"1.2\"}").status());
            final Api.Response allowed = api.post(path, "{\"data\":\"x\",\"socket_id\":\"" + any.socketId() + "\"}");
            assertEquals(200, allowed.status(), allowed.body());
            final Map<String, Object> item = map(api.get("/channels/chat:room/messages/" + serial).json().get("item"));
            assertEquals("u2", map(item.get("version")).get("client_id"));
        }
    }

    static void signin(final V2Client c, final String userData) throws Exception
    {
        c.send("{\"event\":\"sockudo:signin\",\"data\":{\"user_data\":" + Json.quote(userData) + ",\"auth\":" +
            Json.quote(Sign.signinAuth(TestServer.APP_KEY, TestServer.APP_SECRET, c.socketId(), userData)) + "}}");
        final Map<String, Object> reply = c.next();
        assertEquals("sockudo:signin_success", reply.get("event"), reply.toString());
    }

    @Test
    void shouldRewindStoredMessagesBeforeLiveOnes() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + TestServer.MAIN_APP + NAMESPACE);
            V2Client v2 = V2Client.connect(server))
        {
            final Api api = server.api();
            for (int i = 1; i <= 3; i++)
            {
                publish(api, "chat:room", "m" + i);
            }
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:room\",\"rewind\":{\"count\":2}}}");
            assertEquals("sockudo_internal:subscription_succeeded", v2.next().get("event"));
            final Map<String, Object> second = v2.next();
            assertEquals(2L, second.get("serial"));
            assertEquals("m2", second.get("data"));
            assertEquals(3L, v2.next().get("serial"));
            final Map<String, Object> complete = v2.next();
            assertEquals("sockudo:rewind_complete", complete.get("event"));
            assertEquals(Map.of("historical_count", 2L, "live_count", 0L, "complete", true,
                "truncated_by_retention", false, "truncated_by_limit", false), complete.get("data"));
            publish(api, "chat:room", "m4");
            assertEquals(4L, v2.next().get("serial"), "live messages follow the rewind");
            v2.send("{\"event\":\"sockudo:subscribe\",\"data\":{\"channel\":\"chat:other\",\"rewind\":0}}");
            assertEquals(4000L, map(v2.next().get("data")).get("code"));
        }
    }

    @Test
    void shouldResumeFromHistoryWhenTheHotBufferNoLongerCoversThePosition() throws Exception
    {
        final String recovery = "[connection_recovery]\nenabled = true\nmax_buffer_size = 1\n";
        try (TestServer server = TestServer.start(recovery + HISTORY + TestServer.MAIN_APP + NAMESPACE);
            V2Client v2 = V2Client.connect(server))
        {
            publishThreeThenResumeFromOne(server, v2);
            assertEquals("m2", v2.next().get("data"));
            assertEquals("m3", v2.next().get("data"));
            final Map<String, Object> summary = Json.parseObject((String)v2.next().get("data"));
            assertEquals(List.of(Map.of("channel", "chat:room", "source", "cold", "replayed", 2L)),
                summary.get("recovered"));
            v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"chat:room\":{\"serial\":1," +
                "\"stream_id\":\"other\"}}}}");
            final Map<String, Object> failed = v2.next();
            assertEquals("sockudo:resume_failed", failed.get("event"));
            assertEquals("stream_reset", Json.parseObject((String)failed.get("data")).get("code"));
        }
        try (TestServer server = TestServer.start(recovery + HISTORY + VERSIONED + TestServer.MAIN_APP + NAMESPACE);
            V2Client v2 = V2Client.connect(server))
        {
            publishThreeThenResumeFromOne(server, v2);
            final Map<String, Object> rebuilt = v2.next();
            assertEquals("sockudo:message.create", rebuilt.get("event"));
            assertEquals(2L, rebuilt.get("serial"));
            assertEquals("m2", rebuilt.get("data"));
            assertEquals(3L, v2.next().get("serial"));
            final Map<String, Object> summary = Json.parseObject((String)v2.next().get("data"));
            assertEquals(List.of(Map.of("channel", "chat:room", "source", "cold", "replayed", 2L)),
                summary.get("recovered"));
        }
    }

    /** Subscribes to chat:room, publishes m1..m3, then resumes from serial 1 with the live stream id. */
    private static void publishThreeThenResumeFromOne(final TestServer server, final V2Client v2) throws Exception
    {
        v2.subscribe("chat:room");
        final Api api = server.api();
        for (int i = 1; i <= 3; i++)
        {
            publish(api, "chat:room", "m" + i);
        }
        final String streamId = (String)v2.next().get("stream_id");
        v2.next();
        v2.next();
        v2.send("{\"event\":\"sockudo:resume\",\"data\":{\"channel_positions\":{\"chat:room\":{\"serial\":1," +
            "\"stream_id\":\"" + streamId + "\"}}}}");
    }

    @Test
    void shouldAnswerPipelinedDurablePublishesInOrderAfterTheirAppends() throws Exception
    {
        try (TestServer server = TestServer.start(HISTORY + TestServer.MAIN_APP + NAMESPACE);
            java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final StringBuilder requests = new StringBuilder();
            for (int i = 1; i <= 3; i++)
            {
                final String body = "{\"name\":\"e\",\"channel\":\"chat:room\",\"data\":\"p" + i + "\"}";
                final String target = server.api().request("POST", "/apps/" + TestServer.APP_ID + "/events")
                    .body(body).target();
                requests.append("POST ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .append("Content-Type: application/json\r\nContent-Length: ").append(body.length())
                    .append("\r\n\r\n").append(body);
            }
            // three requests in one write: each durable publish defers its response to the log writer, and the
            // bytes of the next request are held until then
            socket.getOutputStream().write(requests.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            final java.io.InputStream in = socket.getInputStream();
            final StringBuilder responses = new StringBuilder();
            final byte[] chunk = new byte[4096];
            while (responses.toString().split("HTTP/1.1 200", -1).length - 1 < 3 ||
                !responses.toString().endsWith("{\"ok\":true}"))
            {
                final int n = in.read(chunk);
                if (n < 0)
                {
                    break;
                }
                responses.append(new String(chunk, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertEquals(3, responses.toString().split("HTTP/1.1 200", -1).length - 1, responses.toString());
            final Map<String, Object> page = server.api().get("/channels/chat:room/history", "direction",
                "oldest_first").json();
            assertEquals(List.of(1L, 2L, 3L), serials(page));
            assertEquals(List.of("p1", "p2", "p3"), items(page).stream().map(i -> map(i.get("message"))
                .get("data")).toList());
        }
    }
}
