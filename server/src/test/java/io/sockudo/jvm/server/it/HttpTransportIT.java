package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1 on raw sockets: malformed and oversized requests get a status and a closed connection, keep-alive
 * and pipelining serve several requests on one connection, chunked bodies are accepted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpTransportIT
{
    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void shouldAnswer400AndCloseWhenRequestLineIsMalformed() throws IOException
    {
        final String response = exchange("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("\"status\":400"), response);
    }

    @Test
    void shouldAnswer431WhenHeadersAreTooLarge() throws IOException
    {
        final String big = "x".repeat(20_000);
        final String response = exchange(("GET /up HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 431 "), response);
    }

    @Test
    void shouldAnswer413BeforeReadingABodyOverTheLimit() throws IOException
    {
        // http_api.request_limit_in_mb defaults to 10 MiB; the status comes from Content-Length alone.
        final String response = exchange(("POST /apps/app-id/events HTTP/1.1\r\nHost: a\r\nContent-Length: " +
            (11 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
    }

    @Test
    void shouldAnswer505ForAnUnsupportedVersion() throws IOException
    {
        final String response = exchange("GET /up HTTP/1.2\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 505 "), response);
    }

    @Test
    void shouldServePipelinedRequestsOnOneConnection() throws IOException
    {
        final String two = "GET /up HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        final String response = exchange(two.getBytes(StandardCharsets.US_ASCII));
        final int second = response.indexOf("HTTP/1.1 404 ");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(second > 0, response);
        assertTrue(response.endsWith("404 NOT FOUND"), response);
    }

    @Test
    void shouldAcceptAChunkedSignedPublish() throws IOException
    {
        final String body = "{\"name\":\"e\",\"channel\":\"my-channel\",\"data\":\"x\"}";
        final String target = server.api().request("POST", "/apps/app-id/events").body(body).target();
        final String half1 = body.substring(0, 10);
        final String half2 = body.substring(10);
        final String request = "POST " + target + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            Integer.toHexString(half1.length()) + "\r\n" + half1 + "\r\n" +
            Integer.toHexString(half2.length()) + "\r\n" + half2 + "\r\n0\r\n\r\n";
        final String response = exchange(request.getBytes(StandardCharsets.UTF_8));
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("{\"ok\":true}"), response);
    }

    @Test
    void shouldAnswer405WithJsonForAWrongMethodOnAKnownRoute() throws IOException
    {
        final String response = exchange("GET /apps/app-id/events HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 405 "), response);
        assertTrue(response.contains("Allow: POST"), response);
    }

    @Test
    void parsersReusedAfterErrorsHalfRequestsAndUpgradesStartClean() throws IOException
    {
        // Reactors keep HTTP parsers for the next connection; whatever state the last user left (an error, half a
        // head, an upgrade) must not leak into the next request. Enough rounds to reuse every reactor's parsers.
        for (int round = 0; round < 24; round++)
        {
            assertTrue(exchange("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 "));
            try (Socket half = new Socket("127.0.0.1", server.port()))
            {
                half.getOutputStream().write("GET /up HTTP/1.1\r\nHost: a\r\nX-Half: yes".getBytes(
                    StandardCharsets.US_ASCII));
                half.getOutputStream().flush();
            }
            final String upgrade = upgradeHead("/app/app-key?protocol=7&client=java&version=2.4.0&flash=false");
            assertTrue(upgrade.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), upgrade);
            assertTrue(upgrade.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), upgrade);
            final String up = exchange("GET /up/app-id HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
            assertTrue(up.startsWith("HTTP/1.1 200 "), up);
            assertTrue(exchange("GET /app/app-key?protocol=%zz HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13" +
                "\r\n\r\n").startsWith("HTTP/1.1 400 "));
        }
    }

    private String exchange(final String request) throws IOException
    {
        return exchange(request.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends an upgrade with the RFC 6455 sample key and returns the response head. */
    private String upgradeHead(final String target) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0)
            {
                final int b = in.read();
                if (b < 0)
                {
                    break;
                }
                head.append((char)b);
            }
            return head.toString();
        }
    }

    /** Sends the bytes, then reads until the server closes the connection. */
    private String exchange(final byte[] request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            final byte[] buffer = new byte[8192];
            int n;
            try
            {
                while ((n = in.read(buffer)) >= 0)
                {
                    received.write(buffer, 0, n);
                }
            }
            catch (final java.net.SocketException ex)
            {
                // a reset after the server answered and closed is fine: we assert on what was received
            }
            assertEquals(false, received.size() == 0, "no response before the connection closed");
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
