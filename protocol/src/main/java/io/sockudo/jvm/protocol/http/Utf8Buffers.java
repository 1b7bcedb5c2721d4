package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 text into Agrona buffers without a {@code getBytes} copy per string, and the per-thread scratch buffers that
 * HTTP responses and API signatures are written into.
 */
public final class Utf8Buffers
{
    private static final int INITIAL_CAPACITY = 1024;
    /** A thread's scratch buffer that grew past this (a large response or webhook body) is not kept. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    private Utf8Buffers()
    {
    }

    /**
     * Writes {@code s} as {@code s.getBytes(UTF_8)} would encode it (lone surrogates become {@code '?'}). ASCII text
     * allocates nothing; the rest of a string from its first non-ASCII character goes through the JDK encoder.
     *
     * @param dst   to write to; an {@link ExpandableArrayBuffer} grows as needed.
     * @param index where the first byte goes.
     * @param s     the text.
     * @return the number of bytes written.
     */
    public static int putUtf8(final MutableDirectBuffer dst, final int index, final String s)
    {
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x80)
            {
                final byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                dst.putBytes(index + i, rest);
                return i + rest.length;
            }
            dst.putByte(index + i, (byte)c);
        }
        return n;
    }

    /**
     * The length of {@code s} in UTF-8, as {@code s.getBytes(UTF_8).length}; allocates nothing for ASCII text.
     *
     * @param s the text.
     * @return its UTF-8 length in bytes.
     */
    public static int utf8Length(final String s)
    {
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            if (s.charAt(i) >= 0x80)
            {
                return i + s.substring(i).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    /**
     * A new per-thread scratch buffer holder.
     *
     * @return the holder; read it with {@link #scratch(ThreadLocal)}.
     */
    public static ThreadLocal<ExpandableArrayBuffer> newScratch()
    {
        return ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(INITIAL_CAPACITY));
    }

    /**
     * The calling thread's scratch buffer, replaced by a small one when an earlier use grew it past 64 KiB.
     *
     * @param holder from {@link #newScratch()}.
     * @return the buffer, to be written from index 0.
     */
    public static ExpandableArrayBuffer scratch(final ThreadLocal<ExpandableArrayBuffer> holder)
    {
        final ExpandableArrayBuffer buffer = holder.get();
        if (buffer.capacity() <= KEPT_CAPACITY)
        {
            return buffer;
        }
        final ExpandableArrayBuffer small = new ExpandableArrayBuffer(INITIAL_CAPACITY);
        holder.set(small);
        return small;
    }
}
