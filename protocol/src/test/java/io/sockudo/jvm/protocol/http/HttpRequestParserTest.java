package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HttpRequestParserTest
{
    private static final int MAX_HEADER = 1024;
    private static final int MAX_BODY = 64;

    private static final String GET = "GET /apps/app-id/channels/?filter_by_prefix=presence-&info=user_count " +
        "HTTP/1.1\r\n" +
        "Host: localhost:6001\r\n" +
        "User-Agent: test\r\n" +
        "X-Multi: first\r\n" +
        "accept:   */*  \r\n" +
        "X-Multi: second\r\n" +
        "\r\n";

    private static final String POST = "POST /apps/app-id/events?auth_key=k HTTP/1.1\r\n" +
        "Host: localhost\r\n" +
        "Content-Type: application/json\r\n" +
        "Content-Length: 27\r\n" +
        "\r\n" +
        "{\"name\":\"e\",\"channel\":\"c\"}\n";

    private static final String CHUNKED = "POST /apps/a/events HTTP/1.1\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "\r\n" +
        "4\r\nWiki\r\n" +
        "5;ext=1\r\npedia\r\n" +
        "d \r\n in \r\nchunks.\r\n" +
        "0\r\n" +
        "Trailer-Field: x\r\n" +
        "\r\n";

    private final HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY);

    private static UnsafeBuffer buffer(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unescape(final String s)
    {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\x01", "\u0001");
    }

    private int parseAll(final String raw)
    {
        final UnsafeBuffer buffer = buffer(raw);
        return parser.parse(buffer, 0, buffer.capacity());
    }

    /**
     * A stable rendering of everything a request exposes, to compare parses with one another.
     */
    private static String describe(final HttpRequest request)
    {
        final StringBuilder sb = new StringBuilder()
            .append(request.method()).append(' ')
            .append(request.rawPath()).append(' ')
            .append(request.path()).append(' ')
            .append(request.rawQuery()).append(' ')
            .append(request.version()).append(' ')
            .append(request.keepAlive()).append(' ')
            .append(request.isWebSocketUpgrade()).append('\n');
        for (final String name : request.headerNames())
        {
            sb.append(name).append('=').append(request.header(name)).append('\n');
        }
        sb.append(new String(request.body(), StandardCharsets.UTF_8));
        return sb.toString();
    }

    /**
     * Feeds {@code raw} split at every byte boundary and checks each split parses exactly like the whole.
     */
    private void assertParsesIdenticallyAtEverySplit(final String raw, final int maxBody)
    {
        final HttpRequestParser p = new HttpRequestParser(MAX_HEADER, maxBody);
        final UnsafeBuffer whole = buffer(raw);
        final int length = whole.capacity();
        assertEquals(HttpRequestParser.COMPLETE, p.parse(whole, 0, length));
        assertEquals(length, p.consumed());
        final String expected = describe(p.request());

        for (int split = 0; split < length; split++)
        {
            p.reset();
            assertEquals(HttpRequestParser.NEED_MORE, p.parse(whole, 0, split), "first part, split " + split);
            assertEquals(split, p.consumed());
            assertNull(p.request());
            assertEquals(HttpRequestParser.COMPLETE, p.parse(whole, split, length - split), "split " + split);
            assertEquals(length - split, p.consumed());
            assertEquals(expected, describe(p.request()), "split " + split);
        }

        p.reset();
        for (int i = 0; i < length; i++)
        {
            final int result = p.parse(whole, i, 1);
            assertEquals(1, p.consumed());
            assertEquals(i == length - 1 ? HttpRequestParser.COMPLETE : HttpRequestParser.NEED_MORE, result);
        }
        assertEquals(expected, describe(p.request()));
    }

    @Test
    void shouldParseGetWithHeaders()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll(GET));

        final HttpRequest request = parser.request();
        assertEquals("GET", request.method());
        assertEquals("/apps/app-id/channels/", request.rawPath());
        assertEquals("/apps/app-id/channels", request.path());
        assertEquals("filter_by_prefix=presence-&info=user_count", request.rawQuery());
        assertEquals("HTTP/1.1", request.version());
        assertEquals(List.of("Host", "User-Agent", "X-Multi", "accept", "X-Multi"), request.headerNames());
        assertEquals("localhost:6001", request.header("host"));
        assertEquals("*/*", request.header("ACCEPT"));
        assertEquals("first", request.header("x-multi"));
        assertNull(request.header("Content-Length"));
        assertNotNull(request.body());
        assertEquals(0, request.body().length);
        assertTrue(request.keepAlive());
        assertFalse(request.isWebSocketUpgrade());
        assertNull(parser.errorMessage());
    }

    @Test
    void shouldParsePostWithBody()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll(POST));

        final HttpRequest request = parser.request();
        assertEquals("POST", request.method());
        assertEquals("/apps/app-id/events", request.path());
        assertEquals("auth_key=k", request.rawQuery());
        assertEquals("{\"name\":\"e\",\"channel\":\"c\"}\n", new String(request.body(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldParseGetIdenticallyAtEverySplit()
    {
        assertParsesIdenticallyAtEverySplit(GET, MAX_BODY);
    }

    @Test
    void shouldParsePostIdenticallyAtEverySplit()
    {
        assertParsesIdenticallyAtEverySplit(POST, MAX_BODY);
    }

    @Test
    void shouldParseChunkedIdenticallyAtEverySplit()
    {
        assertParsesIdenticallyAtEverySplit(CHUNKED, MAX_BODY);
    }

    @Test
    void shouldDechunkBody()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll(CHUNKED));

        assertEquals("Wikipedia in \r\nchunks.", new String(parser.request().body(), StandardCharsets.UTF_8));
        assertEquals("chunked", parser.request().header("transfer-encoding"));
    }

    @Test
    void shouldGrowChunkedBodyUpToExactlyTheLimit()
    {
        final String sixtyFour = "x".repeat(MAX_BODY);
        final String raw = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "20\r\n" + sixtyFour.substring(0, 32) + "\r\n" +
            "20\r\n" + sixtyFour.substring(32) + "\r\n" +
            "0\r\n\r\n";

        assertEquals(HttpRequestParser.COMPLETE, parseAll(raw));
        assertEquals(sixtyFour, new String(parser.request().body(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectChunkedBodyOverLimit()
    {
        final String raw = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "20\r\n" + "x".repeat(32) + "\r\n" +
            "21\r\n" + "x".repeat(33) + "\r\n" +
            "0\r\n\r\n";

        assertEquals(413, parseAll(raw));
    }

    @Test
    void shouldRejectHugeChunkSizeWithoutOverflow()
    {
        assertEquals(413, parseAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n"));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "zz\\r\\n",
        "\\r\\n",
        "4 x\\r\\nWiki\\r\\n",
        "4\\r\\nWikiX\\r\\n",
    })
    void shouldRejectMalformedChunkedBody(final String chunks)
    {
        assertEquals(400, parseAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + unescape(chunks)));
        assertEquals("Malformed chunked body", parser.errorMessage());
    }

    @Test
    void shouldRejectOversizedChunkedTrailers()
    {
        final String raw = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " +
            "x".repeat(MAX_HEADER) + "\r\n\r\n";

        assertEquals(431, parseAll(raw));
    }

    @Test
    void shouldConsumeOnlyFirstOfTwoPipelinedRequests()
    {
        final String second = "GET /up HTTP/1.1\r\nHost: x\r\n\r\n";
        final UnsafeBuffer buffer = buffer(POST + second);
        final int postLength = POST.getBytes(StandardCharsets.UTF_8).length;

        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, 0, buffer.capacity()));
        assertEquals(postLength, parser.consumed());
        assertEquals("/apps/app-id/events", parser.request().path());

        parser.reset();
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer, postLength, buffer.capacity() - postLength));
        assertEquals(buffer.capacity() - postLength, parser.consumed());
        assertEquals("/up", parser.request().path());
        assertEquals(0, parser.request().body().length);
    }

    @Test
    void shouldLeaveWebSocketFrameBytesAfterUpgradeRequest()
    {
        final String upgrade = "GET /app/key?protocol=7 HTTP/1.1\r\n" +
            "Host: localhost\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "\r\n";
        final byte[] head = upgrade.getBytes(StandardCharsets.US_ASCII);
        final byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte)0x81;

        assertEquals(HttpRequestParser.COMPLETE, parser.parse(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals(head.length, parser.consumed());
        assertTrue(parser.request().isWebSocketUpgrade());
        assertEquals("/app/key", parser.request().path());
        assertEquals("protocol=7", parser.request().rawQuery());
    }

    @Test
    void shouldKeepReturningResultWithoutConsumingUntilReset()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET / HTTP/1.1\r\n\r\n"));
        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET /other HTTP/1.1\r\n\r\n"));
        assertEquals(0, parser.consumed());
        assertEquals("/", parser.request().path());

        parser.reset();
        assertEquals(400, parseAll("BAD\r\n\r\n"));
        assertEquals(400, parseAll("GET / HTTP/1.1\r\n\r\n"));
        assertEquals(0, parser.consumed());
        assertNull(parser.request());

        parser.reset();
        assertNull(parser.errorMessage());
        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET /again HTTP/1.1\r\n\r\n"));
        assertEquals("/again", parser.request().path());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {
        "missing version              ¦ GET /\\r\\n\\r\\n                                     ¦ 400",
        "double space                 ¦ GET  / HTTP/1.1\\r\\n\\r\\n                           ¦ 400",
        "trailing space               ¦ GET / HTTP/1.1 \\r\\n\\r\\n                           ¦ 400",
        "method not a token           ¦ G(T / HTTP/1.1\\r\\n\\r\\n                            ¦ 400",
        "lower-case protocol          ¦ GET / http/1.1\\r\\n\\r\\n                            ¦ 400",
        "version without minor        ¦ GET / HTTP/2\\r\\n\\r\\n                              ¦ 400",
        "absolute-form target         ¦ GET http://x/ HTTP/1.1\\r\\n\\r\\n                    ¦ 400",
        "asterisk for GET             ¦ GET * HTTP/1.1\\r\\n\\r\\n                            ¦ 400",
        "bare CR in request line      ¦ GET /\\ra HTTP/1.1\\r\\n\\r\\n                         ¦ 400",
        "obs-fold                     ¦ GET / HTTP/1.1\\r\\nX-A: 1\\r\\n  more\\r\\n\\r\\n        ¦ 400",
        "space before colon           ¦ GET / HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n                ¦ 400",
        "space in name                ¦ GET / HTTP/1.1\\r\\nHo st: x\\r\\n\\r\\n                ¦ 400",
        "missing colon                ¦ GET / HTTP/1.1\\r\\nHost\\r\\n\\r\\n                    ¦ 400",
        "empty name                   ¦ GET / HTTP/1.1\\r\\n: x\\r\\n\\r\\n                    ¦ 400",
        "control char in value        ¦ GET / HTTP/1.1\\r\\nX-A: a\\x01b\\r\\n\\r\\n          ¦ 400",
        "bare CR in value             ¦ GET / HTTP/1.1\\r\\nX-A: a\\rb\\r\\n\\r\\n               ¦ 400",
        "non-numeric Content-Length   ¦ POST / HTTP/1.1\\r\\nContent-Length: 1x\\r\\n\\r\\n     ¦ 400",
        "negative Content-Length      ¦ POST / HTTP/1.1\\r\\nContent-Length: -1\\r\\n\\r\\n     ¦ 400",
        "empty Content-Length         ¦ POST / HTTP/1.1\\r\\nContent-Length:\\r\\n\\r\\n        ¦ 400",
        "conflicting lengths ¦ POST / HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n ¦ 400",
        "length and chunked ¦ POST / HTTP/1.1\\nContent-Length: 1\\nTransfer-Encoding: chunked\\n\\n ¦ 400",
        "body over limit              ¦ POST / HTTP/1.1\\r\\nContent-Length: 65\\r\\n\\r\\n     ¦ 413",
        "huge Content-Length ¦ POST / HTTP/1.1\\r\\nContent-Length: 99999999999999999999999\\r\\n\\r\\n ¦ 413",
        "gzip transfer coding         ¦ POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n ¦ 501",
        "gzip then chunked            ¦ POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n ¦ 501",
        "HTTP/2.0                     ¦ GET / HTTP/2.0\\r\\n\\r\\n                            ¦ 505",
        "HTTP/1.2                     ¦ GET / HTTP/1.2\\r\\n\\r\\n                            ¦ 505",
        "HTTP/0.9                     ¦ GET / HTTP/0.9\\r\\n\\r\\n                            ¦ 505",
    }, delimiter = '¦')
    void shouldRejectBadRequestWithStatus(final String description, final String raw, final int status)
    {
        final String unescaped = unescape(raw);

        assertEquals(status, parseAll(unescaped), description);
        assertNotNull(parser.errorMessage());
        assertNull(parser.request());
    }

    @Test
    void shouldDecideOversizedBodyBeforeReadingIt()
    {
        final String head = "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n";
        final UnsafeBuffer buffer = buffer(head + "x".repeat(65));

        assertEquals(413, parser.parse(buffer, 0, buffer.capacity()));
        assertEquals(head.length(), parser.consumed());
    }

    @Test
    void shouldAcceptBodyOfExactlyTheLimitAndRepeatedEqualContentLength()
    {
        final String raw = "POST / HTTP/1.1\r\nContent-Length: 64\r\ncontent-length: 64\r\n\r\n" + "y".repeat(64);

        assertEquals(HttpRequestParser.COMPLETE, parseAll(raw));
        assertEquals(64, parser.request().body().length);
    }

    @Test
    void shouldAcceptHeadOfExactlyTheLimitAndRejectOneMore()
    {
        final String start = "GET / HTTP/1.1\r\nX: ";
        final String exact = start + "a".repeat(MAX_HEADER - start.length() - 4) + "\r\n\r\n";
        assertEquals(MAX_HEADER, exact.length());
        assertEquals(HttpRequestParser.COMPLETE, parseAll(exact));

        parser.reset();
        final String over = start + "a".repeat(MAX_HEADER - start.length() - 3) + "\r\n\r\n";
        assertEquals(431, parseAll(over));
    }

    @Test
    void shouldRejectEndlessHeaderWithoutWaitingForBlankLine()
    {
        final UnsafeBuffer buffer = buffer("GET /" + "a".repeat(MAX_HEADER * 2));

        assertEquals(431, parser.parse(buffer, 0, buffer.capacity()));
        assertEquals(MAX_HEADER + 1, parser.consumed());
    }

    @Test
    void shouldAcceptBareLineFeedsAndSkipLeadingBlankLines()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll("\r\n\nGET /x HTTP/1.0\nHost: h\n\n"));

        assertEquals("/x", parser.request().path());
        assertEquals("HTTP/1.0", parser.request().version());
        assertEquals("h", parser.request().header("Host"));
    }

    @Test
    void shouldAcceptOptionsAsterisk()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll("OPTIONS * HTTP/1.1\r\n\r\n"));

        assertEquals("*", parser.request().rawPath());
        assertEquals("*", parser.request().path());
        assertNull(parser.request().rawQuery());
    }

    @ParameterizedTest
    @CsvSource(value = {
        "/           ¦ /          ¦ /         ¦ NULL",
        "/up/        ¦ /up/       ¦ /up       ¦ NULL",
        "/a//        ¦ /a//       ¦ /a/       ¦ NULL",
        "/a?         ¦ /a         ¦ /a        ¦ ''",
        "/a/?x=1&y   ¦ /a/        ¦ /a        ¦ x=1&y",
        "/%7Ea?q=%20 ¦ /%7Ea      ¦ /%7Ea     ¦ q=%20",
    }, delimiter = '¦', nullValues = "NULL")
    void shouldSplitTarget(final String target, final String rawPath, final String path, final String rawQuery)
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET " + target + " HTTP/1.1\r\n\r\n"));

        assertEquals(rawPath, parser.request().rawPath());
        assertEquals(path, parser.request().path());
        assertEquals(rawQuery, parser.request().rawQuery());
    }

    @ParameterizedTest
    @CsvSource(value = {
        "HTTP/1.1 ¦ NULL                   ¦ true",
        "HTTP/1.1 ¦ close                  ¦ false",
        "HTTP/1.1 ¦ Close                  ¦ false",
        "HTTP/1.1 ¦ keep-alive, close      ¦ false",
        "HTTP/1.1 ¦ keep-alive             ¦ true",
        "HTTP/1.1 ¦ closed                 ¦ true",
        "HTTP/1.0 ¦ NULL                   ¦ false",
        "HTTP/1.0 ¦ keep-alive             ¦ true",
        "HTTP/1.0 ¦ Keep-Alive             ¦ true",
        "HTTP/1.0 ¦ TE,  keep-alive        ¦ true",
        "HTTP/1.0 ¦ close                  ¦ false",
    }, delimiter = '¦', nullValues = "NULL")
    void shouldDecideKeepAlive(final String version, final String connection, final boolean keepAlive)
    {
        final String header = null == connection ? "" : "Connection: " + connection + "\r\n";

        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET / " + version + "\r\n" + header + "\r\n"));
        assertEquals(keepAlive, parser.request().keepAlive());
        assertEquals(version, parser.request().version());
    }

    @Test
    void shouldCombineRepeatedConnectionHeaders()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll(
            "GET / HTTP/1.1\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));

        assertFalse(parser.request().keepAlive());
    }

    @ParameterizedTest
    @CsvSource(value = {
        "GET  ¦ websocket ¦ Upgrade              ¦ true",
        "GET  ¦ WebSocket ¦ keep-alive, Upgrade  ¦ true",
        "GET  ¦ websocket ¦ UPGRADE              ¦ true",
        "POST ¦ websocket ¦ Upgrade              ¦ false",
        "get  ¦ websocket ¦ Upgrade              ¦ false",
        "GET  ¦ h2c       ¦ Upgrade              ¦ false",
        "GET  ¦ NULL      ¦ Upgrade              ¦ false",
        "GET  ¦ websocket ¦ keep-alive           ¦ false",
        "GET  ¦ websocket ¦ NULL                 ¦ false",
        "GET  ¦ websocket ¦ upgrades             ¦ false",
    }, delimiter = '¦', nullValues = "NULL")
    void shouldDetectWebSocketUpgrade(
        final String method, final String upgrade, final String connection, final boolean expected)
    {
        final String raw = method + " /app/key HTTP/1.1\r\nHost: h\r\n" +
            (null == upgrade ? "" : "Upgrade: " + upgrade + "\r\n") +
            (null == connection ? "" : "Connection: " + connection + "\r\n") +
            "\r\n";

        assertEquals(HttpRequestParser.COMPLETE, parseAll(raw));
        assertEquals(expected, parser.request().isWebSocketUpgrade());
    }

    @Test
    void shouldReportExpectContinueWhileBodyIsPending()
    {
        final UnsafeBuffer head = buffer("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");

        assertEquals(HttpRequestParser.NEED_MORE, parser.parse(head, 0, head.capacity()));
        assertTrue(parser.expectsContinue());

        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer("ok"), 0, 2));
        assertFalse(parser.expectsContinue());
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), parser.request().body());
    }

    @Test
    void shouldDecodeHeaderValuesAsUtf8()
    {
        assertEquals(HttpRequestParser.COMPLETE, parseAll("GET / HTTP/1.1\r\nX-Name: caf\u00e9\r\n\r\n"));

        assertEquals("caf\u00e9", parser.request().header("x-name"));
    }

    @Test
    void commonNamesAndValuesAreSharedConstantsAndEverythingElseIsDecoded()
    {
        final String upgrade = "GET /app/key?protocol=7 HTTP/1.1\r\n" +
            "Host: localhost:6001\r\n" +
            "Upgrade: websocket\r\n" +
            "connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "Sec-WebSocket-Version: 13\r\n" +
            "SEC-WEBSOCKET-VERSION: 13 \r\n" +
            "X-Odd: WebSocket\r\n" +
            "\r\n";
        assertEquals(HttpRequestParser.COMPLETE, parser.parse(buffer(upgrade), 0, upgrade.length()));
        final HttpRequest request = parser.request();

        assertEquals(List.of("Host", "Upgrade", "connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
            "SEC-WEBSOCKET-VERSION", "X-Odd"), request.headerNames());
        assertSame("GET", request.method(), "method constant");
        assertSame("Upgrade", request.headerNames().get(1), "name constant");
        assertSame("websocket", request.header("upgrade"), "value constant");
        assertSame("13", request.header("Sec-WebSocket-Version"), "value constant");
        assertEquals("WebSocket", request.header("x-odd"));
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", request.header("sec-websocket-key"));
        assertEquals("localhost:6001", request.header("host"));
        assertTrue(request.isWebSocketUpgrade());
    }
}
