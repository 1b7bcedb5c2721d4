package io.sockudo.jvm.log;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 without allocation, for the names stored in records. Unpaired surrogates become {@code '?'}, as
 * {@code String.getBytes(UTF_8)} does, so what is stored and what is compared agree.
 */
final class Utf8
{
    /** Most bytes one UTF-16 char can take (a surrogate pair takes four bytes for two chars). */
    static final int MAX_BYTES_PER_CHAR = 3;

    private Utf8()
    {
    }

    /**
     * Encodes a char sequence.
     *
     * @param chars  the text.
     * @param buffer destination, with room for {@link #MAX_BYTES_PER_CHAR} bytes per char.
     * @param offset where to start.
     * @return bytes written.
     */
    static int encode(final CharSequence chars, final MutableDirectBuffer buffer, final int offset)
    {
        final int n = chars.length();
        int at = offset;
        for (int i = 0; i < n; i++)
        {
            final char c = chars.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(at++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(at++, (byte)(0xC0 | (c >>> 6)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (!Character.isSurrogate(c))
            {
                buffer.putByte(at++, (byte)(0xE0 | (c >>> 12)));
                buffer.putByte(at++, (byte)(0x80 | ((c >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, chars.charAt(++i));
                buffer.putByte(at++, (byte)(0xF0 | (cp >>> 18)));
                buffer.putByte(at++, (byte)(0x80 | ((cp >>> 12) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | ((cp >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (cp & 0x3F)));
            }
            else
            {
                buffer.putByte(at++, (byte)'?');
            }
        }
        return at - offset;
    }

    /**
     * Whether stored UTF-8 bytes are the encoding of a char sequence, without decoding them.
     *
     * @param buffer holding the bytes.
     * @param offset where they start.
     * @param length how many.
     * @param chars  the text to compare with.
     * @return true if {@link #encode} of {@code chars} gives exactly these bytes.
     */
    static boolean equals(final DirectBuffer buffer, final int offset, final int length, final CharSequence chars)
    {
        final int n = chars.length();
        final int end = offset + length;
        int at = offset;
        for (int i = 0; i < n; i++)
        {
            final char c = chars.charAt(i);
            if (c < 0x80)
            {
                if (at >= end || buffer.getByte(at++) != (byte)c)
                {
                    return false;
                }
                continue;
            }
            final int cp;
            final int bytes;
            if (c < 0x800)
            {
                cp = c;
                bytes = 2;
            }
            else if (!Character.isSurrogate(c))
            {
                cp = c;
                bytes = 3;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars.charAt(i + 1)))
            {
                cp = Character.toCodePoint(c, chars.charAt(++i));
                bytes = 4;
            }
            else
            {
                cp = '?';
                bytes = 1;
            }
            if (end - at < bytes || !matches(buffer, at, cp, bytes))
            {
                return false;
            }
            at += bytes;
        }
        return at == end;
    }

    private static boolean matches(final DirectBuffer buffer, final int at, final int cp, final int bytes)
    {
        switch (bytes)
        {
            case 1:
                return buffer.getByte(at) == (byte)cp;
            case 2:
                return buffer.getByte(at) == (byte)(0xC0 | (cp >>> 6)) &&
                    buffer.getByte(at + 1) == (byte)(0x80 | (cp & 0x3F));
            case 3:
                return buffer.getByte(at) == (byte)(0xE0 | (cp >>> 12)) &&
                    buffer.getByte(at + 1) == (byte)(0x80 | ((cp >>> 6) & 0x3F)) &&
                    buffer.getByte(at + 2) == (byte)(0x80 | (cp & 0x3F));
            default:
                return buffer.getByte(at) == (byte)(0xF0 | (cp >>> 18)) &&
                    buffer.getByte(at + 1) == (byte)(0x80 | ((cp >>> 12) & 0x3F)) &&
                    buffer.getByte(at + 2) == (byte)(0x80 | ((cp >>> 6) & 0x3F)) &&
                    buffer.getByte(at + 3) == (byte)(0x80 | (cp & 0x3F));
        }
    }
}
