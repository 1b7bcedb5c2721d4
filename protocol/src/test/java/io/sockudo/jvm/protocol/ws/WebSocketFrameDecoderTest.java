package io.sockudo.jvm.protocol.ws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.sockudo.jvm.protocol.ws.Frames.bytes;
import static io.sockudo.jvm.protocol.ws.Frames.utf8;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.BINARY;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.CLOSE;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.CONTINUATION;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.PING;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.PONG;
import static io.sockudo.jvm.protocol.ws.WebSocketOpcodes.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class WebSocketFrameDecoderTest
{
    private static final int MAX_MESSAGE = 1 << 20;

    static Stream<Arguments> frameStreams()
    {
        final byte[] small = utf8("hello");
        final byte[] text126 = utf8("\u00e9\u00e9\u00e9" + "x".repeat(120));
        final byte[] text65536 = largeText(65536);
        final byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++)
        {
            binary[i] = (byte)i;
        }
        final byte[] pingPayload = utf8("are you there?");
        final byte[] pongPayload = bytes(0, 1, 2, 0xFF);

        return Stream.of(
            Arguments.of("text small", new Frames().masked(TEXT, true, small).toBytes(),
                List.of(RecordingHandler.message(true, small))),
            Arguments.of("text 126", new Frames().masked(TEXT, true, text126).toBytes(),
                List.of(RecordingHandler.message(true, text126))),
            Arguments.of("text 65536", new Frames().masked(TEXT, true, text65536).toBytes(),
                List.of(RecordingHandler.message(true, text65536))),
            Arguments.of("empty text", new Frames().masked(TEXT, true, new byte[0]).toBytes(),
                List.of(RecordingHandler.message(true, new byte[0]))),
            Arguments.of("binary", new Frames().masked(BINARY, true, binary).toBytes(),
                List.of(RecordingHandler.message(false, binary))),
            Arguments.of("ping", new Frames().masked(PING, true, pingPayload).toBytes(),
                List.of(RecordingHandler.ping(pingPayload))),
            Arguments.of("pong", new Frames().masked(PONG, true, pongPayload).toBytes(),
                List.of(RecordingHandler.pong(pongPayload))),
            Arguments.of("close with payload",
                new Frames().masked(CLOSE, true, closePayload(1000, "bye \u00e9")).toBytes(),
                List.of(RecordingHandler.close(1000, "bye \u00e9"))),
            Arguments.of("close without payload", new Frames().masked(CLOSE, true, new byte[0]).toBytes(),
                List.of(RecordingHandler.close(CloseCodes.NO_STATUS, ""))),
            Arguments.of("3 fragments with a ping between", new Frames()
                    .masked(TEXT, false, utf8("Hel"))
                    .masked(PING, true, utf8("p"))
                    .masked(CONTINUATION, false, bytes('l', 'o', ' ', 'w', 0xC3)) // splits the 'ö' across fragments
                    .masked(CONTINUATION, true, bytes(0xB6, 'r', 'l', 'd'))
                    .toBytes(),
                List.of(RecordingHandler.ping(utf8("p")), RecordingHandler.message(true, utf8("Hello w\u00f6rld")))),
            Arguments.of("several frames then close", new Frames()
                    .masked(BINARY, false, bytes(1, 2))
                    .masked(CONTINUATION, false, new byte[0])
                    .masked(PONG, true, new byte[0])
                    .masked(CONTINUATION, true, bytes(3))
                    .masked(TEXT, true, small)
                    .masked(CLOSE, true, closePayload(4001, ""))
                    .toBytes(),
                List.of(
                    RecordingHandler.pong(new byte[0]),
                    RecordingHandler.message(false, bytes(1, 2, 3)),
                    RecordingHandler.message(true, small),
                    RecordingHandler.close(4001, ""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameStreams")
    void shouldDecodeSameCallbacksWhenSplitAtEveryByteBoundary(
        final String name, final byte[] stream, final List<String> expected)
    {
        final byte[] work = new byte[stream.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(work);
        for (int split = 0; split <= stream.length; split++)
        {
            System.arraycopy(stream, 0, work, 0, stream.length);
            final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
            final RecordingHandler handler = new RecordingHandler();

            assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, 0, split, handler), name);
            assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, split, stream.length - split, handler), name);
            assertEquals(expected, handler.events, "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameStreams")
    void shouldDecodeSameCallbacksWhenFedByteByByte(final String name, final byte[] stream, final List<String> expected)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(stream.clone());
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final RecordingHandler handler = new RecordingHandler();

        for (int i = 0; i < stream.length; i++)
        {
            assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, i, 1, handler), name);
        }

        assertEquals(expected, handler.events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameStreams")
    void shouldDecodeSameCallbacksWhenSplitInThree(final String name, final byte[] stream, final List<String> expected)
    {
        if (stream.length > 400)
        {
            return; // quadratic: small streams only
        }

        final byte[] work = new byte[stream.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(work);
        for (int first = 0; first <= stream.length; first++)
        {
            for (int second = first; second <= stream.length; second++)
            {
                System.arraycopy(stream, 0, work, 0, stream.length);
                final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
                final RecordingHandler handler = new RecordingHandler();

                assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, 0, first, handler));
                assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, first, second - first, handler));
                assertEquals(WebSocketFrameDecoder.OK, decoder.decode(buffer, second, stream.length - second, handler));
                assertEquals(expected, handler.events, "split at " + first + " and " + second);
            }
        }
    }

    @Test
    void shouldRoundTripMaskedFramesWithAnyLengthAndKey()
    {
        final Random random = new Random(42);
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        for (final int length : new int[]{0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 125, 126, 127, 1000, 65535, 65536, 70001})
        {
            final byte[] payload = new byte[length];
            random.nextBytes(payload);
            final int maskKey = random.nextInt();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[length + 14]);
            final int frameLength = WebSocketFrameEncoder.encodeMaskedFrame(
                frame, 0, BINARY, true, maskKey, new UnsafeBuffer(payload), 0, length);
            final RecordingHandler handler = new RecordingHandler();

            assertEquals(WebSocketFrameEncoder.headerLength(length) + 4 + length, frameLength);
            assertEquals(WebSocketFrameDecoder.OK, decoder.decode(frame, 0, frameLength, handler));
            assertEquals(List.of(RecordingHandler.message(false, payload)), handler.events, "length " + length);
        }
    }

    @Test
    void shouldDecodeUnmaskedServerFramesWhenMaskNotRequired()
    {
        final byte[] stream = new Frames()
            .unmasked(TEXT, false, utf8("ab"))
            .unmasked(CONTINUATION, true, utf8("cd"))
            .unmasked(PING, true, utf8("x"))
            .toBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, false);
        final RecordingHandler handler = new RecordingHandler();

        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(List.of(RecordingHandler.message(true, utf8("abcd")), RecordingHandler.ping(utf8("x"))),
            handler.events);
    }

    @Test
    void shouldHandOverViewOfInputWhenFrameIsWholeInInput()
    {
        final byte[] stream = new Frames().masked(TEXT, true, utf8("zero copy")).toBytes();
        final UnsafeBuffer input = new UnsafeBuffer(new byte[stream.length + 3]);
        input.putBytes(3, stream);
        final RecordingHandler handler = new RecordingHandler();

        new WebSocketFrameDecoder(MAX_MESSAGE, true).decode(input, 3, stream.length, handler);

        assertSame(input, handler.lastBuffer);
        assertEquals(3 + 2 + 4, handler.lastOffset);
        assertEquals(List.of(RecordingHandler.message(true, utf8("zero copy"))), handler.events);
    }

    @Test
    void shouldCopyPayloadWhenFrameIsSplit()
    {
        final byte[] stream = new Frames().masked(TEXT, true, utf8("zero copy")).toBytes();
        final UnsafeBuffer input = new UnsafeBuffer(stream);
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final RecordingHandler handler = new RecordingHandler();

        decoder.decode(input, 0, 8, handler);
        decoder.decode(input, 8, stream.length - 8, handler);

        assertNotSame(input, handler.lastBuffer);
        assertEquals(List.of(RecordingHandler.message(true, utf8("zero copy"))), handler.events);
    }

    @Test
    void shouldAcceptMessageOfExactlyMaxSize()
    {
        final byte[] stream = new Frames()
            .masked(BINARY, false, new byte[600])
            .masked(CONTINUATION, true, new byte[400])
            .masked(BINARY, true, new byte[1000])
            .toBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(1000, true);
        final RecordingHandler handler = new RecordingHandler();

        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(new UnsafeBuffer(stream), 0, stream.length, handler));
        assertEquals(2, handler.events.size());
    }

    @Test
    void shouldIgnoreInputAfterCloseFrame()
    {
        final byte[] stream = new Frames()
            .masked(CLOSE, true, closePayload(1001, "away"))
            .masked(TEXT, true, utf8("ignored"))
            .raw(bytes(0xFF, 0xFF))
            .toBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final RecordingHandler handler = new RecordingHandler();
        final UnsafeBuffer input = new UnsafeBuffer(stream);

        assertFalse(decoder.closeReceived());
        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(input, 0, stream.length, handler));
        assertTrue(decoder.closeReceived());
        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(input, 0, stream.length, handler));
        assertEquals(List.of(RecordingHandler.close(1001, "away")), handler.events);
    }

    @Test
    void shouldStopRightAfterCallbackWhenHandlerHalts()
    {
        final byte[] first = new Frames().masked(TEXT, true, utf8("one")).toBytes();
        final byte[] stream = new Frames()
            .raw(first)
            .masked(TEXT, true, utf8("two"))
            .toBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final RecordingHandler handler = new RecordingHandler();
        final UnsafeBuffer input = new UnsafeBuffer(stream);
        handler.haltOn = decoder;

        assertEquals(WebSocketFrameDecoder.HALTED, decoder.decode(input, 0, stream.length, handler));
        assertEquals(List.of(RecordingHandler.message(true, utf8("one"))), handler.events);
        assertEquals(first.length, decoder.haltOffset());

        handler.haltOn = null;
        final int rest = decoder.haltOffset();
        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(input, rest, stream.length - rest, handler));
        assertEquals(List.of(RecordingHandler.message(true, utf8("one")), RecordingHandler.message(true, utf8("two"))),
            handler.events);
    }

    @Test
    void shouldKeepReturningErrorUntilReset()
    {
        final byte[] bad = new Frames().unmasked(TEXT, true, utf8("x")).toBytes();
        final byte[] good = new Frames().masked(TEXT, true, utf8("y")).toBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final RecordingHandler handler = new RecordingHandler();

        assertNull(decoder.errorReason());
        assertEquals(CloseCodes.PROTOCOL_ERROR, decoder.decode(new UnsafeBuffer(bad), 0, bad.length, handler));
        assertEquals("unmasked client frame", decoder.errorReason());
        assertEquals(CloseCodes.PROTOCOL_ERROR, decoder.decode(new UnsafeBuffer(good), 0, good.length, handler));

        decoder.reset();

        assertNull(decoder.errorReason());
        assertEquals(WebSocketFrameDecoder.OK, decoder.decode(new UnsafeBuffer(good), 0, good.length, handler));
        assertEquals(List.of(RecordingHandler.message(true, utf8("y"))), handler.events);
    }

    static Stream<Arguments> errorStreams()
    {
        final List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("unmasked client frame", 1000,
            new Frames().unmasked(TEXT, true, utf8("hi")).toBytes(), CloseCodes.PROTOCOL_ERROR));
        for (final int rsv : new int[]{0x40, 0x20, 0x10})
        {
            final byte[] frame = new Frames().masked(TEXT, true, utf8("hi")).toBytes();
            frame[0] |= (byte)rsv;
            cases.add(Arguments.of("rsv bit " + Integer.toHexString(rsv), 1000, frame, CloseCodes.PROTOCOL_ERROR));
        }
        for (final int opcode : new int[]{3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
        {
            cases.add(Arguments.of("reserved opcode " + opcode, 1000,
                new Frames().masked(opcode, true, utf8("hi")).toBytes(), CloseCodes.PROTOCOL_ERROR));
        }
        cases.add(Arguments.of("ping payload 126", 1000,
            new Frames().masked(PING, true, new byte[126]).toBytes(), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("close payload 126", 1000,
            new Frames().masked(CLOSE, true, new byte[126]).toBytes(), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("fragmented ping", 1000,
            new Frames().masked(PING, false, utf8("p")).toBytes(), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("fragmented close", 1000,
            new Frames().masked(CLOSE, false, new byte[0]).toBytes(), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("continuation without message", 1000,
            new Frames().masked(CONTINUATION, true, utf8("x")).toBytes(), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("continuation after complete message", 1000,
            new Frames().masked(TEXT, true, utf8("a")).masked(CONTINUATION, true, utf8("b")).toBytes(),
            CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("text during fragmented message", 1000,
            new Frames().masked(TEXT, false, utf8("a")).masked(TEXT, true, utf8("b")).toBytes(),
            CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("binary during fragmented message", 1000,
            new Frames().masked(BINARY, false, utf8("a")).masked(BINARY, true, utf8("b")).toBytes(),
            CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("64-bit length with top bit set", Integer.MAX_VALUE,
            bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4), CloseCodes.PROTOCOL_ERROR));
        cases.add(Arguments.of("frame larger than max, header only", 1000,
            bytes(0x82, 0xFE, 0x03, 0xE9, 1, 2, 3, 4), CloseCodes.MESSAGE_TOO_BIG));
        cases.add(Arguments.of("64-bit length larger than max, header only", 1 << 20,
            bytes(0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4), CloseCodes.MESSAGE_TOO_BIG));
        final byte[] fragmentsTooBig = new Frames()
            .masked(TEXT, false, new byte[600])
            .masked(CONTINUATION, true, new byte[401])
            .toBytes();
        cases.add(Arguments.of("fragments larger than max, second header only", 1000,
            Arrays.copyOf(fragmentsTooBig, 8 + 600 + 8), CloseCodes.MESSAGE_TOO_BIG));
        cases.add(Arguments.of("overlong UTF-8", 1000,
            new Frames().masked(TEXT, true, bytes(0xC0, 0x80)).toBytes(), CloseCodes.INVALID_PAYLOAD));
        cases.add(Arguments.of("surrogate in first fragment, no last fragment", 1000,
            new Frames().masked(TEXT, false, bytes('a', 0xED, 0xA0, 0x80)).toBytes(), CloseCodes.INVALID_PAYLOAD));
        cases.add(Arguments.of("text ends inside a sequence", 1000,
            new Frames().masked(TEXT, true, bytes('a', 0xE2, 0x82)).toBytes(), CloseCodes.INVALID_PAYLOAD));
        cases.add(Arguments.of("fragmented text ends inside a sequence", 1000,
            new Frames().masked(TEXT, false, bytes('a', 0xE2)).masked(CONTINUATION, true, bytes(0x82)).toBytes(),
            CloseCodes.INVALID_PAYLOAD));
        cases.add(Arguments.of("close payload of one byte", 1000,
            new Frames().masked(CLOSE, true, bytes(3)).toBytes(), CloseCodes.PROTOCOL_ERROR));
        for (final int code : new int[]{0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        {
            cases.add(Arguments.of("close code " + code, 1000,
                new Frames().masked(CLOSE, true, closePayload(code, "")).toBytes(), CloseCodes.PROTOCOL_ERROR));
        }
        final byte[] badReason = closePayload(1000, "ab");
        badReason[3] = (byte)0xFF;
        cases.add(Arguments.of("close reason invalid UTF-8", 1000,
            new Frames().masked(CLOSE, true, badReason).toBytes(), CloseCodes.INVALID_PAYLOAD));

        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorStreams")
    void shouldFailWithCloseCodeWhenSplitAnywhere(
        final String name, final int maxMessage, final byte[] stream, final int expectedCode)
    {
        final byte[] work = new byte[stream.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(work);
        for (int split = 0; split <= stream.length; split++)
        {
            System.arraycopy(stream, 0, work, 0, stream.length);
            final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(maxMessage, true);
            final RecordingHandler handler = new RecordingHandler();

            int result = decoder.decode(buffer, 0, split, handler);
            if (WebSocketFrameDecoder.OK == result)
            {
                result = decoder.decode(buffer, split, stream.length - split, handler);
            }

            assertEquals(expectedCode, result, "split at " + split);
            assertNotNull(decoder.errorReason());
            assertTrue(handler.events.stream().noneMatch((e) -> e.startsWith("close")), name);
            if (CloseCodes.INVALID_PAYLOAD == expectedCode)
            {
                assertEquals(List.of(), handler.events, name);
            }
        }
    }

    @Test
    void shouldHoldLittleMemoryWhenIdle()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();

        final long before = threads.getCurrentThreadAllocatedBytes();
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(MAX_MESSAGE, true);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertNotNull(decoder);
        assertTrue(allocated < 512, "idle decoder allocated " + allocated + " bytes");
    }

    static byte[] closePayload(final int code, final String reason)
    {
        final byte[] text = utf8(reason);
        final byte[] payload = new byte[2 + text.length];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    private static byte[] largeText(final int length)
    {
        final String pattern = "lorem \u00e9 ipsum \u20ac dolor \ud83d\ude00 sit amet ";
        final byte[] bytes = utf8(pattern.repeat(length / pattern.length() + 1));
        final byte[] result = new byte[length];
        int end = length - 20;
        System.arraycopy(bytes, 0, result, 0, end);
        while ((result[end - 1] & 0x80) != 0)
        {
            end--; // back off to a character boundary, then pad with ASCII
        }
        for (int i = end; i < length; i++)
        {
            result[i] = 'z';
        }
        return result;
    }
}
