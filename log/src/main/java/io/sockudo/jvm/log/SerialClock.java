package io.sockudo.jvm.log;

import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The hybrid logical clock that mints Sockudo string serials {@code {ms:020}:{nodeId}:{counter:020}}
 * (protocol-v2.md 1.5) for message creates, versions and annotation events.
 * <p>
 * {@link #next()} never repeats and never goes backwards, even when the wall clock steps back or stands
 * still: the millisecond part is {@code max(clock, last)} and the counter increases on every call and is
 * never reset (deviation from Sockudo 4.4.0, whose counter restarts with the process: spec README
 * "serials never go backwards, also across restarts"). {@link #observe(CharSequence)} lifts the floor so
 * the next serial sorts above a serial read from the log at restart or received from another node.
 * <p>
 * Not thread-safe: one owner (the log writer).
 */
public final class SerialClock
{
    /** Digits of the millisecond and counter fields. */
    public static final int FIELD_DIGITS = 20;
    /** Longest serial accepted anywhere (spec: at most 128 bytes). */
    public static final int MAX_SERIAL_LENGTH = 128;
    /** Longest node id that still gives a serial of at most {@link #MAX_SERIAL_LENGTH} bytes. */
    public static final int MAX_NODE_ID_LENGTH = MAX_SERIAL_LENGTH - 2 * FIELD_DIGITS - 2;

    private final LongSupplier clockMs;
    private final byte[] nodeBytes;
    private final String nodeId;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_SERIAL_LENGTH]);
    private long lastMs;
    private long counter;

    /**
     * A clock for one node.
     *
     * @param nodeId  the node part; trimmed, and {@code node} when blank (as Sockudo does).
     * @param clockMs wall clock in epoch milliseconds.
     * @throws IllegalArgumentException if the node id has whitespace or {@code ':'} (the field separator), is too
     *                                  long or is not ASCII.
     */
    public SerialClock(final String nodeId, final LongSupplier clockMs)
    {
        final String trimmed = nodeId == null ? "" : nodeId.trim();
        this.nodeId = trimmed.isEmpty() ? "node" : trimmed;
        this.nodeBytes = this.nodeId.getBytes(StandardCharsets.US_ASCII);
        if (nodeBytes.length > MAX_NODE_ID_LENGTH)
        {
            throw new IllegalArgumentException("node id longer than " + MAX_NODE_ID_LENGTH + " bytes: " + nodeId);
        }
        for (int i = 0; i < this.nodeId.length(); i++)
        {
            final char c = this.nodeId.charAt(i);
            if (c <= ' ' || c > '~' || c == ':')
            {
                throw new IllegalArgumentException(
                    "node id must be printable ASCII without whitespace or ':': " + nodeId);
            }
        }
        this.clockMs = clockMs;
    }

    /**
     * The node part of the serials this clock mints.
     *
     * @return the node id.
     */
    public String nodeId()
    {
        return nodeId;
    }

    /**
     * Advances the clock to a new serial; read it with {@link #lastMs()} and {@link #counter()}, or write it
     * with {@link #write(MutableDirectBuffer, int)}.
     */
    public void next()
    {
        final long nowMs = clockMs.getAsLong();
        if (nowMs > lastMs)
        {
            lastMs = nowMs;
        }
        counter++;
    }

    /**
     * Advances the clock and writes the new serial.
     *
     * @param buffer destination.
     * @param offset where the serial starts.
     * @return the number of bytes written ({@link #serialLength()}).
     */
    public int nextInto(final MutableDirectBuffer buffer, final int offset)
    {
        next();
        return write(buffer, offset);
    }

    /**
     * Advances the clock and returns the new serial as a string (allocates; tests and cold paths).
     *
     * @return the new serial.
     */
    public String nextString()
    {
        final int length = nextInto(scratch, 0);
        return scratch.getStringWithoutLengthAscii(0, length);
    }

    /**
     * Writes the current (last minted) serial.
     *
     * @param buffer destination.
     * @param offset where the serial starts.
     * @return the number of bytes written.
     */
    public int write(final MutableDirectBuffer buffer, final int offset)
    {
        int at = offset;
        at = putDigits(buffer, at, lastMs);
        buffer.putByte(at++, (byte)':');
        buffer.putBytes(at, nodeBytes);
        at += nodeBytes.length;
        buffer.putByte(at++, (byte)':');
        at = putDigits(buffer, at, counter);
        return at - offset;
    }

    /**
     * Length in bytes of every serial this clock mints.
     *
     * @return the serial length.
     */
    public int serialLength()
    {
        return 2 * FIELD_DIGITS + 2 + nodeBytes.length;
    }

    /**
     * Millisecond part of the last minted serial (the floor of the next one).
     *
     * @return epoch milliseconds.
     */
    public long lastMs()
    {
        return lastMs;
    }

    /**
     * Counter part of the last minted serial.
     *
     * @return the counter.
     */
    public long counter()
    {
        return counter;
    }

    /**
     * Lifts the floor so that every later serial sorts above the given one.
     *
     * @param serial a serial in the Sockudo form; other forms are ignored.
     * @return true if the serial had the Sockudo form.
     */
    public boolean observe(final CharSequence serial)
    {
        if (null == serial)
        {
            return false;
        }
        final int length = serial.length();
        if (length > MAX_SERIAL_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = serial.charAt(i);
            if (c > 0x7F)
            {
                return false;
            }
            scratch.putByte(i, (byte)c);
        }
        return observe(scratch, 0, length);
    }

    /**
     * Lifts the floor so that every later serial sorts above the given one (zero allocation).
     *
     * @param buffer holding the ASCII serial.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return true if the serial had the Sockudo form.
     */
    public boolean observe(final DirectBuffer buffer, final int offset, final int length)
    {
        final int nodeLength = length - 2 * FIELD_DIGITS - 2;
        if (nodeLength < 1 ||
            buffer.getByte(offset + FIELD_DIGITS) != ':' ||
            buffer.getByte(offset + length - FIELD_DIGITS - 1) != ':')
        {
            return false;
        }
        final long ms = parseDigits(buffer, offset);
        final long count = parseDigits(buffer, offset + length - FIELD_DIGITS);
        if (ms < 0 || count < 0)
        {
            return false;
        }
        final int nodeOffset = offset + FIELD_DIGITS + 1;
        if (isOwnNode(buffer, nodeOffset, nodeLength))
        {
            // same node: (ms, counter) must both be covered
            lastMs = Math.max(lastMs, ms);
            counter = Math.max(counter, count);
        }
        else if (sortsAfterAtSameMs(buffer, nodeOffset, nodeLength))
        {
            // at an equal millisecond our "node:" part already sorts above theirs
            lastMs = Math.max(lastMs, ms);
        }
        else
        {
            // only a later millisecond sorts above
            lastMs = Math.max(lastMs, ms + 1);
        }
        return true;
    }

    /**
     * Compares two serials held as bytes the way Sockudo does (plain byte-wise string order).
     *
     * @param a       first buffer.
     * @param aOffset first offset.
     * @param aLength first length.
     * @param b       second buffer.
     * @param bOffset second offset.
     * @param bLength second length.
     * @return negative, zero or positive.
     */
    public static int compare(
        final DirectBuffer a, final int aOffset, final int aLength,
        final DirectBuffer b, final int bOffset, final int bLength)
    {
        final int n = Math.min(aLength, bLength);
        for (int i = 0; i < n; i++)
        {
            final int d = (a.getByte(aOffset + i) & 0xFF) - (b.getByte(bOffset + i) & 0xFF);
            if (d != 0)
            {
                return d;
            }
        }
        return aLength - bLength;
    }

    private boolean isOwnNode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != nodeBytes.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (nodeBytes[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether, at the same millisecond, any serial of ours sorts above the given one. The serials share the
     * {@code {ms}:} prefix, so this compares our {@code node:} with their {@code node:} byte by byte. Comparing
     * node ids alone is wrong: {@code node-1} is longer than {@code node}, yet {@code "node-1:"} sorts below
     * {@code "node:"} because {@code '-' < ':'}. If no byte differs within our {@code node:} (their node id
     * contains ours followed by {@code ':'}), the order depends on the counters, so the answer is a safe no.
     */
    private boolean sortsAfterAtSameMs(final DirectBuffer buffer, final int offset, final int length)
    {
        final int ours = nodeBytes.length + 1;
        final int theirs = length + 1;
        final int n = Math.min(ours, theirs);
        for (int i = 0; i < n; i++)
        {
            final int a = i < nodeBytes.length ? nodeBytes[i] & 0xFF : ':';
            final int b = i < length ? buffer.getByte(offset + i) & 0xFF : ':';
            if (a != b)
            {
                return a > b;
            }
        }
        return false;
    }

    private static long parseDigits(final DirectBuffer buffer, final int offset)
    {
        long value = 0;
        for (int i = 0; i < FIELD_DIGITS; i++)
        {
            final int d = buffer.getByte(offset + i) - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int putDigits(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        long v = value;
        for (int i = FIELD_DIGITS - 1; i >= 0; i--)
        {
            buffer.putByte(offset + i, (byte)('0' + (v % 10)));
            v /= 10;
        }
        return offset + FIELD_DIGITS;
    }
}
