package io.sockudo.jvm.protocol.json;

import org.agrona.DirectBuffer;

/**
 * Byte-level helpers for the content of JSON string literals: strict UTF-8 validation and decoding of escapes.
 * <p>
 * Decoding returns the code point and the next position packed into one {@code long} so the hot path needs
 * neither a cursor object nor a mutable holder.
 */
final class JsonStrings
{
    /** Marker returned by {@link #utf8SequenceLength} for a malformed sequence. */
    static final int INVALID = -1;

    /** Substitute for an escaped lone surrogate (<code>&#92;uD800</code> without its pair). */
    static final int REPLACEMENT_CHAR = 0xFFFD;

    private JsonStrings()
    {
    }

    /**
     * Validates one UTF-8 sequence whose lead byte (at least 0x80) is at {@code pos}.
     * Rejects overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629 table).
     *
     * @param buffer holding the bytes.
     * @param pos    of the lead byte.
     * @param end    exclusive limit.
     * @return the sequence length in bytes (2 to 4) or {@link #INVALID}.
     */
    static int utf8SequenceLength(final DirectBuffer buffer, final int pos, final int end)
    {
        final int b0 = buffer.getByte(pos) & 0xFF;
        final int length;
        int min = 0x80;
        int max = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF)
        {
            length = 2;
        }
        else if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            length = 3;
            if (b0 == 0xE0)
            {
                min = 0xA0;
            }
            else if (b0 == 0xED)
            {
                max = 0x9F;
            }
        }
        else if (b0 >= 0xF0 && b0 <= 0xF4)
        {
            length = 4;
            if (b0 == 0xF0)
            {
                min = 0x90;
            }
            else if (b0 == 0xF4)
            {
                max = 0x8F;
            }
        }
        else
        {
            return INVALID;
        }

        if (pos + length > end)
        {
            return INVALID;
        }
        final int b1 = buffer.getByte(pos + 1) & 0xFF;
        if (b1 < min || b1 > max)
        {
            return INVALID;
        }
        for (int i = 2; i < length; i++)
        {
            final int b = buffer.getByte(pos + i) & 0xFF;
            if (b < 0x80 || b > 0xBF)
            {
                return INVALID;
            }
        }
        return length;
    }

    /**
     * Value of one hexadecimal digit.
     *
     * @param b the byte.
     * @return 0 to 15, or -1 if {@code b} is not a hex digit.
     */
    static int hexValue(final int b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes the code point at {@code pos} inside already validated string content.
     * An escaped surrogate pair becomes one supplementary code point; an escaped lone surrogate becomes
     * {@link #REPLACEMENT_CHAR} (browsers can send them, so the scanner accepts them).
     *
     * @param buffer holding the content.
     * @param pos    of the character (inside the quotes).
     * @param end    exclusive end of the content (the position of the closing quote).
     * @return {@code (nextPosition << 32) | codePoint}.
     */
    static long decode(final DirectBuffer buffer, final int pos, final int end)
    {
        final int b0 = buffer.getByte(pos) & 0xFF;
        if (b0 == '\\')
        {
            return decodeEscape(buffer, pos, end);
        }
        if (b0 < 0x80)
        {
            return pack(pos + 1, b0);
        }
        if (b0 < 0xE0)
        {
            return pack(pos + 2, ((b0 & 0x1F) << 6) | (buffer.getByte(pos + 1) & 0x3F));
        }
        if (b0 < 0xF0)
        {
            return pack(pos + 3, ((b0 & 0x0F) << 12) | ((buffer.getByte(pos + 1) & 0x3F) << 6) |
                (buffer.getByte(pos + 2) & 0x3F));
        }
        return pack(pos + 4, ((b0 & 0x07) << 18) | ((buffer.getByte(pos + 1) & 0x3F) << 12) |
            ((buffer.getByte(pos + 2) & 0x3F) << 6) | (buffer.getByte(pos + 3) & 0x3F));
    }

    /**
     * Next position from a value returned by {@link #decode}.
     *
     * @param packed value from {@link #decode}.
     * @return position after the decoded character.
     */
    static int nextPosition(final long packed)
    {
        return (int)(packed >>> 32);
    }

    /**
     * Code point from a value returned by {@link #decode}.
     *
     * @param packed value from {@link #decode}.
     * @return the code point.
     */
    static int codePoint(final long packed)
    {
        return (int)packed;
    }

    /**
     * Number of bytes the code point takes in UTF-8.
     *
     * @param codePoint a valid code point (no surrogates).
     * @return 1 to 4.
     */
    static int utf8Length(final int codePoint)
    {
        if (codePoint < 0x80)
        {
            return 1;
        }
        if (codePoint < 0x800)
        {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    /**
     * Compares validated string content with {@code value}, UTF-16 unit by unit, without allocating.
     *
     * @param buffer       holding the content.
     * @param contentStart position after the opening quote.
     * @param contentEnd   position of the closing quote.
     * @param escaped      whether the content holds any escape.
     * @param value        to compare with.
     * @return true if the unescaped content equals {@code value}.
     */
    static boolean contentEquals(
        final DirectBuffer buffer,
        final int contentStart,
        final int contentEnd,
        final boolean escaped,
        final CharSequence value)
    {
        final int n = value.length();
        // Without escapes each UTF-16 unit takes 1 to 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4).
        if (!escaped && (contentEnd - contentStart < n || contentEnd - contentStart > 3 * n))
        {
            return false;
        }

        int pos = contentStart;
        int i = 0;
        while (pos < contentEnd)
        {
            final int b = buffer.getByte(pos);
            if (b >= 0 && b != '\\')
            {
                if (i >= n || value.charAt(i) != b)
                {
                    return false;
                }
                i++;
                pos++;
                continue;
            }
            final long packed = decode(buffer, pos, contentEnd);
            final int cp = codePoint(packed);
            pos = nextPosition(packed);
            if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT)
            {
                if (i >= n || value.charAt(i) != cp)
                {
                    return false;
                }
                i++;
            }
            else
            {
                if (i + 1 >= n || value.charAt(i) != Character.highSurrogate(cp) ||
                    value.charAt(i + 1) != Character.lowSurrogate(cp))
                {
                    return false;
                }
                i += 2;
            }
        }
        return i == n;
    }

    /**
     * Unescaped validated string content. Allocates.
     *
     * @param buffer       holding the content.
     * @param contentStart position after the opening quote.
     * @param contentEnd   position of the closing quote.
     * @return the content as a String.
     */
    static String contentValue(final DirectBuffer buffer, final int contentStart, final int contentEnd)
    {
        final StringBuilder sb = new StringBuilder(contentEnd - contentStart);
        int pos = contentStart;
        while (pos < contentEnd)
        {
            final long packed = decode(buffer, pos, contentEnd);
            sb.appendCodePoint(codePoint(packed));
            pos = nextPosition(packed);
        }
        return sb.toString();
    }

    /**
     * Length in UTF-8 bytes of unescaped validated string content.
     *
     * @param buffer       holding the content.
     * @param contentStart position after the opening quote.
     * @param contentEnd   position of the closing quote.
     * @return the length.
     */
    static int contentUtf8Length(final DirectBuffer buffer, final int contentStart, final int contentEnd)
    {
        int utf8Length = 0;
        int pos = contentStart;
        while (pos < contentEnd)
        {
            final long packed = decode(buffer, pos, contentEnd);
            utf8Length += utf8Length(codePoint(packed));
            pos = nextPosition(packed);
        }
        return utf8Length;
    }

    private static long decodeEscape(final DirectBuffer buffer, final int pos, final int end)
    {
        final int e = buffer.getByte(pos + 1);
        switch (e)
        {
            case 'b':
                return pack(pos + 2, '\b');
            case 'f':
                return pack(pos + 2, '\f');
            case 'n':
                return pack(pos + 2, '\n');
            case 'r':
                return pack(pos + 2, '\r');
            case 't':
                return pack(pos + 2, '\t');
            case 'u':
                break;
            default:
                return pack(pos + 2, e); // '"', '\\' and '/' stand for themselves
        }

        final int unit = hex4(buffer, pos + 2);
        if (Character.isHighSurrogate((char)unit))
        {
            if (pos + 12 <= end && buffer.getByte(pos + 6) == '\\' && buffer.getByte(pos + 7) == 'u')
            {
                final int low = hex4(buffer, pos + 8);
                if (Character.isLowSurrogate((char)low))
                {
                    return pack(pos + 12, Character.toCodePoint((char)unit, (char)low));
                }
            }
            return pack(pos + 6, REPLACEMENT_CHAR);
        }
        if (Character.isLowSurrogate((char)unit))
        {
            return pack(pos + 6, REPLACEMENT_CHAR);
        }
        return pack(pos + 6, unit);
    }

    private static int hex4(final DirectBuffer buffer, final int pos)
    {
        return (hexValue(buffer.getByte(pos)) << 12) | (hexValue(buffer.getByte(pos + 1)) << 8) |
            (hexValue(buffer.getByte(pos + 2)) << 4) | hexValue(buffer.getByte(pos + 3));
    }

    private static long pack(final int nextPosition, final int codePoint)
    {
        return ((long)nextPosition << 32) | (codePoint & 0xFFFFFFFFL);
    }
}
