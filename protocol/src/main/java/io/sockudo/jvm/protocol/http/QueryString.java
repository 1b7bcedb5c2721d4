package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoding of {@code application/x-www-form-urlencoded} query strings.
 */
public final class QueryString
{
    private QueryString()
    {
    }

    /**
     * Form-decodes a raw query into ordered (name, value) pairs: pieces are split on {@code &}, empty pieces are
     * skipped, a piece without {@code =} has the value {@code ""}, {@code +} is a space and {@code %XX} escapes are
     * UTF-8 bytes (invalid UTF-8 becomes U+FFFD).
     *
     * @param rawQuery the text after {@code ?}, may be null (no pairs).
     * @return a mutable list of two-element arrays {@code {name, value}}, or null when a {@code %} escape is malformed.
     */
    public static List<String[]> parse(final String rawQuery)
    {
        if (null == rawQuery || rawQuery.isEmpty())
        {
            return new ArrayList<>(0);
        }

        final List<String[]> pairs = new ArrayList<>();
        int start = 0;
        final int length = rawQuery.length();
        while (start <= length)
        {
            final int end = pieceEnd(rawQuery, start);
            if (end > start)
            {
                final int eq = equalsSign(rawQuery, start, end);
                final String name = decode(rawQuery, start, eq >= 0 ? eq : end, true);
                final String value = eq >= 0 ? decode(rawQuery, eq + 1, end, true) : "";
                if (null == name || null == value)
                {
                    return null;
                }
                pairs.add(new String[]{ name, value });
            }
            start = end + 1;
        }
        return pairs;
    }

    /**
     * Whether {@link #parse} would accept the query: every {@code %} starts a two-digit hex escape.
     *
     * @param rawQuery the query string without {@code ?}, or null.
     * @return true when it can be decoded.
     */
    public static boolean isWellFormed(final String rawQuery)
    {
        if (null == rawQuery)
        {
            return true;
        }
        final int length = rawQuery.length();
        for (int i = rawQuery.indexOf('%'); i >= 0; i = rawQuery.indexOf('%', i + 1))
        {
            if (i + 2 >= length || !isAsciiHex(rawQuery.charAt(i + 1)) || !isAsciiHex(rawQuery.charAt(i + 2)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The decoded value of one parameter, read straight from the raw query: the same answer as
     * {@code first(parse(rawQuery), name)} without building the list of every pair (for the WebSocket handshake,
     * which reads two or three parameters). Check {@link #isWellFormed} first.
     *
     * @param rawQuery the query string without {@code ?}, or null.
     * @param name     the exact (case-sensitive) parameter name.
     * @return the last value for {@code name}, or null when absent or not decodable.
     */
    public static String find(final String rawQuery, final String name)
    {
        if (null == rawQuery)
        {
            return null;
        }
        String found = null;
        int start = 0;
        final int length = rawQuery.length();
        while (start < length)
        {
            final int end = pieceEnd(rawQuery, start);
            if (end > start)
            {
                final int eq = equalsSign(rawQuery, start, end);
                if (nameIs(rawQuery, start, eq >= 0 ? eq : end, name))
                {
                    found = eq >= 0 ? decode(rawQuery, eq + 1, end, true) : "";
                }
            }
            start = end + 1;
        }
        return found;
    }

    /** End of the {@code &}-separated piece that starts at {@code start}. */
    private static int pieceEnd(final String raw, final int start)
    {
        final int amp = raw.indexOf('&', start);
        return amp < 0 ? raw.length() : amp;
    }

    /** The first {@code =} of the piece {@code [start, end)}, or -1 when it has none (a name without a value). */
    private static int equalsSign(final String raw, final int start, final int end)
    {
        final int eq = raw.indexOf('=', start);
        return eq < end ? eq : -1;
    }

    private static boolean nameIs(final String raw, final int start, final int end, final String name)
    {
        for (int i = start; i < end; i++)
        {
            final char c = raw.charAt(i);
            if (c == '%' || c == '+')
            {
                return name.equals(decode(raw, start, end, true));
            }
        }
        return end - start == name.length() && raw.regionMatches(start, name, 0, name.length());
    }

    /**
     * The value of a parameter; when it is repeated the <b>last</b> value wins (as in Sockudo).
     *
     * @param pairs the decoded pairs from {@link #parse}.
     * @param name  the exact (case-sensitive) parameter name.
     * @return the last value for {@code name}, or null when absent.
     */
    public static String first(final List<String[]> pairs, final String name)
    {
        for (int i = pairs.size() - 1; i >= 0; i--)
        {
            final String[] pair = pairs.get(i);
            if (name.equals(pair[0]))
            {
                return pair[1];
            }
        }
        return null;
    }

    /**
     * Decodes {@code %XX} escapes (UTF-8) and nothing else: {@code +} stays a plus sign.
     *
     * @param s the text.
     * @return the decoded text, or null when a {@code %} escape is malformed.
     */
    public static String percentDecode(final String s)
    {
        return decode(s, 0, s.length(), false);
    }

    private static String decode(final String s, final int start, final int end, final boolean plusIsSpace)
    {
        boolean plain = true;
        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+'))
            {
                plain = false;
                break;
            }
        }
        if (plain)
        {
            final String known = KnownStrings.lookup(s, start, end);
            return null != known ? known : s.substring(start, end);
        }

        final StringBuilder out = new StringBuilder(end - start);
        byte[] bytes = null;
        int i = start;
        while (i < end)
        {
            final char c = s.charAt(i);
            if (c == '%')
            {
                // Gather a run of escapes so that multi-byte UTF-8 sequences decode together.
                if (null == bytes)
                {
                    bytes = new byte[(end - start) / 3 + 1];
                }
                int count = 0;
                while (i < end && s.charAt(i) == '%')
                {
                    if (i + 2 >= end)
                    {
                        return null;
                    }
                    final int hi = Character.digit(s.charAt(i + 1), 16);
                    final int lo = Character.digit(s.charAt(i + 2), 16);
                    if (!isAsciiHex(s.charAt(i + 1)) || !isAsciiHex(s.charAt(i + 2)))
                    {
                        return null;
                    }
                    bytes[count++] = (byte)((hi << 4) | lo);
                    i += 3;
                }
                out.append(new String(bytes, 0, count, StandardCharsets.UTF_8));
            }
            else
            {
                out.append(plusIsSpace && c == '+' ? ' ' : c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isAsciiHex(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
