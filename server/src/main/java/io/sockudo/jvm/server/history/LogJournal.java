package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.LogRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The durable {@link Journal}: every history row, version, reset and purge is one record of the {@link EventLog}.
 * At start-up {@link #replayInto} rebuilds the in-memory indexes of the {@link MessageStore} from the log, and history
 * envelopes are read back from the log by index instead of being kept on the heap. The log is opened by one
 * process; calls are serialised on this object (the log has one writer).
 */
public final class LogJournal implements Journal, io.sockudo.jvm.server.annotation.AnnotationJournal
{
    static final int HISTORY = 1;
    static final int VERSION = 2;
    static final int RESET = 3;
    static final int PURGE = 4;
    static final int ANNOTATION = 5;

    private final EventLog log;
    private final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
    private byte[] found;
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
        final Out out = new Out();
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
        final Out out = new Out();
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
        final Out out = new Out();
        out.string(newStreamId);
        append(RESET, timestampMs, "", app, channel, out);
    }

    @Override
    public synchronized void purge(final String app, final String channel, final long beforeSerial,
        final long timestampMs)
    {
        final Out out = new Out();
        out.number(beforeSerial);
        append(PURGE, timestampMs, "", app, channel, out);
    }

    @Override
    public synchronized byte[] envelope(final long logIndex)
    {
        found = null;
        if (!log.read(logIndex, record ->
        {
            if (record.type() == HISTORY)
            {
                final In in = new In(record.payloadBytes());
                in.string();
                in.number();
                in.string();
                in.string();
                in.string();
                found = in.bytes();
            }
        }))
        {
            return null;
        }
        return found;
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
    public synchronized byte[] read(final long index)
    {
        found = null;
        if (!log.read(index, record ->
        {
            if (record.type() == ANNOTATION)
            {
                found = record.payloadBytes();
            }
        }))
        {
            return null;
        }
        return found;
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
        final In in = new In(record.payloadBytes());
        switch (record.type())
        {
            case HISTORY:
            {
                final String streamId = in.string();
                final long serial = in.number();
                final String messageId = in.string();
                final String eventName = in.string();
                final String messageSerial = in.string();
                final int size = in.bytes().length;
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
        final String channel, final Out out)
    {
        checkOwner();
        final byte[] bytes = out.toByteArray();
        view.wrap(bytes);
        // append observes the serial on the clock, which MessageStore.nextSerial also uses under this monitor
        synchronized (log.serialClock())
        {
            return log.append(type, timestampMs, serial, app, channel, view, 0, bytes.length);
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

    /** Field encoder: nullable length-prefixed UTF-8 strings, longs, flags, byte arrays. */
    private static final class Out extends ByteArrayOutputStream
    {
        private final DataOutputStream data = new DataOutputStream(this);

        Out()
        {
            super(256);
        }

        void string(final String value)
        {
            try
            {
                if (value == null)
                {
                    data.writeInt(-1);
                    return;
                }
                final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                data.writeInt(bytes.length);
                data.write(bytes);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        void number(final long value)
        {
            try
            {
                data.writeLong(value);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        void flag(final boolean value)
        {
            write(value ? 1 : 0);
        }

        void bytes(final byte[] value)
        {
            try
            {
                data.writeInt(value.length);
                data.write(value);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** Field decoder matching {@link Out}. */
    private static final class In
    {
        private final DataInputStream data;

        In(final byte[] bytes)
        {
            data = new DataInputStream(new ByteArrayInputStream(bytes));
        }

        String string()
        {
            try
            {
                final int length = data.readInt();
                if (length < 0)
                {
                    return null;
                }
                final byte[] bytes = new byte[length];
                data.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        long number()
        {
            try
            {
                return data.readLong();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        boolean flag()
        {
            try
            {
                return data.readByte() != 0;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        byte[] bytes()
        {
            try
            {
                final byte[] bytes = new byte[data.readInt()];
                data.readFully(bytes);
                return bytes;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
