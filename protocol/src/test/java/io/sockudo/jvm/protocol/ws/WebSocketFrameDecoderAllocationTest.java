package io.sockudo.jvm.protocol.ws;

import java.lang.management.ManagementFactory;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.sockudo.jvm.protocol.ws.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class WebSocketFrameDecoderAllocationTest
{
    private static final int FRAMES_PER_STREAM = 100;
    private static final int ROUNDS = 100;

    @Test
    void shouldAllocateNothingWhenDecodingWarmedUp()
    {
        final byte[] stream = buildStream();
        final byte[] work = new byte[stream.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(work);
        final WebSocketFrameDecoder decoder = new WebSocketFrameDecoder(1 << 16, true);
        final CountingHandler handler = new CountingHandler();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        for (int i = 0; i < 20 * ROUNDS; i++)
        {
            decodeRound(stream, work, buffer, decoder, handler);
        }
        handler.count = 0;
        threads.getCurrentThreadAllocatedBytes();

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++)
        {
            decodeRound(stream, work, buffer, decoder, handler);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(FRAMES_PER_STREAM * ROUNDS, handler.count);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes decoding 10k frames");
    }

    private static void decodeRound(
        final byte[] stream,
        final byte[] work,
        final UnsafeBuffer buffer,
        final WebSocketFrameDecoder decoder,
        final CountingHandler handler)
    {
        System.arraycopy(stream, 0, work, 0, stream.length);
        // Whole in one read (zero-copy path), then the same bytes again in odd-sized reads (accumulating path).
        final int half = stream.length / 2;
        int result = decoder.decode(buffer, 0, half, handler);
        int offset = half;
        while (offset < stream.length && WebSocketFrameDecoder.OK == result)
        {
            final int length = Math.min(37, stream.length - offset);
            result = decoder.decode(buffer, offset, length, handler);
            offset += length;
        }
        if (WebSocketFrameDecoder.OK != result)
        {
            throw new IllegalStateException("decode failed: " + decoder.errorReason());
        }
    }

    private static byte[] buildStream()
    {
        final Frames frames = new Frames();
        final byte[] text = utf8("{\"event\":\"client-message\",\"channel\":\"private-\u00e9\",\"data\":\"x\"}");
        final byte[] large = new byte[3000];
        for (int i = 0; i < FRAMES_PER_STREAM; i++)
        {
            switch (i % 5)
            {
                case 0:
                    frames.masked(WebSocketOpcodes.PING, true, utf8("p"));
                    break;
                case 1:
                    frames.masked(WebSocketOpcodes.BINARY, true, large);
                    break;
                case 2:
                    frames.masked(WebSocketOpcodes.TEXT, false, utf8("frag"));
                    frames.masked(WebSocketOpcodes.PONG, true, utf8("q"));
                    i++;
                    frames.masked(WebSocketOpcodes.CONTINUATION, true, text);
                    break;
                default:
                    frames.masked(WebSocketOpcodes.TEXT, true, text);
                    break;
            }
        }
        return frames.toBytes();
    }

    private static final class CountingHandler implements WebSocketFrameHandler
    {
        int count;

        @Override
        public void onMessage(final boolean text, final DirectBuffer buffer, final int offset, final int length)
        {
            count++;
        }

        @Override
        public void onPing(final DirectBuffer buffer, final int offset, final int length)
        {
            count++;
        }

        @Override
        public void onPong(final DirectBuffer buffer, final int offset, final int length)
        {
            count++;
        }

        @Override
        public void onClose(final int code, final DirectBuffer buffer, final int reasonOffset, final int reasonLength)
        {
            count++;
        }
    }
}
