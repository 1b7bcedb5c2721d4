package io.sockudo.jvm.log;

import static io.sockudo.jvm.log.LogRecordDescriptor.APP_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.BYTE_ORDER;
import static io.sockudo.jvm.log.LogRecordDescriptor.CHANNEL_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.HEADER_LENGTH;
import static io.sockudo.jvm.log.LogRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.SERIAL_LENGTH_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.TIMESTAMP_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.TYPE_OFFSET;
import static io.sockudo.jvm.log.LogRecordDescriptor.VERSION;
import static io.sockudo.jvm.log.LogRecordDescriptor.VERSION_OFFSET;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

/**
 * Flyweight over one stored record, handed to a {@link LogRecordHandler}. It is reused: it and every buffer or
 * {@link CharSequence} it returns are valid only during the callback. The payload is not copied: {@link #buffer()}
 * views the log's memory-mapped file directly.
 * <p>
 * Accessors that return {@code String} or {@code byte[]} allocate (rebuild paths); the {@code *Matches} and
 * {@code append*To} methods do not.
 */
public final class LogRecord
{
    private final AsciiSequenceView serialView = new AsciiSequenceView();
    private DirectBuffer buffer;
    private int offset;
    private long index;
    private int serialLength;
    private int appLength;
    private int channelLength;
    private int payloadLength;

    LogRecord()
    {
    }

    /**
     * Points at a record, checking that its lengths fit.
     *
     * @return false if the bytes are not a record of a known version.
     */
    boolean wrap(final long index, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || buffer.getInt(offset + VERSION_OFFSET, BYTE_ORDER) != VERSION)
        {
            return false;
        }
        final int serial = buffer.getInt(offset + SERIAL_LENGTH_OFFSET, BYTE_ORDER);
        final int app = buffer.getInt(offset + APP_LENGTH_OFFSET, BYTE_ORDER);
        final int channel = buffer.getInt(offset + CHANNEL_LENGTH_OFFSET, BYTE_ORDER);
        final int payload = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
        if ((serial | app | channel | payload) < 0 ||
            (long)HEADER_LENGTH + serial + app + channel + payload > length)
        {
            return false;
        }
        this.index = index;
        this.buffer = buffer;
        this.offset = offset;
        this.serialLength = serial;
        this.appLength = app;
        this.channelLength = channel;
        this.payloadLength = payload;
        serialView.wrap(buffer, serialOffset(), serial);
        return true;
    }

    /**
     * Position of the record in the log (what {@link EventLog#append} returned).
     *
     * @return the log index.
     */
    public long index()
    {
        return index;
    }

    /**
     * Caller-defined record type.
     *
     * @return the type given to {@link EventLog#append}.
     */
    public int type()
    {
        return buffer.getInt(offset + TYPE_OFFSET, BYTE_ORDER);
    }

    /**
     * Caller-supplied timestamp; retention compares it with the cutoff.
     *
     * @return epoch milliseconds.
     */
    public long timestampMs()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, BYTE_ORDER);
    }

    /**
     * The serial as a view (no allocation); empty if the record had none.
     *
     * @return the serial, valid during the callback.
     */
    public CharSequence serial()
    {
        return serialView;
    }

    /**
     * Length of the serial.
     *
     * @return bytes (serials are ASCII, so also chars).
     */
    public int serialLength()
    {
        return serialLength;
    }

    /**
     * Appends the serial to a builder.
     *
     * @param builder destination.
     * @return the builder.
     */
    public StringBuilder appendSerialTo(final StringBuilder builder)
    {
        final int start = serialOffset();
        for (int i = 0; i < serialLength; i++)
        {
            builder.append((char)(buffer.getByte(start + i) & 0xFF));
        }
        return builder;
    }

    /**
     * The serial as a new string (allocates).
     *
     * @return the serial.
     */
    public String serialString()
    {
        return buffer.getStringWithoutLengthAscii(serialOffset(), serialLength);
    }

    /**
     * The app id as a new string (allocates).
     *
     * @return the app id.
     */
    public String app()
    {
        return buffer.getStringWithoutLengthUtf8(appOffset(), appLength);
    }

    /**
     * Whether the app id equals the given text, without allocating.
     *
     * @param app text to compare with.
     * @return true if equal.
     */
    public boolean appMatches(final CharSequence app)
    {
        return Utf8.equals(buffer, appOffset(), appLength, app);
    }

    /**
     * The channel name as a new string (allocates).
     *
     * @return the channel.
     */
    public String channel()
    {
        return buffer.getStringWithoutLengthUtf8(channelOffset(), channelLength);
    }

    /**
     * Whether the channel name equals the given text, without allocating.
     *
     * @param channel text to compare with.
     * @return true if equal.
     */
    public boolean channelMatches(final CharSequence channel)
    {
        return Utf8.equals(buffer, channelOffset(), channelLength, channel);
    }

    /**
     * The buffer holding the whole record; the payload starts at {@link #payloadOffset()}.
     *
     * @return the buffer, valid during the callback.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Where the payload starts in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int payloadOffset()
    {
        return channelOffset() + channelLength;
    }

    /**
     * Payload length.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * A copy of the payload (allocates).
     *
     * @return the payload bytes.
     */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength];
        buffer.getBytes(payloadOffset(), bytes);
        return bytes;
    }

    int serialOffset()
    {
        return offset + HEADER_LENGTH;
    }

    private int appOffset()
    {
        return serialOffset() + serialLength;
    }

    private int channelOffset()
    {
        return appOffset() + appLength;
    }
}
