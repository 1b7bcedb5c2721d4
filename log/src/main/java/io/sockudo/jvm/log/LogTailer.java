package io.sockudo.jvm.log;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One reading thread's cursor: a Chronicle tailer, the reusable {@link LogRecord} and the buffer that views each
 * document in place. Confined to the thread that created it ({@link EventLog} keeps one per thread).
 */
final class LogTailer implements AutoCloseable
{
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    private final LogRecord record = new LogRecord();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[256]);

    LogTailer(final ExcerptTailer tailer, final RollCycle rollCycle)
    {
        this.tailer = tailer;
        this.rollCycle = rollCycle;
        // the owning EventLog closes it, possibly from another thread
        tailer.singleThreadedCheckDisabled(true);
    }

    /**
     * Delivers the records after {@code afterIndex}, in order.
     *
     * @param afterIndex    exclusive start; negative for the first record.
     * @param firstCycle    the oldest cycle retention kept; earlier indexes no longer exist.
     * @param lastIndex     the last appended index.
     */
    int replay(
        final long afterIndex,
        final int firstCycle,
        final long lastIndex,
        final LogRecordHandler handler,
        final int maxRecords)
    {
        if (maxRecords <= 0 || afterIndex >= lastIndex)
        {
            return 0;
        }
        long skipThrough = afterIndex;
        if (afterIndex < 0 || rollCycle.toCycle(afterIndex) < firstCycle)
        {
            tailer.toStart();
        }
        else if (!tailer.moveToIndex(afterIndex))
        {
            // an index that was never written: read on from the start of its cycle, or of the log
            if (!tailer.moveToIndex(rollCycle.toIndex(rollCycle.toCycle(afterIndex), 0)))
            {
                tailer.toStart();
            }
        }

        int delivered = 0;
        while (delivered < maxRecords)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final long index = dc.index();
                if (index > skipThrough && deliver(dc, index, handler))
                {
                    delivered++;
                }
            }
        }
        return delivered;
    }

    boolean read(final long index, final LogRecordHandler handler)
    {
        if (!tailer.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            return dc.isPresent() && dc.index() == index && deliver(dc, index, handler);
        }
    }

    private boolean deliver(final DocumentContext dc, final long index, final LogRecordHandler handler)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        final long start = bytes.readPosition();
        final int length = (int)bytes.readRemaining();
        final UnsafeBuffer buffer;
        if (bytes.isDirectMemory() && length > 0)
        {
            final long address = bytes.addressForRead(start, length);
            if (bytes.bytesStore().inside(start, length))
            {
                view.wrap(address, length);
                buffer = view;
            }
            else
            {
                buffer = copyOf(bytes, length);
            }
        }
        else
        {
            buffer = copyOf(bytes, length);
        }
        if (!record.wrap(index, buffer, 0, length))
        {
            return false;
        }
        handler.onRecord(record);
        return true;
    }

    /** Fallback when a document is not contiguous in one mapping (not expected: Chronicle maps with overlap). */
    private UnsafeBuffer copyOf(final Bytes<?> bytes, final int length)
    {
        if (copy.capacity() < length)
        {
            copy.wrap(new byte[Math.max(length, copy.capacity() * 2)]);
        }
        bytes.read(copy.byteArray(), 0, length);
        return copy;
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
