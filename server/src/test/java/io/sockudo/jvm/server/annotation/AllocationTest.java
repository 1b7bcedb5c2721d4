package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Applying an event allocates nothing once the state is warm (STYLE P8: a unit guard on thread-allocated bytes around
 * a warmed loop; an allocation assertion, not a timing one). Rebuilding a resident projection from the journal does
 * not allocate either.
 */
@Timeout(60)
class AllocationTest
{
    private static final int CLIENTS = 64;
    private static final int NAMES = 4;
    private static final int OPS = 200_000;
    private static final long BOUND_BYTES = 1_024;

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void shouldApplyEverySummarizerWithoutAllocating()
    {
        for (final Summarizer kind : Summarizer.values())
        {
            try (SummaryState state = SummaryState.standalone(kind))
            {
                final int[] clients = new int[CLIENTS];
                final int[] names = new int[NAMES];
                for (int i = 0; i < CLIENTS; i++)
                {
                    clients[i] = state.intern("client-" + i);
                }
                for (int i = 0; i < NAMES; i++)
                {
                    names[i] = state.intern("name-" + i);
                }
                run(state, clients, names, OPS);
                // the least of three rounds: a one-off event (class loading, a compilation) is not the steady state
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 3; round++)
                {
                    final long before = allocatedBytes();
                    run(state, clients, names, OPS);
                    allocated = Math.min(allocated, allocatedBytes() - before);
                }
                assertTrue(allocated < BOUND_BYTES, kind + " allocated " + allocated + " bytes for " + OPS + " ops");
            }
        }
    }

    /** Creates and deletes over a fixed population: every record fits the capacity reached in warm-up. */
    private static void run(final SummaryState state, final int[] clients, final int[] names, final int ops)
    {
        long seed = 42;
        for (int i = 0; i < ops; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int bits = (int)(seed >>> 33);
            final int client = clients[bits % CLIENTS];
            final int name = names[(bits >>> 8) % NAMES];
            if ((bits & 3) == 0)
            {
                state.applyDelete(name, client, i - 1);
            }
            else
            {
                state.applyCreate(name, (bits & 4) == 0 ? client : SummaryState.NONE, 1 + (bits & 3), i);
            }
        }
    }

    @Test
    void shouldRebuildFromTheJournalWithoutAllocating()
    {
        final Fixture f = new Fixture();
        final String[] types = {"a:total.v1", "b:flag.v1", "c:distinct.v1", "d:unique.v1", "e:multiple.v1"};
        for (int i = 0; i < 500; i++)
        {
            f.publishOk(types[i % types.length], "n" + (i % 3), "c" + (i % 17));
        }
        assertRebuildsWithoutAllocating(f, types);
    }

    @Test
    void shouldRebuildWithoutAllocatingAfterAPurgeCompactedTheIndex()
    {
        final Fixture f = new Fixture();
        final String[] types = {"a:total.v1", "b:flag.v1", "c:distinct.v1", "d:unique.v1", "e:multiple.v1"};
        for (int i = 0; i < 1_000; i++)
        {
            f.publishOk(types[i % types.length], "n" + (i % 3), "c" + (i % 17) + (i < 500 ? "-old" : ""));
        }
        for (int i = 0; i < 500; i++)
        {
            f.journal.drop(i);
        }
        assertTrue(f.annotations.purger().purgeBefore(500, 0) == 500 && f.annotations.purger().compactedChannels == 1);
        assertRebuildsWithoutAllocating(f, types);
    }

    private static void assertRebuildsWithoutAllocating(final Fixture f, final String[] types)
    {
        for (final String type : types)
        {
            for (int i = 0; i < 200; i++)
            {
                f.annotations.rebuild(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, type);
            }
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++)
            {
                final long before = allocatedBytes();
                for (int i = 0; i < 200; i++)
                {
                    f.annotations.rebuild(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, type);
                }
                allocated = Math.min(allocated, allocatedBytes() - before);
            }
            assertTrue(allocated < BOUND_BYTES, type + " allocated " + allocated + " bytes for 200 rebuilds");
        }
    }
}
