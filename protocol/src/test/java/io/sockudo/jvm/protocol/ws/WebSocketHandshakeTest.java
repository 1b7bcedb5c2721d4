package io.sockudo.jvm.protocol.ws;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@Timeout(60)
class WebSocketHandshakeTest
{
    @Test
    void shouldComputeRfc6455SampleAcceptKey()
    {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "dGhlIHNhbXBsZSBub25jZQ==, true",
        "AAAAAAAAAAAAAAAAAAAAAA==, true",
        "abc+/9zZ09az+/AZaz09/w==, true",
        "'', false",
        "dGhlIHNhbXBsZSBub25jZQ=, false",
        "dGhlIHNhbXBsZSBub25jZQ===, false",
        "dGhlIHNhbXBsZSBub25jZQAA, false",
        "dGhlIHNhbXBsZSBub25jZ!==, false",
        "dGhlIHNhbXBsZSBu b25jZ==, false",
        "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==, false"
    })
    void shouldAcceptOnlyBase64OfSixteenBytes(final String key, final boolean valid)
    {
        assertEquals(valid, WebSocketHandshake.isValidKey(key), key);
    }

    @Test
    void shouldRejectNullKey()
    {
        assertFalse(WebSocketHandshake.isValidKey(null));
    }

    @Test
    void shouldBuildSwitchingProtocolsResponse()
    {
        final byte[] response = WebSocketHandshake.switchingProtocolsResponse("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

        assertEquals("HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
            "\r\n", new String(response, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldWriteTheSameResponseWithoutAStringInBetween()
    {
        final byte[] dst = new byte[WebSocketHandshake.SWITCHING_PROTOCOLS_LENGTH];
        for (final String key : new String[]{ "dGhlIHNhbXBsZSBub25jZQ==", "AAAAAAAAAAAAAAAAAAAAAA==",
            "abc+/9zZ09az+/AZaz09/w==", "x3JJHMbDL1EzLkh9GBhXDw==" })
        {
            final int length = WebSocketHandshake.writeSwitchingProtocols(key, dst);

            assertEquals(WebSocketHandshake.SWITCHING_PROTOCOLS_LENGTH, length);
            final String expected = new String(WebSocketHandshake.switchingProtocolsResponse(
                java.util.Base64.getEncoder().encodeToString(sha1(key + WebSocketHandshake.GUID))),
                StandardCharsets.US_ASCII);
            assertEquals(expected, new String(dst, 0, length, StandardCharsets.US_ASCII), key);
        }
    }

    private static byte[] sha1(final String s)
    {
        try
        {
            return java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.US_ASCII));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
