package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.LogRecord;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The durable {@link Journal}: every history row, version, reset and purge is one record of the {@link EventLog}.
 * At start-up {@link #replayInto} rebuilds the in-memory indexes of the {@link MessageStore} from the log, and history
 * envelopes are read back from the log by index instead of being kept on the heap. Appends come from the log writer
 * only ({@link #owner}); they and retention are serialised on this object, while reads need no lock (the log gives
 * every reading thread its own tailer). Fields are length-prefixed, big-endian.
 */
public final class LogJournal implements Journal, io.sockudo.jvm.server.annotation.AnnotationJournal
{
    static final int HISTORY = 1;
    static final int VERSION = 2;
    static final int RESET = 3;
    static final int PURGE = 4;
    static final int ANNOTATION = 5;

    private final EventLog log;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    /** The record being encoded; reused (appends are serialised). */
    private final Out out = new Out();
    private volatile Thread owner;

    /**
     * @param log the opened event log (this journal closes it)
     */
    public LogJournal(final EventLog log)
    {
        this.log = log;
    }

    /**
     * Names the only thread allowed to append from now on (the server's log writer); appends from any other thread
     * fail. Start-up replay, reads and retention are not appends.
     *
     * @param writer the log-writer thread
     */
    public void owner(final Thread writer)
    {
        this.owner = writer;
    }

    private void checkOwner()
    {
        final Thread writer = owner;
        if (writer != null && Thread.currentThread() != writer)
        {
            throw new IllegalStateException("event log appends belong to the log writer, not to " +
                Thread.currentThread().getName());
        }
    }

    /**
     * The log.
     *
     * @return the event log
     */
    public EventLog log()
    {
        return log;
    }

    @Override
    public synchronized long history(final String app, final String channel, final String streamId, final long serial,
        final long publishedAtMs, final String messageId, final String eventName, final String messageSerial,
        final byte[] envelope)
    {
        out.reset();
        out.string(streamId);
        out.number(serial);
        out.string(messageId);
        out.string(eventName);
        out.string(messageSerial);
        out.bytes(envelope);
        return append(HISTORY, publishedAtMs, messageSerial == null ? "" : messageSerial, app, channel, out);
    }

    @Override
    public synchronized void version(final String app, final String channel, final String streamId,
        final Version v)
    {
        out.reset();
        out.string(streamId);
        out.number(v.deliverySerial);
        out.string(v.messageSerial);
        out.number(v.historySerial);
        out.string(v.action);
        out.string(v.clientId);
        out.string(v.description);
        out.string(v.metadataJson);
        out.string(v.name);
        out.string(v.dataJson);
        out.flag(v.hasExtras);
        out.number(v.headers.size());
        for (final Map.Entry<String, String> h : v.headers.entrySet())
        {
            out.string(h.getKey());
            out.string(h.getValue());
        }
        out.string(v.extrasRest);
        out.string(v.originalClientId);
        append(VERSION, v.timestampMs, v.versionSerial, app, channel, out);
    }

    @Override
    public synchronized void reset(final String app, final String channel, final String newStreamId,
        final long timestampMs)
    {
        out.reset();
        out.string(newStreamId);
        append(RESET, timestampMs, "", app, channel, out);
    }

    @Override
    public synchronized void purge(final String app, final String channel, final long beforeSerial,
        final long timestampMs)
    {
        out.reset();
        out.number(beforeSerial);
        append(PURGE, timestampMs, "", app, channel, out);
    }

    @Override
    public byte[] envelope(final long logIndex)
    {
        final byte[][] found = new byte[1][];
        log.read(logIndex, record ->
        {
            if (record.type() == HISTORY)
            {
                final In in = new In(record);
                in.skipString();
                in.number();
                in.skipString();
                in.skipString();
                in.skipString();
                found[0] = in.bytes();
            }
        });
        return found[0];
    }

    @Override
    public synchronized long append(final String app, final String channel, final String serial,
        final long timestampMs, final byte[] payload)
    {
        checkOwner();
        view.wrap(payload);
        synchronized (log.serialClock())
        {
            return log.append(ANNOTATION, timestampMs, serial, app, channel, view, 0, payload.length);
        }
    }

    @Override
    public byte[] read(final long index)
    {
        final byte[][] found = new byte[1][];
        log.read(index, record ->
        {
            if (record.type() == ANNOTATION)
            {
                found[0] = record.payloadBytes();
            }
        });
        return found[0];
    }

    /**
     * Rebuilds the store's indexes (and the annotation engine's, when given) from every record of the log, in order.
     *
     * @param store the store, empty
     * @param annotations the annotation engine, or null
     * @return the number of records read
     */
    public synchronized long replayInto(final MessageStore store,
        final io.sockudo.jvm.server.annotation.Annotations annotations)
    {
        long count = 0;
        long after = -1;
        while (true)
        {
            final long[] last = {after};
            final int n = log.replay(after, record ->
            {
                if (record.type() == ANNOTATION)
                {
                    if (annotations != null)
                    {
                        annotations.restore(record.app(), record.channel(), record.serialString(),
                            record.timestampMs(), record.payloadBytes(), record.index());
                    }
                }
                else
                {
                    apply(store, record);
                }
                last[0] = record.index();
            }, 4096);
            if (n == 0)
            {
                return count;
            }
            count += n;
            after = last[0];
        }
    }

    private static void apply(final MessageStore store, final LogRecord record)
    {
        final ChannelStreams streams = store.streams(record.app(), record.channel());
        final In in = new In(record);
        switch (record.type())
        {
            case HISTORY:
            {
                final String streamId = in.string();
                final long serial = in.number();
                final String messageId = in.string();
                final String eventName = in.string();
                final String messageSerial = in.string();
                final int size = in.skipBytes();
                streams.restoreHistory(streamId, serial, record.timestampMs(), messageId, eventName, messageSerial,
                    null, size, record.index());
                break;
            }
            case VERSION:
            {
                final String streamId = in.string();
                final long deliverySerial = in.number();
                final String messageSerial = in.string();
                final long historySerial = in.number();
                final String action = in.string();
                final String clientId = in.string();
                final String description = in.string();
                final String metadata = in.string();
                final String name = in.string();
                final String data = in.string();
                final boolean hasExtras = in.flag();
                final long headerCount = in.number();
                final Map<String, String> headers = new LinkedHashMap<>();
                for (long i = 0; i < headerCount; i++)
                {
                    headers.put(in.string(), in.string());
                }
                final String rest = in.string();
                final String original = in.string();
                streams.restoreVersion(streamId, new Version(deliverySerial, messageSerial, historySerial,
                    record.serialString(), action, clientId, record.timestampMs(), description, metadata, name, data,
                    hasExtras, headers, rest, original));
                break;
            }
            case RESET:
                streams.restoreReset(in.string());
                break;
            case PURGE:
                streams.restorePurge(in.number());
                break;
            default:
                break; // records of other kinds (annotations) are not this store's
        }
    }

    private long append(final int type, final long timestampMs, final String serial, final String app,
        final String channel, final Out record)
    {
        checkOwner();
        // append observes the serial on the clock, which MessageStore.nextSerial also uses under this monitor
        synchronized (log.serialClock())
        {
            return log.append(type, timestampMs, serial, app, channel, record.buffer, 0, record.position);
        }
    }

    /**
     * Deletes log files whose records are all older than a time (retention).
     *
     * @param cutoffMs the time
     * @return what the log removed
     */
    public synchronized int deleteBefore(final long cutoffMs)
    {
        return log.deleteBefore(cutoffMs);
    }

    @Override
    public synchronized void close()
    {
        log.close();
    }

    /** Field encoder into a reused buffer: nullable length-prefixed UTF-8 strings, longs, flags, byte arrays. */
    private static final class Out
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        int position;

        void reset()
        {
            position = 0;
        }

        void string(final String value)
        {
            if (value == null)
            {
                buffer.putInt(position, -1, ByteOrder.BIG_ENDIAN);
                position += 4;
                return;
            }
            final int length = buffer.putStringWithoutLengthUtf8(position + 4, value);
            buffer.putInt(position, length, ByteOrder.BIG_ENDIAN);
            position += 4 + length;
        }

        void number(final long value)
        {
            buffer.putLong(position, value, ByteOrder.BIG_ENDIAN);
            position += 8;
        }

        void flag(final boolean value)
        {
            buffer.putByte(position++, (byte)(value ? 1 : 0));
        }

        void bytes(final byte[] value)
        {
            buffer.putInt(position, value.length, ByteOrder.BIG_ENDIAN);
            buffer.putBytes(position + 4, value);
            position += 4 + value.length;
        }
    }

    /** Field decoder matching {@link Out}, reading the record in place (valid during the log callback only). */
    private static final class In
    {
        private final DirectBuffer buffer;
        private int position;

        In(final LogRecord record)
        {
            buffer = record.buffer();
            position = record.payloadOffset();
        }

        String string()
        {
            final int length = buffer.getInt(position, ByteOrder.BIG_ENDIAN);
            position += 4;
            if (length < 0)
            {
                return null;
            }
            final String value = buffer.getStringWithoutLengthUtf8(position, length);
            position += length;
            return value;
        }

        void skipString()
        {
            final int length = buffer.getInt(position, ByteOrder.BIG_ENDIAN);
            position += 4 + Math.max(0, length);
        }

        long number()
        {
            final long value = buffer.getLong(position, ByteOrder.BIG_ENDIAN);
            position += 8;
            return value;
        }

        boolean flag()
        {
            return buffer.getByte(position++) != 0;
        }

        byte[] bytes()
        {
            final byte[] value = new byte[buffer.getInt(position, ByteOrder.BIG_ENDIAN)];
            buffer.getBytes(position + 4, value);
            position += 4 + value.length;
            return value;
        }

        int skipBytes()
        {
            final int length = buffer.getInt(position, ByteOrder.BIG_ENDIAN);
            position += 4 + length;
            return length;
        }
    }
}
