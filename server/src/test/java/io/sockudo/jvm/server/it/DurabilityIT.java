package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged writes survive {@code kill -9}: a child server with the log backend takes publishes, updates and
 * appends, is killed with SIGKILL, and after a restart on the same log directory {@code /history}, message reads and
 * version lists return all of them and new serials sort above the old ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurabilityIT
{
    private static final int MESSAGES = 30;

    @Test
    void shouldKeepEveryAcknowledgedWriteAcrossKill9(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("server.toml");
        Files.writeString(config, "host = \"127.0.0.1\"\nport = 0\n[metrics]\nenabled = false\n" +
            "[rate_limiter]\nenabled = false\n[history]\nenabled = true\nbackend = \"log\"\n" +
            "[history.log]\ndirectory = \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n" +
            HistoryIT.VERSIONED + TestServer.MAIN_APP + HistoryIT.NAMESPACE);
        final List<String> serials = new ArrayList<>();
        String newestBeforeKill;
        Process process = ChildServer.start(config);
        try
        {
            final Api api = api(ChildServer.awaitPort(process));
            for (int i = 1; i <= MESSAGES; i++)
            {
                HistoryIT.publish(api, "chat:room", "m" + i);
            }
            final Map<String, Object> page = api.get("/channels/chat:room/history", "direction", "oldest_first")
                .json();
            for (final Map<String, Object> item : HistoryIT.items(page))
            {
                serials.add((String)HistoryIT.map(item.get("message")).get("message_serial"));
            }
            assertEquals(MESSAGES, serials.size());
            newestBeforeKill = serials.get(MESSAGES - 1);
            for (int i = 0; i < 10; i++)
            {
                final Api.Response update = api.post("/channels/chat:room/messages/" + serials.get(i) + "/update",
                    "{\"data\":\"u" + (i + 1) + "\"}");
                assertEquals(200, update.status(), update.body());
                newestBeforeKill = max(newestBeforeKill, (String)update.json().get("version_serial"));
                final Api.Response append = api.post("/channels/chat:room/messages/" + serials.get(10 + i) + "/append",
                    "{\"data\":\"+a\"}");
                assertEquals(200, append.status(), append.body());
                newestBeforeKill = max(newestBeforeKill, (String)append.json().get("version_serial"));
            }
        }
        finally
        {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, process.exitValue(), "exit status of a JVM killed by SIGKILL");

        process = ChildServer.start(config);
        try
        {
            final Api api = api(ChildServer.awaitPort(process));
            final Map<String, Object> page = api.get("/channels/chat:room/history", "direction", "oldest_first")
                .json();
            final List<Map<String, Object>> items = HistoryIT.items(page);
            assertEquals(MESSAGES, items.size(), "every acknowledged publish is in the history");
            for (int i = 0; i < MESSAGES; i++)
            {
                final Map<String, Object> message = HistoryIT.map(items.get(i).get("message"));
                assertEquals((long)(i + 1), items.get(i).get("serial"));
                assertEquals(serials.get(i), message.get("message_serial"));
                final String expected = i < 10 ? "u" + (i + 1) : i < 20 ? "m" + (i + 1) + "+a" : "m" + (i + 1);
                assertEquals(expected, message.get("data"), "message " + (i + 1));
            }
            final Map<String, Object> updated = HistoryIT.map(api.get("/channels/chat:room/messages/" + serials.get(0))
                .json().get("item"));
            assertEquals("update", updated.get("action"));
            assertEquals(2, HistoryIT.items(api.get("/channels/chat:room/messages/" + serials.get(10) + "/versions")
                .json()).size());

            HistoryIT.publish(api, "chat:room", "after restart");
            final Map<String, Object> newest = HistoryIT.items(api.get("/channels/chat:room/history", "limit", "1")
                .json()).get(0);
            assertEquals((long)(MESSAGES + 1), newest.get("serial"));
            final String serial = (String)HistoryIT.map(newest.get("message")).get("message_serial");
            assertTrue(serial.compareTo(newestBeforeKill) > 0, serial + " must sort above " + newestBeforeKill);
            assertEquals(MESSAGES + 21L, HistoryIT.map(newest.get("message")).get("serial"),
                "delivery serials continue after the restart");
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Api api(final int port)
    {
        return new Api(port, TestServer.APP_ID, TestServer.APP_KEY, TestServer.APP_SECRET);
    }

    private static String max(final String a, final String b)
    {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Test
    void shouldRefuseASecondServerOnTheSameLogDirectory(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("server.toml");
        Files.writeString(config, "host = \"127.0.0.1\"\nport = 0\n[metrics]\nenabled = false\n" +
            "[history]\nenabled = true\n[history.log]\ndirectory = \"" +
            dir.resolve("data").toString().replace("\\", "/") + "\"\n");
        final Process first = ChildServer.start(config);
        try
        {
            ChildServer.awaitPort(first);
            final Process second = ChildServer.start(config);
            final String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue(), output);
            assertTrue(output.contains("cannot start: cannot open the event log in ") &&
                output.contains("is in use by another process"), output);
        }
        finally
        {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
