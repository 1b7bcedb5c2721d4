package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.EventLogConfig;
import io.sockudo.jvm.log.LogRecord;
import io.sockudo.jvm.log.LogRecordHandler;
import io.sockudo.jvm.log.LogRollCycle;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reading the event log: sequential replay (one op is one record, delivered in batches of {@link #BATCH}) and
 * random access by index, over {@link #RECORDS} records of {@link #payloadBytes} payload each, all in the page
 * cache. The handler touches the fields a rebuild reads (timestamp, type, payload length, first payload byte).
 * The baseline reads a record-sized slice at a random position of a flat file with a positional
 * {@link FileChannel#read}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS,
    "-Dchronicle.analytics.disable=true" })
public class LogReadBenchmark implements LogRecordHandler
{
    /** Records in the log. */
    static final int RECORDS = 100_000;
    /** Records per replay call. */
    static final int BATCH = 1_000;
    private static final int RANDOM_INDEXES = 1 << 16;
    private static final int RECORD_OVERHEAD = 32 + 46 + 5 + 20;

    /**
     * Payload size.
     */
    @Param({ "200" })
    public int payloadBytes;

    private final long[] randomIndexes = new long[RANDOM_INDEXES];
    private final long[] randomPositions = new long[RANDOM_INDEXES];
    private Path directory;
    private EventLog log;
    private FileChannel baseline;
    private ByteBuffer baselineRecord;
    private long firstIndex;
    private long replayAfter;
    private int next;
    private long sum;
    private long lastSeen;

    /**
     * Writes the log and the baseline file, and picks the random positions.
     *
     * @throws IOException if the files cannot be written.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("log-read-bench");
        final long nowMs = System.currentTimeMillis();
        log = EventLog.open(new EventLogConfig()
            .directory(directory.resolve("log"))
            .nodeId("bench")
            .clockMs(() -> nowMs)
            .rollCycle(LogRollCycle.HOURLY));
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        for (int i = 0; i < RECORDS; i++)
        {
            payload.putInt(0, i);
            log.append(7, nowMs + i, log.serialClock().nextString(), "app-1", "private-chat-room-42", payload, 0,
                payloadBytes);
        }
        firstIndex = log.firstIndex();
        replayAfter = -1;

        final int recordBytes = RECORD_OVERHEAD + payloadBytes;
        baselineRecord = ByteBuffer.allocateDirect(recordBytes);
        baseline = FileChannel.open(directory.resolve("baseline.bin"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(recordBytes * 1_000);
        for (int i = 0; i < RECORDS / 1_000; i++)
        {
            chunk.clear();
            while (chunk.hasRemaining())
            {
                baseline.write(chunk);
            }
        }

        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < RANDOM_INDEXES; i++)
        {
            final int record = random.nextInt(RECORDS);
            randomIndexes[i] = firstIndex + record;
            randomPositions[i] = (long)record * recordBytes;
        }
    }

    /**
     * Closes and deletes the files.
     *
     * @throws IOException if closing fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        log.close();
        baseline.close();
        IoUtil.delete(directory.toFile(), true);
    }

    /**
     * Sequential replay of the next {@link #BATCH} records, wrapping around at the end of the log.
     *
     * @return a checksum of what was read.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long replay()
    {
        int remaining = BATCH;
        while (remaining > 0)
        {
            final int delivered = log.replay(replayAfter, this, remaining);
            // at the end of the log start again from the first record
            replayAfter = delivered < remaining ? -1 : lastSeen;
            remaining -= delivered;
        }
        return sum;
    }

    /**
     * Random access to one record by index.
     *
     * @return whether the record was found.
     */
    @Benchmark
    public boolean readRandom()
    {
        final long index = randomIndexes[next++ & (RANDOM_INDEXES - 1)];
        return log.read(index, this);
    }

    /**
     * Baseline: one positional {@link FileChannel#read} of a record-sized slice at a random position.
     *
     * @return bytes read.
     * @throws IOException if the read fails.
     */
    @Benchmark
    public int jdkFileChannelReadRandom() throws IOException
    {
        baselineRecord.clear();
        return baseline.read(baselineRecord, randomPositions[next++ & (RANDOM_INDEXES - 1)]);
    }

    /**
     * Consumes one record.
     *
     * @param record the record.
     */
    @Override
    public void onRecord(final LogRecord record)
    {
        lastSeen = record.index();
        sum += record.timestampMs() + record.type() + record.payloadLength() +
            record.buffer().getByte(record.payloadOffset());
    }
}
