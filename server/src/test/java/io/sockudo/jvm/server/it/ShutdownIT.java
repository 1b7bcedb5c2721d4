package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server ({@code java -jar sockudo-server.jar}) in a child process: SIGTERM during traffic closes
 * every WebSocket with 4200 "Server shutting down" and the process exits within {@code shutdown_grace_period}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownIT
{
    private static final int GRACE_SECONDS = 5;

    @Test
    void shouldCloseWebSocketsWith4200AndExitWithinTheGracePeriodOnSigterm() throws Exception
    {
        final Path config = Files.createTempFile("sockudo-shutdown", ".toml");
        Files.writeString(config, "host = \"127.0.0.1\"\nport = 0\nshutdown_grace_period = " + GRACE_SECONDS + "\n" +
            "[metrics]\nenabled = false\n[rate_limiter]\nenabled = false\n" + TestServer.FIXTURE);
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
                            api.post("/events", "{\"name\":\"tick\",\"channel\":\"traffic\",\"data\":\"x\"}");
                            published.incrementAndGet();
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
            }
        }
        finally
        {
            publishing.set(false);
            process.destroyForcibly();
            Files.deleteIfExists(config);
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
}
