package io.sockudo.jvm.protocol.ws;

import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.sockudo.jvm.protocol.ws.Frames.bytes;
import static io.sockudo.jvm.protocol.ws.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class WebSocketFrameEncoderTest
{
    private final UnsafeBuffer dst = new UnsafeBuffer(new byte[70_000]);

    @ParameterizedTest
    @CsvSource({"0, 2", "1, 2", "125, 2", "126, 4", "65535, 4", "65536, 10", "2147483647, 10"})
    void shouldSizeHeaderByPayloadLength(final int payloadLength, final int headerLength)
    {
        assertEquals(headerLength, WebSocketFrameEncoder.headerLength(payloadLength));
    }

    @Test
    void shouldEncodeSevenBitLengthHeader()
    {
        assertEquals(2, WebSocketFrameEncoder.encodeHeader(dst, 0, WebSocketOpcodes.TEXT, true, 5));
        assertArrayEquals(bytes(0x81, 0x05), written(2));
    }

    @Test
    void shouldEncodeSixteenBitLengthHeader()
    {
        assertEquals(4, WebSocketFrameEncoder.encodeHeader(dst, 0, WebSocketOpcodes.BINARY, false, 0xFFFE));
        assertArrayEquals(bytes(0x02, 0x7E, 0xFF, 0xFE), written(4));
    }

    @Test
    void shouldEncodeSixtyFourBitLengthHeader()
    {
        assertEquals(10, WebSocketFrameEncoder.encodeHeader(dst, 0, WebSocketOpcodes.CONTINUATION, true, 65536));
        assertArrayEquals(bytes(0x80, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0), written(10));
    }

    @Test
    void shouldEncodeRfc6455UnmaskedHelloExample()
    {
        final int length = WebSocketFrameEncoder.encodeFrame(
            dst, 0, WebSocketOpcodes.TEXT, new UnsafeBuffer(utf8("Hello")), 0, 5);

        assertArrayEquals(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), written(length));
    }

    @Test
    void shouldEncodeRfc6455MaskedHelloExample()
    {
        final int length = WebSocketFrameEncoder.encodeMaskedFrame(
            dst, 0, WebSocketOpcodes.TEXT, true, 0x37fa213d, new UnsafeBuffer(utf8("Hello")), 0, 5);

        assertArrayEquals(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58), written(length));
    }

    @Test
    void shouldEncodeLargeFrameThatDecodes()
    {
        final byte[] payload = new byte[65536];
        Arrays.fill(payload, (byte)7);
        final int length = WebSocketFrameEncoder.encodeFrame(
            dst, 0, WebSocketOpcodes.BINARY, new UnsafeBuffer(payload), 0, payload.length);

        assertEquals(10 + 65536, length);
        assertEquals(List.of(RecordingHandler.message(false, payload)), decodeServerFrames(length));
    }

    @Test
    void shouldEncodeCloseWithCodeAndReason()
    {
        final int length = WebSocketFrameEncoder.encodeClose(dst, 0, CloseCodes.GOING_AWAY, "bye");

        assertArrayEquals(bytes(0x88, 0x05, 0x03, 0xE9, 'b', 'y', 'e'), written(length));
    }

    @Test
    void shouldEncodeCloseWithNullReason()
    {
        final int length = WebSocketFrameEncoder.encodeClose(dst, 0, CloseCodes.NORMAL, null);

        assertArrayEquals(bytes(0x88, 0x02, 0x03, 0xE8), written(length));
    }

    @Test
    void shouldEncodeEmptyCloseWhenCodeMayNotBeSent()
    {
        final int length = WebSocketFrameEncoder.encodeClose(dst, 0, CloseCodes.NO_STATUS, "ignored");

        assertArrayEquals(bytes(0x88, 0x00), written(length));
    }

    @ParameterizedTest
    @CsvSource({
        "200, '', 123",          // ASCII: cut at exactly 123 bytes
        "122, \u00e9, 122",      // 2-byte character would end at 124: dropped whole
        "121, \u00e9, 123",      // 2-byte character ends at 123: kept
        "121, \u20ac, 121",      // 3-byte character would end at 124
        "120, \ud83d\ude00, 120" // 4-byte character would end at 124
    })
    void shouldTruncateCloseReasonOnCharacterBoundary(
        final int asciiCount, final String tail, final int expectedReasonBytes)
    {
        final String reason = "r".repeat(asciiCount) + tail + "tail";
        final int length = WebSocketFrameEncoder.encodeClose(dst, 0, CloseCodes.POLICY_VIOLATION, reason);

        assertEquals(2 + 2 + expectedReasonBytes, length);
        assertEquals(2 + expectedReasonBytes, dst.getByte(1));
        final String expectedReason = new String(
            Arrays.copyOf(utf8(reason), expectedReasonBytes), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(List.of(RecordingHandler.close(CloseCodes.POLICY_VIOLATION, expectedReason)),
            decodeServerFrames(length));
    }

    @Test
    void shouldReplaceUnpairedSurrogateInCloseReason()
    {
        final int length = WebSocketFrameEncoder.encodeClose(dst, 0, CloseCodes.NORMAL, "a\ud800b");

        assertArrayEquals(bytes(0x88, 0x05, 0x03, 0xE8, 'a', '?', 'b'), written(length));
    }

    private byte[] written(final int length)
    {
        final byte[] bytes = new byte[length];
        dst.getBytes(0, bytes);
        return bytes;
    }

    private List<String> decodeServerFrames(final int length)
    {
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(1 << 20, false);
        final RecordingHandler handler = new RecordingHandler();
        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(dst, 0, length, handler));
        return handler.events;
    }
}
