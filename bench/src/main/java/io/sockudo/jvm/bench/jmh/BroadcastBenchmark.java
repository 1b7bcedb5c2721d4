package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.server.reactor.BroadcastBenchSupport;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The server's broadcast path: one Pusher event frame (about 100 bytes) encoded once with the reactor's frame
 * writer, then written by {@code Reactor.fanOut} to {@link #subscribers} local loopback sockets. One op is one
 * broadcast, so socket writes per second are ops/s times {@link #subscribers}. The client ends are drained by a
 * background thread (see {@link BroadcastBenchSupport}), which competes for the same cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS })
public class BroadcastBenchmark
{
    /**
     * Number of local sockets subscribed to the channel.
     */
    @Param({ "1", "100", "1000" })
    public int subscribers;

    private BroadcastBenchSupport support;

    /**
     * Opens the socket pairs and subscribes them.
     *
     * @throws IOException when sockets cannot be opened.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        support = new BroadcastBenchSupport(subscribers);
    }

    /**
     * Prints what happened on the sockets (backlog, slow consumer closes, errors) and closes everything.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        final BroadcastBenchSupport s = support;
        support = null;
        s.close();
        // Explicit StringBuilder: a first-time indy string concatenation bootstrap would allocate hundreds of KB,
        // which JMH counts into the last measured iteration (the trial tear-down runs inside it).
        final StringBuilder line = new StringBuilder(160)
            .append("[broadcast] subscribers=").append(subscribers)
            .append(" frameBytes=").append(s.frameLength())
            .append(" bytesDrained=").append(s.bytesDrained())
            .append(" backlogEvents=").append(s.backlogEvents())
            .append(" slowConsumerCloses=").append(s.slowConsumerCloses())
            .append(" errors=").append(s.errors());
        System.out.println();
        System.out.println(line);
    }

    /**
     * Encodes the event frame once and writes it to every subscriber.
     *
     * @return the number of sockets written to.
     */
    @Benchmark
    public int broadcast()
    {
        return support.broadcast();
    }
}
