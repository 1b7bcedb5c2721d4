package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading is closed once its queued bytes pass {@code websocket.max_backpressure}; the
 * other subscribers of the channel keep receiving every event, in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowConsumerIT
{
    private static final String CHANNEL = "firehose";
    private static final int MAX_PUBLISHES = 400;

    @Test
    void shouldCloseASubscriberThatStopsReadingAndKeepServingTheOthers() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE + "\n[websocket]\nmax_backpressure = 65536\n");
            PusherSocket fast = server.connect();
            Socket slow = new Socket())
        {
            fast.subscribe(CHANNEL);
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            slow.setSoTimeout(10_000);
            subscribeAndStopReading(slow);

            final Api api = server.api();
            final String data = "x".repeat(50_000);
            int published = 0;
            boolean slowGone = false;
            while (published < MAX_PUBLISHES && !slowGone)
            {
                final Api.Response r = api.post("/events",
                    "{\"name\":\"e" + published + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"" + data + "\"}");
                assertEquals(200, r.status(), r.toString());
                published++;
                if (published % 5 == 0)
                {
                    final Api.Response info = api.get("/channels/" + CHANNEL, "info", "subscription_count");
                    slowGone = ((Number)info.json().get("subscription_count")).intValue() == 1;
                }
            }
            assertTrue(slowGone, "the slow subscriber was still subscribed after " + published + " publishes");

            for (int i = 0; i < published; i++)
            {
                final Map<String, Object> frame = fast.next();
                assertEquals("e" + i, frame.get("event"));
            }
            assertClosedByServer(slow);
        }
    }

    private static void subscribeAndStopReading(final Socket socket) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(("GET /app/" + TestServer.APP_KEY + " HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        final byte[] payload = ("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + CHANNEL + "\"}}")
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte)0x81;
        frame[1] = (byte)(0x80 | payload.length);
        // mask key 0: payload bytes unchanged
        System.arraycopy(payload, 0, frame, 6, payload.length);
        out.write(frame);
        out.flush();
        // read until the subscription is confirmed, then never read again
        final InputStream in = socket.getInputStream();
        final StringBuilder seen = new StringBuilder();
        final byte[] buffer = new byte[1024];
        while (!seen.toString().contains("subscription_succeeded"))
        {
            final int n = in.read(buffer);
            assertTrue(n > 0, "connection closed before the subscription succeeded: " + seen);
            seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    private static void assertClosedByServer(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final byte[] buffer = new byte[64 * 1024];
        try
        {
            while (in.read(buffer) >= 0)
            {
                // drain what the kernel still held for us until the server's FIN or RST
            }
        }
        catch (final SocketException ex)
        {
            return; // reset by the server: closed
        }
        catch (final SocketTimeoutException ex)
        {
            throw new AssertionError("the server did not close the slow consumer's socket", ex);
        }
    }
}
