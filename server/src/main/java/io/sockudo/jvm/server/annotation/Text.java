package io.sockudo.jvm.server.annotation;

/**
 * Text rules of the spec (1.1 to 1.3): Unicode White_Space (not {@link Character#isWhitespace}), UTF-8 lengths and the
 * identifier rules for ids and serials.
 */
final class Text
{
    /** Longest identifier (id, serial, message serial) in UTF-8 bytes. */
    static final int MAX_IDENTIFIER_BYTES = 128;

    private Text()
    {
    }

    /**
     * Whether a code point has the Unicode White_Space property (what Rust's {@code char::is_whitespace} tests).
     *
     * @param cp the code point.
     * @return true for White_Space.
     */
    static boolean isWhiteSpace(final int cp)
    {
        if (cp <= 0x20)
        {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
        }
        if (cp < 0x85)
        {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
            cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /**
     * Whether a string is empty once White_Space is trimmed from both ends.
     *
     * @param s the text.
     * @return true when empty or only White_Space.
     */
    static boolean isBlank(final String s)
    {
        for (int i = 0; i < s.length(); )
        {
            final int cp = s.codePointAt(i);
            if (!isWhiteSpace(cp))
            {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * Whether a string holds any White_Space code point.
     *
     * @param s the text.
     * @return true if it does.
     */
    static boolean hasWhiteSpace(final String s)
    {
        for (int i = 0; i < s.length(); )
        {
            final int cp = s.codePointAt(i);
            if (isWhiteSpace(cp))
            {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /**
     * Length of a string in UTF-8 (a lone surrogate counts 3 bytes, as its replacement would).
     *
     * @param s the text.
     * @return the byte count.
     */
    static int utf8Length(final CharSequence s)
    {
        int n = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                n++;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Checks an identifier (annotation id, serial, message serial): not blank, no White_Space, at most 128 bytes.
     *
     * @param field name used in the message ({@code serial}, {@code message_serial}...).
     * @param value the value.
     * @return null when valid, else the error message.
     */
    static String checkIdentifier(final String field, final String value)
    {
        if (value == null || isBlank(value))
        {
            return "annotation " + field + " must not be empty";
        }
        if (hasWhiteSpace(value))
        {
            return "annotation " + field + " must not contain whitespace";
        }
        if (utf8Length(value) > MAX_IDENTIFIER_BYTES)
        {
            return "annotation " + field + " must be at most " + MAX_IDENTIFIER_BYTES + " bytes";
        }
        return null;
    }
}
