package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-IP rate limiting of the HTTP API and of WebSocket upgrades ({@code [rate_limiter]}, spec pusher-v1 7.3)
 * and CORS on the HTTP API ({@code [cors]}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitCorsIT
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestServer limited(final int apiMax, final int wsMax, final int trustHops)
    {
        return TestServer.start(TestServer.FIXTURE +
            "[rate_limiter]\nenabled = true\n" +
            "[rate_limiter.api_rate_limit]\nmax_requests = " + apiMax + "\nwindow_seconds = 2\ntrust_hops = " +
            trustHops + "\n" +
            "[rate_limiter.websocket_rate_limit]\nmax_requests = " + wsMax + "\nwindow_seconds = 60\n");
    }

    @Test
    void shouldAnswer429WithHeadersPastTheLimitAndRecoverAfterTheWindow() throws Exception
    {
        try (TestServer server = limited(3, 100, 0))
        {
            for (int i = 1; i <= 3; i++)
            {
                final Api.Response ok = server.api().get("/channels");
                assertEquals(200, ok.status(), ok.toString());
                assertEquals("3", ok.header("x-ratelimit-limit"));
                assertEquals(Integer.toString(3 - i), ok.header("x-ratelimit-remaining"));
                assertTrue(Long.parseLong(ok.header("x-ratelimit-reset")) >= 1);
            }
            final Api.Response limited = server.api().get("/channels");
            assertEquals(429, limited.status(), limited.toString());
            assertEquals("Too Many Requests", limited.json().get("error"));
            assertEquals("Rate limit exceeded. Please try again later.", limited.json().get("message"));
            assertEquals("0", limited.header("x-ratelimit-remaining"));
            assertTrue(Long.parseLong(limited.header("retry-after")) >= 1, limited.toString());
            // /up is not limited
            assertEquals(200, Api.raw(server.port(), "GET", "/up", null).status());

            // bounded wait for the 2 s window to pass: the limiter must let requests through again
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 429;
            while (status == 429 && System.nanoTime() < deadline)
            {
                status = server.api().get("/channels").status();
            }
            assertEquals(200, status, "the limiter did not recover after its window");
        }
    }

    @Test
    void shouldKeyOnTheForwardedAddressOnlyWhenProxyHopsAreTrusted() throws Exception
    {
        try (TestServer trusted = limited(1, 100, 1))
        {
            // each forwarded client has its own window
            assertEquals(200, getWithForwardedFor(trusted, "10.0.0.1"));
            assertEquals(200, getWithForwardedFor(trusted, "10.0.0.2"));
            assertEquals(429, getWithForwardedFor(trusted, "10.0.0.1"));
        }
        try (TestServer untrusted = limited(1, 100, 0))
        {
            // without trust_hops the header is ignored: both requests share the peer address
            assertEquals(200, getWithForwardedFor(untrusted, "10.0.0.1"));
            assertEquals(429, getWithForwardedFor(untrusted, "10.0.0.2"));
        }
    }

    @Test
    void shouldAnswer429ToWebSocketUpgradesPastTheLimit() throws Exception
    {
        try (TestServer server = limited(100, 2, 0))
        {
            assertTrue(upgradeStatusLine(server).startsWith("HTTP/1.1 101 "));
            assertTrue(upgradeStatusLine(server).startsWith("HTTP/1.1 101 "));
            final String third = upgradeStatusLine(server);
            assertTrue(third.startsWith("HTTP/1.1 429 "), third);
        }
    }

    @Test
    void shouldAllowAnyOriginByDefault() throws Exception
    {
        try (TestServer server = TestServer.start())
        {
            final HttpResponse<String> preflight = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/apps/app-id/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://anywhere.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElse(null));
            assertEquals("GET, POST, OPTIONS",
                preflight.headers().firstValue("access-control-allow-methods").orElse(null));
            assertFalse(preflight.headers().firstValue("access-control-allow-credentials").isPresent());
        }
    }

    @Test
    void shouldEchoAnAllowedOriginAndOmitHeadersForOthers() throws Exception
    {
        try (TestServer server = TestServer.start(TestServer.FIXTURE +
            "[cors]\norigin = [\"https://good.example\"]\ncredentials = true\n"))
        {
            final HttpResponse<String> good = getWithOrigin(server, "https://good.example");
            assertEquals("https://good.example", good.headers().firstValue("access-control-allow-origin").orElse(null));
            assertEquals("true", good.headers().firstValue("access-control-allow-credentials").orElse(null));
            assertEquals("Origin", good.headers().firstValue("vary").orElse(null));

            final HttpResponse<String> evil = getWithOrigin(server, "https://evil.example");
            assertNull(evil.headers().firstValue("access-control-allow-origin").orElse(null));
        }
    }

    private static HttpResponse<String> getWithOrigin(final TestServer server, final String origin) throws Exception
    {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/up"))
            .header("Origin", origin).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int getWithForwardedFor(final TestServer server, final String ip) throws Exception
    {
        final Api.Request request = server.api().request("GET", "/apps/app-id/channels");
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + request.target()))
            .header("X-Forwarded-For", ip).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String upgradeStatusLine(final TestServer server) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", server.port()))
        {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /app/" + TestServer.APP_KEY + " HTTP/1.1\r\nHost: a\r\n" +
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n')
            {
                line.append((char)b);
            }
            return line.toString().trim();
        }
    }
}
