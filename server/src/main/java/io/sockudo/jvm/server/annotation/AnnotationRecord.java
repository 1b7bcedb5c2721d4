package io.sockudo.jvm.server.annotation;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Flyweight over the payload of one annotation event record in the journal (little-endian):
 * <pre>
 *   0       1        2       3       4              12               20
 *   | ver=1 | action | flags | 0     | count (u64)  | timestampMs    | fields...
 * </pre>
 * then nine length-prefixed UTF-8 fields ({@code int} length, bytes), in this order: id, serial, messageSerial, type,
 * target (the serial of the create a delete cancels; empty for creates), name, clientId, data (compact JSON text),
 * encoding. Flags say which optional fields (name, clientId, count, data, encoding) are present; an absent field has
 * length 0. Decoding does not allocate except for the {@link #string} accessor.
 */
public final class AnnotationRecord
{
    /** Layout version in byte 0. */
    public static final byte VERSION = 1;
    /** Action byte of {@code annotation.create}. */
    public static final byte CREATE = 0;
    /** Action byte of {@code annotation.delete}. */
    public static final byte DELETE = 1;

    static final int FIELD_ID = 0;
    static final int FIELD_SERIAL = 1;
    static final int FIELD_MESSAGE_SERIAL = 2;
    static final int FIELD_TYPE = 3;
    static final int FIELD_TARGET = 4;
    static final int FIELD_NAME = 5;
    static final int FIELD_CLIENT = 6;
    static final int FIELD_DATA = 7;
    static final int FIELD_ENCODING = 8;
    static final int FIELDS = 9;

    static final int HAS_NAME = 1;
    static final int HAS_CLIENT = 2;
    static final int HAS_COUNT = 4;
    static final int HAS_DATA = 8;
    static final int HAS_ENCODING = 16;

    private static final int ACTION_OFFSET = 1;
    private static final int FLAGS_OFFSET = 2;
    private static final int COUNT_OFFSET = 4;
    private static final int TIMESTAMP_OFFSET = 12;
    private static final int FIELDS_OFFSET = 20;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final int[] offsets = new int[FIELDS];
    private final int[] lengths = new int[FIELDS];

    /**
     * Wraps a payload and locates its fields.
     *
     * @param payload the record bytes.
     * @return false if the payload is not a well-formed record of this version.
     */
    public boolean wrap(final byte[] payload)
    {
        if (payload == null || payload.length < FIELDS_OFFSET + FIELDS * Integer.BYTES || payload[0] != VERSION)
        {
            return false;
        }
        buffer.wrap(payload);
        int p = FIELDS_OFFSET;
        for (int f = 0; f < FIELDS; f++)
        {
            if (p + Integer.BYTES > payload.length)
            {
                return false;
            }
            final int length = buffer.getInt(p);
            p += Integer.BYTES;
            if (length < 0 || length > payload.length - p)
            {
                return false;
            }
            offsets[f] = p;
            lengths[f] = length;
            p += length;
        }
        final byte action = buffer.getByte(ACTION_OFFSET);
        return action == CREATE || action == DELETE;
    }

    /**
     * The wrapped bytes.
     *
     * @return a view of the payload.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Whether this is a delete.
     *
     * @return true for {@code annotation.delete}.
     */
    public boolean isDelete()
    {
        return buffer.getByte(ACTION_OFFSET) == DELETE;
    }

    int flags()
    {
        return buffer.getByte(FLAGS_OFFSET);
    }

    boolean has(final int flag)
    {
        return (flags() & flag) != 0;
    }

    /**
     * The {@code count} (meaningful when present).
     *
     * @return the unsigned count.
     */
    public long count()
    {
        return buffer.getLong(COUNT_OFFSET);
    }

    /**
     * Event time.
     *
     * @return ms since the epoch.
     */
    public long timestampMs()
    {
        return buffer.getLong(TIMESTAMP_OFFSET);
    }

    int offset(final int field)
    {
        return offsets[field];
    }

    int length(final int field)
    {
        return lengths[field];
    }

    /**
     * A field as text; allocates.
     *
     * @param field one of the {@code FIELD_*} numbers.
     * @return the text ({@code ""} when absent).
     */
    String string(final int field)
    {
        return buffer.getStringWithoutLengthUtf8(offsets[field], lengths[field]);
    }

    /**
     * Encodes an event.
     *
     * @param delete        whether it is a delete.
     * @param id            annotation id.
     * @param serial        annotation serial.
     * @param messageSerial target message serial.
     * @param type          annotation type.
     * @param target        serial of the deleted create, or null for a create.
     * @param name          name or null.
     * @param clientId      client id or null.
     * @param hasCount      whether a count was given.
     * @param count         the count (unsigned).
     * @param dataJson      compact JSON of data, or null.
     * @param encoding      encoding or null.
     * @param timestampMs   event time.
     * @return the payload.
     */
    static byte[] encode(final boolean delete, final String id, final String serial, final String messageSerial,
        final String type, final String target, final String name, final String clientId, final boolean hasCount,
        final long count, final String dataJson, final String encoding, final long timestampMs)
    {
        final byte[][] fields = new byte[FIELDS][];
        fields[FIELD_ID] = bytes(id);
        fields[FIELD_SERIAL] = bytes(serial);
        fields[FIELD_MESSAGE_SERIAL] = bytes(messageSerial);
        fields[FIELD_TYPE] = bytes(type);
        fields[FIELD_TARGET] = bytes(target);
        fields[FIELD_NAME] = bytes(name);
        fields[FIELD_CLIENT] = bytes(clientId);
        fields[FIELD_DATA] = bytes(dataJson);
        fields[FIELD_ENCODING] = bytes(encoding);
        int length = FIELDS_OFFSET;
        for (final byte[] f : fields)
        {
            length += Integer.BYTES + f.length;
        }
        final byte[] payload = new byte[length];
        final UnsafeBuffer out = new UnsafeBuffer(payload);
        int flags = 0;
        flags |= name != null ? HAS_NAME : 0;
        flags |= clientId != null ? HAS_CLIENT : 0;
        flags |= hasCount ? HAS_COUNT : 0;
        flags |= dataJson != null ? HAS_DATA : 0;
        flags |= encoding != null ? HAS_ENCODING : 0;
        out.putByte(0, VERSION);
        out.putByte(ACTION_OFFSET, delete ? DELETE : CREATE);
        out.putByte(FLAGS_OFFSET, (byte)flags);
        out.putLong(COUNT_OFFSET, hasCount ? count : 0);
        out.putLong(TIMESTAMP_OFFSET, timestampMs);
        int p = FIELDS_OFFSET;
        for (final byte[] f : fields)
        {
            out.putInt(p, f.length);
            p += Integer.BYTES;
            out.putBytes(p, f);
            p += f.length;
        }
        return payload;
    }

    private static byte[] bytes(final String s)
    {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
