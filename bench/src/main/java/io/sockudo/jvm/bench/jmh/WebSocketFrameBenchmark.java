package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.protocol.ws.WebSocketFrameDecoder;
import io.sockudo.jvm.protocol.ws.WebSocketFrameEncoder;
import io.sockudo.jvm.protocol.ws.WebSocketFrameHandler;
import io.sockudo.jvm.protocol.ws.WebSocketOpcodes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Decode of masked client text frames and encode of server text frames.
 * <p>
 * The decoder unmasks its input in place, so every decode op first restores the pristine masked frame into the
 * input buffer; {@link #copyBaseline()} measures that copy alone and should be subtracted. {@link #decodeWhole}
 * hands the whole frame to one decode call (zero-copy path, payload unmasked in place); {@link #decodeSplit} splits
 * it in the middle of the payload over two calls (payload accumulated in the decoder's message buffer).
 * {@link #encode} writes an unmasked server text frame into a preallocated buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS })
public class WebSocketFrameBenchmark
{
    private static final int MASK_KEY = 0x37FA213D;
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    /**
     * Payload length in bytes: tiny, typical, the largest message buffer the decoder retains, and large (64-bit
     * length field; the split decode then reallocates its message buffer each message, by design).
     */
    @Param({ "20", "1024", "16384", "65536" })
    public int payloadSize;

    private UnsafeBuffer payload;
    private UnsafeBuffer pristine;
    private UnsafeBuffer input;
    private UnsafeBuffer output;
    private int frameLength;
    private int splitAt;
    private WebSocketFrameDecoder decoder;
    private ConsumingHandler handler;

    /**
     * Builds the payload (printable ASCII, valid UTF-8), the masked frame and the buffers.
     *
     * @param blackhole consumes what the handler sees.
     */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadSize));
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)('a' + (i % 26)));
        }
        final int capacity = payloadSize + 14;
        pristine = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        input = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        output = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        frameLength = WebSocketFrameEncoder.encodeMaskedFrame(
            pristine, 0, WebSocketOpcodes.TEXT, true, MASK_KEY, payload, 0, payloadSize);
        final int headerLength = frameLength - payloadSize;
        splitAt = headerLength + payloadSize / 2;
        decoder = new WebSocketFrameDecoder(MAX_MESSAGE_BYTES, true);
        handler = new ConsumingHandler(blackhole);
    }

    /**
     * Only restores the masked frame into the input buffer: the share of the decode ops that is not decoding.
     *
     * @return the input buffer, so the copy is not eliminated.
     */
    @Benchmark
    public DirectBuffer copyBaseline()
    {
        input.putBytes(0, pristine, 0, frameLength);
        return input;
    }

    /**
     * Restores the masked frame and decodes it in one call: header read from the input, payload unmasked in place
     * and validated, handed to the handler as a view of the input.
     *
     * @return the decoder result, {@link WebSocketFrameDecoder#OK}.
     */
    @Benchmark
    public int decodeWhole()
    {
        input.putBytes(0, pristine, 0, frameLength);
        return decoder.decode(input, 0, frameLength, handler);
    }

    /**
     * Restores the masked frame and decodes it in two calls split in the middle of the payload, so the payload is
     * unmasked into the decoder's message buffer and validated incrementally.
     *
     * @return the sum of the decoder results, 0.
     */
    @Benchmark
    public int decodeSplit()
    {
        input.putBytes(0, pristine, 0, frameLength);
        final int first = decoder.decode(input, 0, splitAt, handler);
        return first + decoder.decode(input, splitAt, frameLength - splitAt, handler);
    }

    /**
     * Encodes an unmasked server text frame (header and payload copy) into a preallocated buffer.
     *
     * @return the frame length.
     */
    @Benchmark
    public int encode()
    {
        return WebSocketFrameEncoder.encodeFrame(output, 0, WebSocketOpcodes.TEXT, payload, 0, payloadSize);
    }

    /**
     * Handler that consumes each message's length and last byte, so decoding cannot be optimised away.
     */
    static final class ConsumingHandler implements WebSocketFrameHandler
    {
        private final Blackhole blackhole;

        ConsumingHandler(final Blackhole blackhole)
        {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final boolean text, final DirectBuffer buffer, final int offset, final int length)
        {
            blackhole.consume(length);
            blackhole.consume(buffer.getByte(offset + length - 1));
        }

        @Override
        public void onPing(final DirectBuffer buffer, final int offset, final int length)
        {
            blackhole.consume(length);
        }

        @Override
        public void onPong(final DirectBuffer buffer, final int offset, final int length)
        {
            blackhole.consume(length);
        }

        @Override
        public void onClose(final int code, final DirectBuffer buffer, final int reasonOffset, final int reasonLength)
        {
            blackhole.consume(code);
        }
    }
}
