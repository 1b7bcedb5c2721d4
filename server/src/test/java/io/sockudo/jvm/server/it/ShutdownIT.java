package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server ({@code java -jar sockudo-server.jar}) in a child process: SIGTERM during traffic closes
 * every WebSocket with 4200 "Server shutting down", the process exits within {@code shutdown_grace_period},
 * and after a restart every publish that was acknowledged is in the history log.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownIT
{
    private static final int GRACE_SECONDS = 5;

    @Test
    void shouldCloseWebSocketsWith4200AndExitWithinTheGracePeriodOnSigterm(@TempDir final Path dir) throws Exception
    {
        final Path config = dir.resolve("server.toml");
        Files.writeString(config, "host = \"127.0.0.1\"\nport = 0\nshutdown_grace_period = " + GRACE_SECONDS + "\n" +
            "[metrics]\nenabled = false\n[rate_limiter]\nenabled = false\n[history]\nenabled = true\n" +
            "[history.log]\ndirectory = \"" + dir.resolve("data").toString().replace("\\", "/") + "\"\n" +
            TestServer.FIXTURE);
        final Process process = ChildServer.start(config);
        final AtomicBoolean publishing = new AtomicBoolean(true);
        try
        {
            final int port = ChildServer.awaitPort(process);
            try (PusherSocket a = PusherSocket.connect(port, TestServer.APP_KEY, TestServer.APP_SECRET);
                PusherSocket b = PusherSocket.connect(port, TestServer.APP_KEY, TestServer.APP_SECRET))
            {
                a.subscribe("traffic");
                b.subscribe("traffic");
                final Api api = new Api(port, TestServer.APP_ID, TestServer.APP_KEY, TestServer.APP_SECRET);
                final AtomicInteger published = new AtomicInteger();
                final CompletableFuture<Void> traffic = CompletableFuture.runAsync(() ->
                {
                    while (publishing.get() && published.get() < 100_000)
                    {
                        try
                        {
                            if (api.post("/events", "{\"name\":\"tick\",\"channel\":\"traffic\",\"data\":\"x\"}")
                                .status() == 200)
                            {
                                published.incrementAndGet();
                            }
                        }
                        catch (final AssertionError ex)
                        {
                            return; // the server went away mid-request
                        }
                    }
                });
                assertEquals("tick", a.next().get("event"), "traffic flows before the signal");

                final long signalledAt = System.nanoTime();
                process.destroy(); // SIGTERM
                for (final PusherSocket socket : new PusherSocket[]{a, b})
                {
                    final RawWebSocket.Frame close = awaitClose(socket.raw());
                    assertEquals(4200, close.closeCode(), close.toString());
                    assertEquals("Server shutting down", close.closeReason());
                }
                assertTrue(process.waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS), "the process did not exit");
                final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalledAt);
                assertTrue(tookMs <= (GRACE_SECONDS + 1) * 1000L,
                    "exit took " + tookMs + " ms, more than the " + GRACE_SECONDS + " s grace period");
                assertEquals(143, process.exitValue(), "exit status of a JVM stopped by SIGTERM");
                publishing.set(false);
                traffic.get(10, TimeUnit.SECONDS);
                assertAcknowledgedPublishesSurvive(config, published.get());
            }
        }
        finally
        {
            publishing.set(false);
            process.destroyForcibly();
        }
    }

    private static RawWebSocket.Frame awaitClose(final RawWebSocket ws)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            final RawWebSocket.Frame f = ws.nextFrame(Duration.ofSeconds(10));
            if (f.opcode() == RawWebSocket.OP_CLOSE)
            {
                return f;
            }
            assertTrue(f.opcode() != RawWebSocket.OP_EOF, "connection dropped without a close frame");
        }
        throw new AssertionError("no close frame within 10 s");
    }

    /** After a restart on the same log, the history holds at least every publish that was answered 200. */
    private static void assertAcknowledgedPublishesSurvive(final Path config, final int acknowledged) throws Exception
    {
        assertTrue(acknowledged > 0, "no publish was acknowledged before the signal");
        final Process restarted = ChildServer.start(config);
        try
        {
            final Api api = new Api(ChildServer.awaitPort(restarted), TestServer.APP_ID, TestServer.APP_KEY,
                TestServer.APP_SECRET);
            final Map<String, Object> page = api.get("/channels/traffic/history", "limit", "1").json();
            final Map<String, Object> continuity = HistoryIT.map(page.get("continuity"));
            final long retained = (Long)continuity.get("retained_messages");
            assertTrue(retained >= acknowledged, retained + " stored, " + acknowledged + " acknowledged");
            assertEquals(retained, continuity.get("newest_available_serial"), "no gap in the serials");
        }
        finally
        {
            restarted.destroyForcibly();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
