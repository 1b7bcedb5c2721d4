package io.sockudo.jvm.log;

import static io.sockudo.jvm.log.LogRecordDescriptor.APP_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.BYTE_ORDER;
import static io.sockudo.jvm.log.LogRecordDescriptor.CHANNEL_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.HEADER_LENGTH;
import static io.sockudo.jvm.log.LogRecordDescriptor.MAX_RECORD_LENGTH;
import static io.sockudo.jvm.log.LogRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.SERIAL_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.TIMESTAMP_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.TYPE_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.VERSION;
import static io.sockudo.jvm.log.LogRecordDescriptor.VERSION_OFFSET;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The durable, append-only event log, stored in a Chronicle Queue (one file per {@link LogRollCycle}).
 * <p>
 * Each record holds a caller-defined type, a timestamp, a serial, an app id, a channel name and an opaque
 * payload ({@link LogRecordDescriptor}). {@link #append} returns the record's <em>log index</em>: it increases
 * with every append but is not dense (it jumps when a new file starts), so use it as an opaque position for
 * {@link #read} and {@link #replay}, never as a count.
 * <p>
 * <b>Threads.</b> {@link #append}, {@link #deleteBefore}, {@link #serialClock()} and {@link #close} belong to one
 * writer at a time: the class takes no lock, so a server that appends from several threads must serialise these
 * calls with its own lock (or a single log-writer thread). {@link #read}, {@link #replay}, {@link #lastIndex()}
 * and {@link #firstIndex()} may be called from any thread, concurrently with the writer: each thread reads through
 * its own tailer, created on its first call and closed by {@link #close}. Stop all readers before closing.
 * <p>
 * One process writes a log directory at a time; the per-cycle counts that retention uses are kept in memory and
 * would miss records appended by another process.
 */
public final class EventLog implements AutoCloseable
{
    private static final VarHandle LAST_INDEX_VH;
    private static final VarHandle FIRST_CYCLE_VH;
    private static final int INITIAL_SCRATCH_CAPACITY = 4096;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_INDEX_VH = lookup.findVarHandle(EventLog.class, "lastIndex", long.class);
            FIRST_CYCLE_VH = lookup.findVarHandle(EventLog.class, "firstCycle", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Held while open: one process per log directory (retention and the indexes assume a single writer). */
    private final java.nio.channels.FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptAppender appender;
    private final SerialClock serialClock;
    private final CycleLedger ledger = new CycleLedger();
    private final List<LogTailer> tailers = new ArrayList<>();
    private final ThreadLocal<LogTailer> threadTailer = ThreadLocal.withInitial(this::newTailer);
    private UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(INITIAL_SCRATCH_CAPACITY));
    private boolean closed;

    /** Written by the writer with release semantics, read by any thread with acquire. */
    @SuppressWarnings("unused")
    private long lastIndex = -1;
    /** The oldest cycle retention kept: indexes of earlier cycles are gone even if a tailer still maps them. */
    @SuppressWarnings("unused")
    private int firstCycle = Integer.MIN_VALUE;

    private EventLog(final EventLogConfig config)
    {
        serialClock = new SerialClock(config.nodeId(), config.clockMs());
        final ClockTimeProvider timeProvider = new ClockTimeProvider(config.clockMs());
        java.nio.channels.FileChannel channel = null;
        try
        {
            java.nio.file.Files.createDirectories(config.directory());
            channel = java.nio.channels.FileChannel.open(config.directory().resolve("sockudo.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            lock = channel.tryLock();
        }
        catch (final java.io.IOException | java.nio.channels.OverlappingFileLockException ex)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("cannot lock the event log directory " + config.directory() + ": " + ex,
                ex);
        }
        if (lock == null)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("the event log directory " + config.directory() +
                " is in use by another process");
        }
        lockChannel = channel;
        queue = ChronicleQueue.singleBuilder(config.directory())
            .rollCycle(config.rollCycle().chronicleRollCycle())
            .timeProvider(timeProvider)
            .build();
        // an existing queue keeps the roll cycle it was created with
        rollCycle = queue.rollCycle();
        ExcerptAppender newAppender = null;
        try
        {
            final int lastCycle = queue.lastCycle();
            if (lastCycle != Integer.MIN_VALUE)
            {
                // restarted with an earlier clock: keep appending to the newest file, never to an older one
                timeProvider.raiseFloor((long)lastCycle * rollCycle.lengthInMillis() + queue.epoch());
            }
            newAppender = queue.createAppender();
            // callers may append from several threads, serialised by their own lock (class Javadoc)
            newAppender.singleThreadedCheckDisabled(true);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(newAppender, queue, lockChannel);
            throw ex;
        }
        appender = newAppender;
    }

    /**
     * Opens the log in {@code config.directory()}, creating it if needed, and scans every record once: the
     * {@link SerialClock} resumes above the greatest serial found (of any node), and the last index and the
     * per-cycle counts used by retention are rebuilt.
     *
     * @param config the settings; {@link EventLogConfig#conclude()} is called here.
     * @return the open log.
     */
    public static EventLog open(final EventLogConfig config)
    {
        config.conclude();
        final EventLog log = new EventLog(config);
        try
        {
            log.scan();
        }
        catch (final RuntimeException ex)
        {
            log.close();
            throw ex;
        }
        return log;
    }

    /**
     * The serial allocator of this node, resumed above every serial in the log. Owned by the writer, like
     * {@link #append}.
     *
     * @return the clock.
     */
    public SerialClock serialClock()
    {
        return serialClock;
    }

    /**
     * Appends one record. Allocation-free in steady state (only a record longer than any before grows a scratch
     * buffer, and a roll to a new file allocates inside Chronicle). A non-empty serial is also passed to
     * {@link SerialClock#observe(CharSequence)} so that the next minted serial sorts above it, as after a restart.
     *
     * @param type        caller-defined record type.
     * @param timestampMs epoch milliseconds; retention compares it with the cutoff.
     * @param serial      the record's serial, ASCII; empty or null for none.
     * @param app         app id.
     * @param channel     channel name.
     * @param payload     buffer holding the payload; may be null when {@code length} is 0.
     * @param offset      payload start.
     * @param length      payload length in bytes.
     * @return the log index of the record.
     * @throws IllegalArgumentException if the serial is longer than {@link SerialClock#MAX_SERIAL_LENGTH} or the
     *                                  record is longer than 8 MiB.
     */
    public long append(
        final int type,
        final long timestampMs,
        final CharSequence serial,
        final CharSequence app,
        final CharSequence channel,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int serialChars = null == serial ? 0 : serial.length();
        if (serialChars > SerialClock.MAX_SERIAL_LENGTH)
        {
            throw new IllegalArgumentException("serial longer than " + SerialClock.MAX_SERIAL_LENGTH);
        }
        final long maxLength = HEADER_LENGTH + (long)Utf8.MAX_BYTES_PER_CHAR *
            ((long)serialChars + app.length() + channel.length()) + length;
        if (length < 0 || maxLength > MAX_RECORD_LENGTH)
        {
            throw new IllegalArgumentException("record too long or negative payload length: " + length);
        }
        final UnsafeBuffer buffer = scratch((int)maxLength);

        int at = HEADER_LENGTH;
        final int serialLength = null == serial ? 0 : Utf8.encode(serial, buffer, at);
        at += serialLength;
        final int appLength = Utf8.encode(app, buffer, at);
        at += appLength;
        final int channelLength = Utf8.encode(channel, buffer, at);
        at += channelLength;
        if (length > 0)
        {
            buffer.putBytes(at, payload, offset, length);
            at += length;
        }
        buffer.putInt(VERSION_OFFSET, VERSION, BYTE_ORDER);
        buffer.putInt(TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putLong(TIMESTAMP_OFFSET, timestampMs, BYTE_ORDER);
        buffer.putInt(SERIAL_LENGTH_OFFSET, serialLength, BYTE_ORDER);
        buffer.putInt(APP_LENGTH_OFFSET, appLength, BYTE_ORDER);
        buffer.putInt(CHANNEL_LENGTH_OFFSET, channelLength, BYTE_ORDER);
        buffer.putInt(PAYLOAD_LENGTH_OFFSET, length, BYTE_ORDER);
        if (serialLength > 0)
        {
            serialClock.observe(buffer, HEADER_LENGTH, serialLength);
        }

        // one bulk copy into the mapped file, no Wire fields
        final DocumentContext dc = appender.writingDocument();
        try
        {
            dc.wire().bytes().unsafeWrite(buffer.addressOffset(), at);
        }
        catch (final RuntimeException | Error ex)
        {
            dc.rollbackOnClose();
            throw ex;
        }
        finally
        {
            dc.close();
        }

        final long index = appender.lastIndexAppended();
        ledger.onRecord(rollCycle.toCycle(index), timestampMs);
        LAST_INDEX_VH.setRelease(this, index);
        return index;
    }

    /**
     * Delivers, in order, the records whose index is greater than {@code afterIndex}, up to {@code maxRecords}.
     * Records deleted by retention are skipped: an {@code afterIndex} older than {@link #firstIndex()} replays
     * from the oldest record kept.
     *
     * @param afterIndex exclusive start; any negative value (such as -1 or {@link Long#MIN_VALUE}) replays from
     *                   the first record.
     * @param handler    receives each record.
     * @param maxRecords most records to deliver.
     * @return the number delivered.
     */
    public int replay(final long afterIndex, final LogRecordHandler handler, final int maxRecords)
    {
        return threadTailer.get().replay(
            afterIndex, (int)FIRST_CYCLE_VH.getAcquire(this), lastIndex(), handler, maxRecords);
    }

    /**
     * Reads the record at one index.
     *
     * @param index   a log index returned by {@link #append}.
     * @param handler receives the record if it exists.
     * @return false if there is no such record (never written, or deleted by retention).
     */
    public boolean read(final long index, final LogRecordHandler handler)
    {
        if (index < 0 || index > lastIndex() || rollCycle.toCycle(index) < (int)FIRST_CYCLE_VH.getAcquire(this))
        {
            return false;
        }
        return threadTailer.get().read(index, handler);
    }

    /**
     * Retention by age: deletes whole files, oldest first, while every record in the file has a timestamp older
     * than the cutoff. It stops at the first file that holds a newer record, so what remains is always a
     * contiguous suffix of the log, and it never deletes the newest file (the one appends go to) nor a file of
     * the current or a later cycle of the clock.
     *
     * @param cutoffMs records with {@code timestampMs < cutoffMs} may go.
     * @return the number of records deleted (files with no records also go, counting zero).
     */
    public int deleteBefore(final long cutoffMs)
    {
        if (lastIndex() < 0)
        {
            return 0;
        }
        queue.refreshDirectoryListing();
        final int newestCycle = Math.min(queue.lastCycle(), queue.cycle());
        final NavigableSet<Long> cycles = queue.listCyclesBetween(queue.firstCycle(), newestCycle);
        final List<File> files = new ArrayList<>();
        final List<Integer> deletedCycles = new ArrayList<>();
        long records = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            for (final Long boxedCycle : cycles)
            {
                final int cycle = boxedCycle.intValue();
                if (cycle >= newestCycle ||
                    (ledger.count(cycle) > 0 && ledger.maxTimestampMs(cycle) >= cutoffMs) ||
                    !tailer.moveToCycle(cycle) ||
                    tailer.cycle() != cycle)
                {
                    break;
                }
                // Chronicle names the file; we do not guess its date format
                files.add(tailer.currentFile());
                deletedCycles.add(cycle);
                records += ledger.count(cycle);
            }
        }
        if (files.isEmpty())
        {
            return 0;
        }

        final int lastDeletedCycle = deletedCycles.get(deletedCycles.size() - 1);
        // publish first, so readers stop returning indexes of files about to go
        FIRST_CYCLE_VH.setRelease(this, lastDeletedCycle + 1);
        try
        {
            for (final File file : files)
            {
                Files.deleteIfExists(file.toPath());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            queue.refreshDirectoryListing();
        }
        for (final int cycle : deletedCycles)
        {
            ledger.remove(cycle);
        }
        return (int)Math.min(Integer.MAX_VALUE, records);
    }

    /**
     * Index of the last record appended.
     *
     * @return the index, or -1 if the log is empty.
     */
    public long lastIndex()
    {
        return (long)LAST_INDEX_VH.getAcquire(this);
    }

    /**
     * Index of the oldest record kept.
     *
     * @return the index, or -1 if the log is empty.
     */
    public long firstIndex()
    {
        if (lastIndex() < 0)
        {
            return -1;
        }
        final long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? -1 : first;
    }

    /**
     * Closes the readers' tailers, the appender and the queue files. Idempotent. Call it after the writer and
     * all readers have stopped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        synchronized (tailers)
        {
            CloseHelper.closeAll(tailers);
            tailers.clear();
        }
        CloseHelper.closeAll(appender, queue);
        CloseHelper.quietClose(lockChannel); // releases the lock
    }

    private void scan()
    {
        final LogTailer tailer = threadTailer.get();
        final long[] last = {-1};
        tailer.replay(-1, Integer.MIN_VALUE, Long.MAX_VALUE, (record) ->
        {
            serialClock.observe(record.buffer(), record.serialOffset(), record.serialLength());
            ledger.onRecord(rollCycle.toCycle(record.index()), record.timestampMs());
            last[0] = record.index();
        }, Integer.MAX_VALUE);
        LAST_INDEX_VH.setRelease(this, last[0]);
        final int oldest = queue.firstCycle();
        FIRST_CYCLE_VH.setRelease(this, oldest == Integer.MAX_VALUE ? Integer.MIN_VALUE : oldest);
    }

    private LogTailer newTailer()
    {
        synchronized (tailers)
        {
            if (closed)
            {
                throw new IllegalStateException("event log closed");
            }
            final LogTailer tailer = new LogTailer(queue.createTailer(), rollCycle);
            tailers.add(tailer);
            return tailer;
        }
    }

    private UnsafeBuffer scratch(final int capacity)
    {
        if (scratch.capacity() < capacity)
        {
            scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(capacity, scratch.capacity() * 2)));
        }
        return scratch;
    }
}
