package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.server.reactor.BroadcastBenchSupport;

import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * Cross-check of the broadcast benchmark's allocation figure without JMH's own per-iteration bookkeeping and without
 * the trial tear-down (which JMH counts in the last measured iteration): warms the broadcast path up, then reads the
 * bytes allocated by every live thread (the caller and the drain thread included) before and after a run of
 * broadcasts.
 * <p>
 * Usage: {@code java <module flags> -cp benchmarks.jar io.sockudo.jvm.bench.jmh.BroadcastAllocationCheck
 * [subscribers] [warmupOps] [measuredOps]}.
 */
public final class BroadcastAllocationCheck
{
    private BroadcastAllocationCheck()
    {
    }

    /**
     * Runs the check and prints the allocated bytes per broadcast.
     *
     * @param args subscribers (default 1000), warm-up broadcasts (default 20000), measured broadcasts (default 20000).
     * @throws IOException when the sockets cannot be opened.
     */
    public static void main(final String[] args) throws IOException
    {
        final int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int warmupOps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        final int measuredOps = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        try (BroadcastBenchSupport support = new BroadcastBenchSupport(subscribers))
        {
            long sink = 0;
            for (int i = 0; i < warmupOps; i++)
            {
                sink += support.broadcast();
            }
            final long before = totalAllocated(threads);
            final long start = System.nanoTime();
            for (int i = 0; i < measuredOps; i++)
            {
                sink += support.broadcast();
            }
            final long elapsedNs = System.nanoTime() - start;
            final long after = totalAllocated(threads);
            final long allocated = after - before;
            System.out.printf(
                "subscribers=%d ops=%d allocatedBytes=%d bytesPerOp=%.3f opsPerSec=%.0f writes=%d backlogEvents=%d " +
                "slowConsumerCloses=%d errors=%d%n",
                subscribers, measuredOps, allocated, (double)allocated / measuredOps,
                measuredOps * 1e9 / elapsedNs, sink, support.backlogEvents(), support.slowConsumerCloses(),
                support.errors());
        }
    }

    private static long totalAllocated(final com.sun.management.ThreadMXBean threads)
    {
        final long[] ids = threads.getAllThreadIds();
        final long[] bytes = threads.getThreadAllocatedBytes(ids);
        long total = 0;
        for (final long b : bytes)
        {
            if (b > 0)
            {
                total += b;
            }
        }
        return total;
    }
}
