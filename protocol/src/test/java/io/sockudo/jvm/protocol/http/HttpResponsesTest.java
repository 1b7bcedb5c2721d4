package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class HttpResponsesTest
{
    private static String ascii(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shouldEncodeFullResponseInHeaderOrder()
    {
        final byte[] response = HttpResponses.encode(
            200, "application/octet-stream", new byte[]{ 1, 2 }, true, "X-A", "1", "X-B", "2");

        final byte[] head = ("HTTP/1.1 200 OK\r\n" +
            "Content-Type: application/octet-stream\r\n" +
            "Content-Length: 2\r\n" +
            "Connection: keep-alive\r\n" +
            "X-A: 1\r\n" +
            "X-B: 2\r\n" +
            "\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] expected = new byte[head.length + 2];
        System.arraycopy(head, 0, expected, 0, head.length);
        expected[head.length] = 1;
        expected[head.length + 1] = 2;
        assertArrayEquals(expected, response);
    }

    @Test
    void shouldOmitContentTypeWhenNullAndWriteZeroLengthForNullBody()
    {
        assertEquals(
            "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            ascii(HttpResponses.encode(204, null, null, false)));
    }

    @Test
    void shouldEncodeJsonWithUtf8ByteLength()
    {
        assertEquals(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 12\r\n" +
                "Connection: close\r\n\r\n{\"e\":\"\u00e9\u00e9\"}",
            ascii(HttpResponses.json(400, "{\"e\":\"\u00e9\u00e9\"}", false)));
    }

    @Test
    void shouldEncodeTextWithExtraHeaders()
    {
        assertEquals(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n" +
                "Cache-Control: no-store\r\n\r\nOK",
            ascii(HttpResponses.text(200, "OK", true, "Cache-Control", "no-store")));
    }

    @Test
    void shouldRejectOddExtraHeaders()
    {
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.text(200, "x", true, "X-A"));
    }

    @Test
    void shouldRejectHeaderInjection()
    {
        assertThrows(
            IllegalArgumentException.class,
            () -> HttpResponses.text(200, "x", true, "X-A", "1\r\nSet-Cookie: a=b"));
        assertThrows(IllegalArgumentException.class, () -> HttpResponses.encode(200, "a\nb", null, true));
    }

    @ParameterizedTest
    @CsvSource({
        "101, Switching Protocols",
        "200, OK",
        "400, Bad Request",
        "401, Unauthorized",
        "404, Not Found",
        "405, Method Not Allowed",
        "413, Payload Too Large",
        "415, Unsupported Media Type",
        "422, Unprocessable Entity",
        "429, Too Many Requests",
        "431, Request Header Fields Too Large",
        "500, Internal Server Error",
        "501, Not Implemented",
        "503, Service Unavailable",
        "505, HTTP Version Not Supported",
        "299, Unknown",
    })
    void shouldKnowReasonPhrases(final int status, final String reason)
    {
        assertEquals(reason, HttpResponses.reasonPhrase(status));
    }

    /** The response written the plain way, to check the scratch-buffer writer against. */
    private static String reference(final int status, final String type, final String body, final boolean keepAlive,
        final String... headers)
    {
        final StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
            .append(HttpResponses.reasonPhrase(status)).append("\r\nContent-Type: ").append(type)
            .append("\r\nContent-Length: ").append(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .append("\r\nConnection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        for (int i = 0; i < headers.length; i += 2)
        {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return sb.append("\r\n").append(body).toString();
    }

    @Test
    void writesTheSameBytesAsThePlainWayForAsciiUnicodeAndLargeBodies()
    {
        final String[] bodies = { "", "{\"ok\":true}", "{\"m\":\"caf\u00e9 \uD83D\uDE00\"}", "x".repeat(100_000),
            "{\"ok\":false}" };
        final int[] statuses = { 200, 404, 429, 500, 999 };
        for (int i = 0; i < bodies.length; i++)
        {
            final String[] headers = i % 2 == 0 ? new String[0] :
                new String[]{ "X-RateLimit-Limit", "100", "Access-Control-Allow-Origin", "https://\u00e9.example" };
            final byte[] json = HttpResponses.json(statuses[i], bodies[i], i % 2 == 0, headers);
            assertEquals(reference(statuses[i], "application/json", bodies[i], i % 2 == 0, headers),
                new String(json, java.nio.charset.StandardCharsets.UTF_8), "body " + i);
            final byte[] text = HttpResponses.text(statuses[i], bodies[i], false, headers);
            assertEquals(reference(statuses[i], "text/plain", bodies[i], false, headers),
                new String(text, java.nio.charset.StandardCharsets.UTF_8), "text " + i);
        }
    }
}
