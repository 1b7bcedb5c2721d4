package io.sockudo.jvm.bench.jmh;

import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.sockudo.jvm.server.annotation.Summarizer;
import io.sockudo.jvm.server.annotation.SummaryState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Applying one annotation event to an off-heap summarizer state: a stream of creates (3 in 4) and deletes over a
 * fixed population of {@link #clients} client ids and 4 names, so the state stays at its steady size. Target:
 * {@code gc.alloc.rate.norm} 0 B/op. The baseline applies the same stream to a JDK {@link TreeSet} of
 * {@code (name, client)} keys, roughly what a heap-based distinct.v1 would do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS })
public class AnnotationApplyBenchmark
{
    private static final int OPS = 1 << 16;
    private static final int NAMES = 4;

    /**
     * The summarizer.
     */
    @Param({ "TOTAL", "FLAG", "DISTINCT", "UNIQUE", "MULTIPLE" })
    public Summarizer kind;

    /**
     * Distinct client ids in the stream.
     */
    @Param({ "64", "4096" })
    public int clients;

    private final int[] names = new int[OPS];
    private final int[] clientIds = new int[OPS];
    private final boolean[] deletes = new boolean[OPS];
    private final long[] baselineKeys = new long[OPS];
    private final TreeSet<Long> baseline = new TreeSet<>();
    private SummaryState state;
    private int next;

    /**
     * Interns the population, builds the op stream and warms the state to its steady size.
     */
    @Setup
    public void setUp()
    {
        state = SummaryState.standalone(kind);
        final int[] clientIdsByIndex = new int[clients];
        final int[] nameIds = new int[NAMES];
        for (int i = 0; i < clients; i++)
        {
            clientIdsByIndex[i] = state.intern("client-" + i);
        }
        for (int i = 0; i < NAMES; i++)
        {
            nameIds[i] = state.intern("name-" + i);
        }
        long seed = 42;
        for (int i = 0; i < OPS; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int bits = (int)(seed >>> 33);
            final int client = bits % clients;
            final int name = (bits >>> 16) % NAMES;
            clientIds[i] = clientIdsByIndex[client];
            names[i] = nameIds[name];
            deletes[i] = (bits & 3) == 0;
            baselineKeys[i] = ((long)name << 32) | client;
        }
        for (int i = 0; i < OPS; i++)
        {
            apply();
        }
    }

    /**
     * Frees the off-heap state.
     */
    @TearDown
    public void tearDown()
    {
        state.close();
    }

    /**
     * One event applied to the off-heap state.
     *
     * @return the op index, consumed by JMH.
     */
    @Benchmark
    public int apply()
    {
        final int i = next;
        next = (i + 1) & (OPS - 1);
        if (deletes[i])
        {
            state.applyDelete(names[i], clientIds[i], i - 1);
        }
        else
        {
            state.applyCreate(names[i], clientIds[i], 1, i);
        }
        return i;
    }

    /**
     * The same event stream on a heap {@link TreeSet} of boxed keys.
     *
     * @return the set size, consumed by JMH.
     */
    @Benchmark
    public int baselineTreeSet()
    {
        final int i = next;
        next = (i + 1) & (OPS - 1);
        if (deletes[i])
        {
            baseline.remove(baselineKeys[i]);
        }
        else
        {
            baseline.add(baselineKeys[i]);
        }
        return baseline.size();
    }
}
