package io.sockudo.jvm.protocol.json;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes JSON string literals and compact copies of scanned values.
 * <p>
 * Writes go through {@link MutableDirectBuffer#putByte}, so an {@link ExpandableArrayBuffer} target grows as
 * needed; a fixed-size target must have room. The buffer methods allocate nothing.
 */
public final class JsonWriter
{
    private static final byte[] HEX_DIGITS = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
    };

    private JsonWriter()
    {
    }

    /**
     * Appends {@code value} as a JSON string literal with its quotes. Escapes {@code "}, {@code \} and control
     * characters ({@code \b \f \n \r \t}, the others as <code>&#92;u00XX</code>); other characters are written as
     * UTF-8. A lone surrogate, which UTF-8 cannot carry, is written as a <code>&#92;uXXXX</code> escape as JavaScript's
     * {@code JSON.stringify} does.
     *
     * @param dst      to write to.
     * @param position of the opening quote in {@code dst}.
     * @param value    to write.
     * @return position after the closing quote.
     */
    public static int writeQuoted(final MutableDirectBuffer dst, final int position, final CharSequence value)
    {
        int p = position;
        dst.putByte(p++, (byte)'"');
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                p = writeAsciiEscaped(dst, p, c);
            }
            else if (c < 0x800)
            {
                dst.putByte(p++, (byte)(0xC0 | (c >>> 6)));
                dst.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (!Character.isSurrogate(c))
            {
                dst.putByte(p++, (byte)(0xE0 | (c >>> 12)));
                dst.putByte(p++, (byte)(0x80 | ((c >>> 6) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                dst.putByte(p++, (byte)(0xF0 | (cp >>> 18)));
                dst.putByte(p++, (byte)(0x80 | ((cp >>> 12) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | ((cp >>> 6) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else
            {
                p = writeUnicodeEscape(dst, p, c);
            }
        }
        dst.putByte(p++, (byte)'"');
        return p;
    }

    /**
     * Appends {@code value} as a JSON string literal with its quotes, escaped as by {@link #writeQuoted}; other
     * characters are appended as they are.
     *
     * @param dst   to append to.
     * @param value to append.
     */
    public static void appendQuoted(final StringBuilder dst, final CharSequence value)
    {
        dst.append('"');
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                dst.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                final char shortEscape = shortEscape(c);
                if (shortEscape != 0)
                {
                    dst.append('\\').append(shortEscape);
                }
                else
                {
                    appendUnicodeEscape(dst, c);
                }
            }
            else if (!Character.isSurrogate(c))
            {
                dst.append(c);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                dst.append(c).append(value.charAt(++i));
            }
            else
            {
                appendUnicodeEscape(dst, c);
            }
        }
        dst.append('"');
    }

    /**
     * Appends the raw bytes of a JSON value span as a quoted JSON string (JSON inside a string, as Pusher's
     * {@code data} field carries it): quotes, backslashes and control characters of the raw text are escaped,
     * other bytes copied unchanged.
     *
     * @param dst       to write to.
     * @param position  of the opening quote in {@code dst}.
     * @param src       holding the raw text.
     * @param srcOffset of the first byte.
     * @param srcLength in bytes.
     * @return position after the closing quote.
     */
    public static int writeQuotedRaw(
        final MutableDirectBuffer dst,
        final int position,
        final DirectBuffer src,
        final int srcOffset,
        final int srcLength)
    {
        int p = position;
        dst.putByte(p++, (byte)'"');
        final int srcEnd = srcOffset + srcLength;
        for (int i = srcOffset; i < srcEnd; i++)
        {
            final byte b = src.getByte(i);
            if (b >= 0)
            {
                p = writeAsciiEscaped(dst, p, (char)b);
            }
            else
            {
                dst.putByte(p++, b);
            }
        }
        dst.putByte(p++, (byte)'"');
        return p;
    }

    /**
     * Writes a scanned value compactly: whitespace outside strings removed, strings copied verbatim.
     *
     * @param dst      to write to.
     * @param position in {@code dst}.
     * @param scanner  that scanned the value successfully.
     * @param token    index of the value.
     * @return position after the value.
     */
    public static int writeCompact(
        final MutableDirectBuffer dst, final int position, final JsonScanner scanner, final int token)
    {
        final DirectBuffer src = scanner.buffer();
        final int srcEnd = scanner.offset(token) + scanner.length(token);
        int p = position;
        boolean inString = false;
        for (int i = scanner.offset(token); i < srcEnd; i++)
        {
            final byte b = src.getByte(i);
            if (inString)
            {
                dst.putByte(p++, b);
                if (b == '\\')
                {
                    // The scanner validated the escape, so its next byte is never a closing quote.
                    dst.putByte(p++, src.getByte(++i));
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                dst.putByte(p++, b);
                inString = b == '"';
            }
        }
        return p;
    }

    /**
     * Compact text of a scanned value, as written by {@link #writeCompact}. Allocates.
     *
     * @param scanner that scanned the value successfully.
     * @param token   index of the value.
     * @return the compact JSON text.
     */
    public static String compact(final JsonScanner scanner, final int token)
    {
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(Math.max(16, scanner.length(token)));
        final int length = writeCompact(dst, 0, scanner, token);
        return dst.getStringWithoutLengthUtf8(0, length);
    }

    private static int writeAsciiEscaped(final MutableDirectBuffer dst, final int position, final char c)
    {
        int p = position;
        if (c == '"' || c == '\\')
        {
            dst.putByte(p++, (byte)'\\');
            dst.putByte(p++, (byte)c);
        }
        else if (c < 0x20)
        {
            final char shortEscape = shortEscape(c);
            if (shortEscape != 0)
            {
                dst.putByte(p++, (byte)'\\');
                dst.putByte(p++, (byte)shortEscape);
            }
            else
            {
                p = writeUnicodeEscape(dst, p, c);
            }
        }
        else
        {
            dst.putByte(p++, (byte)c);
        }
        return p;
    }

    private static char shortEscape(final char c)
    {
        switch (c)
        {
            case '\b':
                return 'b';
            case '\f':
                return 'f';
            case '\n':
                return 'n';
            case '\r':
                return 'r';
            case '\t':
                return 't';
            default:
                return 0;
        }
    }

    private static int writeUnicodeEscape(final MutableDirectBuffer dst, final int position, final char c)
    {
        int p = position;
        dst.putByte(p++, (byte)'\\');
        dst.putByte(p++, (byte)'u');
        dst.putByte(p++, HEX_DIGITS[(c >>> 12) & 0xF]);
        dst.putByte(p++, HEX_DIGITS[(c >>> 8) & 0xF]);
        dst.putByte(p++, HEX_DIGITS[(c >>> 4) & 0xF]);
        dst.putByte(p++, HEX_DIGITS[c & 0xF]);
        return p;
    }

    private static void appendUnicodeEscape(final StringBuilder dst, final char c)
    {
        dst.append('\\').append('u')
            .append((char)HEX_DIGITS[(c >>> 12) & 0xF])
            .append((char)HEX_DIGITS[(c >>> 8) & 0xF])
            .append((char)HEX_DIGITS[(c >>> 4) & 0xF])
            .append((char)HEX_DIGITS[c & 0xF]);
    }
}
