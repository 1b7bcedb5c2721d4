package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.protocol.json.JsonScanner;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Parsing of a typical Pusher client event frame the way the session does it: a strict JSON scan of the whole
 * message, then member lookups of {@code event}, {@code channel} and {@code data} and a prefix check of the event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS })
public class PusherFrameBenchmark
{
    private static final String CLIENT_EVENT = "{\"event\":\"client-typing\",\"channel\":\"private-chat-room-42\"," +
        "\"data\":{\"user_id\":\"u-1234\",\"text\":\"hello there, how are you?\",\"ts\":1700000000123,\"ok\":true}}";

    private final JsonScanner scanner = new JsonScanner();
    private UnsafeBuffer message;
    private int length;

    /**
     * Puts the message into a direct buffer, as the decoder would hand it over.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final byte[] bytes = CLIENT_EVENT.getBytes(StandardCharsets.UTF_8);
        length = bytes.length;
        message = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        message.putBytes(0, bytes);
    }

    /**
     * Scan only.
     *
     * @return true when valid.
     */
    @Benchmark
    public boolean scan()
    {
        return scanner.scan(message, 0, length);
    }

    /**
     * Scan and look up the members a client event needs.
     *
     * @param blackhole consumes the token indices.
     */
    @Benchmark
    public void scanAndLookup(final Blackhole blackhole)
    {
        final JsonScanner s = scanner;
        if (!s.scan(message, 0, length))
        {
            blackhole.consume(-1);
            return;
        }
        final int root = s.root();
        final int event = s.member(root, "event");
        blackhole.consume(s.type(event) == JsonScanner.STRING);
        blackhole.consume(s.length(event) > 9 && message.getByte(s.offset(event) + 1) == 'c');
        blackhole.consume(s.stringEquals(event, "pusher:subscribe"));
        blackhole.consume(s.member(root, "channel"));
        final int data = s.member(root, "data");
        blackhole.consume(s.type(data));
        blackhole.consume(s.length(data));
    }
}
