package io.sockudo.jvm.bench.jmh;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.EventLogConfig;
import io.sockudo.jvm.log.LogRollCycle;
import io.sockudo.jvm.log.SerialClock;
import org.agrona.AsciiSequenceView;
import org.agrona.IoUtil;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Appending one record to the event log the way the log writer does: mint a serial into a reused buffer, then
 * {@link EventLog#append} with app, channel and a payload of {@link #payloadBytes}. The baseline writes a record
 * of the same size with {@link FileChannel#write} (page cache, no fsync, like the mapped Chronicle file).
 * <p>
 * Each iteration starts a fresh log in a new temporary directory (and deletes it afterwards) so that the disk
 * holds one iteration's worth of records at most. The clock is fixed, so no file roll happens while measuring.
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
public class LogAppendBenchmark
{
    private static final String APP = "app-1";
    private static final String CHANNEL = "private-chat-room-42";

    /**
     * Payload size: a tiny event, a typical one and a large one.
     */
    @Param({ "16", "200", "2048" })
    public int payloadBytes;

    private final UnsafeBuffer serialBuffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(SerialClock.MAX_SERIAL_LENGTH));
    private final AsciiSequenceView serial = new AsciiSequenceView();
    private UnsafeBuffer payload;
    private ByteBuffer baselineRecord;
    private long timestampMs;
    private Path directory;
    private EventLog log;
    private SerialClock serialClock;
    private FileChannel baseline;

    /**
     * Fills the payload.
     */
    @Setup(Level.Trial)
    public void setUpTrial()
    {
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        for (int i = 0; i < payloadBytes; i++)
        {
            payload.putByte(i, (byte)('a' + i % 26));
        }
        // header, serial, names and payload: what the log stores per record
        baselineRecord = ByteBuffer.allocateDirect(32 + 46 + APP.length() + CHANNEL.length() + payloadBytes);
        timestampMs = System.currentTimeMillis();
    }

    /**
     * Opens a fresh log and baseline file.
     *
     * @throws IOException if the temporary directory cannot be made.
     */
    @Setup(Level.Iteration)
    public void setUpIteration() throws IOException
    {
        directory = Files.createTempDirectory("log-append-bench");
        final long fixedMs = timestampMs;
        log = EventLog.open(new EventLogConfig()
            .directory(directory.resolve("log"))
            .nodeId("bench")
            .clockMs(() -> fixedMs)
            .rollCycle(LogRollCycle.HOURLY));
        serialClock = log.serialClock();
        baseline = FileChannel.open(directory.resolve("baseline.bin"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    }

    /**
     * Closes and deletes the log and baseline file.
     *
     * @throws IOException if closing fails.
     */
    @TearDown(Level.Iteration)
    public void tearDownIteration() throws IOException
    {
        log.close();
        baseline.close();
        IoUtil.delete(directory.toFile(), true);
    }

    /**
     * Mint a serial and append one record.
     *
     * @return the log index.
     */
    @Benchmark
    public long append()
    {
        final int length = serialClock.nextInto(serialBuffer, 0);
        serial.wrap(serialBuffer, 0, length);
        return log.append(7, timestampMs, serial, APP, CHANNEL, payload, 0, payloadBytes);
    }

    /**
     * Baseline: one {@link FileChannel#write} of a record-sized direct buffer.
     *
     * @return bytes written.
     * @throws IOException if the write fails.
     */
    @Benchmark
    public int jdkFileChannelWrite() throws IOException
    {
        baselineRecord.clear();
        return baseline.write(baselineRecord);
    }
}
