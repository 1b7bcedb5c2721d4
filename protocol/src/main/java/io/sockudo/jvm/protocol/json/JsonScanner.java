package io.sockudo.jvm.protocol.json;

import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * Strict RFC 8259 validator that records a token tape of one JSON document, reusable without allocation.
 * <p>
 * {@link #scan} checks that {@code buffer[offset, offset + length)} holds exactly one JSON value (surrounding
 * whitespace allowed): no trailing commas, no comments, no leading zeros, only the escapes of RFC 8259 section 7,
 * no raw control characters and only well-formed UTF-8 inside strings. Escaped lone surrogates
 * (<code>&#92;uD800</code>) are accepted because browsers send them; they read back as U+FFFD.
 * <p>
 * Tokens are numbered in document order, the root being 0. Each token has a {@link #type}, its raw span
 * ({@link #offset}, {@link #length}: strings include their quotes, containers their brackets) and a link to its
 * next sibling. The children of an object alternate key (a {@link #STRING}) and value:
 * <pre>
 *   {"a":[1,2],"b":null}
 *   0 OBJECT  childCount=2  firstChild=1
 *   1 STRING "a"   next=2
 *   2 ARRAY   childCount=2  firstChild=3  next=5
 *   3 NUMBER 1     next=4
 *   4 NUMBER 2     next=-1
 *   5 STRING "b"   next=6
 *   6 NULL         next=-1
 * </pre>
 * The tape lives in one {@code int} array that grows when a document has more tokens than any before it, and is
 * reused afterwards. Accessors are only meaningful for token indices of the last successful scan. Not thread safe:
 * one owner.
 */
public final class JsonScanner
{
    /** Token type of an object. */
    public static final int OBJECT = 1;
    /** Token type of an array. */
    public static final int ARRAY = 2;
    /** Token type of a string (an object key or a value). */
    public static final int STRING = 3;
    /** Token type of a number. */
    public static final int NUMBER = 4;
    /** Token type of {@code true}. */
    public static final int TRUE = 5;
    /** Token type of {@code false}. */
    public static final int FALSE = 6;
    /** Token type of {@code null}. */
    public static final int NULL = 7;

    /** Nesting depth allowed by {@link #JsonScanner()}. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private static final int INITIAL_TOKEN_CAPACITY = 64;

    // Tape layout, TOKEN_STRIDE ints per token.
    private static final int TYPE_FIELD = 0;
    private static final int OFFSET_FIELD = 1;
    private static final int LENGTH_FIELD = 2;
    private static final int NEXT_FIELD = 3;
    private static final int COUNT_FIELD = 4;
    private static final int TOKEN_STRIDE = 5;

    // Flags stored above the type in TYPE_FIELD.
    private static final int TYPE_MASK = 0xFF;
    private static final int FLAG_ESCAPED = 0x100;
    private static final int FLAG_INTEGER = 0x200;

    private final int maxDepth;
    private final int[] containerStack;
    private final int[] lastChildStack;
    private int[] tape = new int[INITIAL_TOKEN_CAPACITY * TOKEN_STRIDE];
    private int tokenCount;
    private DirectBuffer buffer;
    private int start;
    private int end;
    private int depth;
    private int errorCode;
    private int errorPosition;
    private boolean valueExpected;

    /**
     * Scanner allowing {@value #DEFAULT_MAX_DEPTH} nested containers.
     */
    public JsonScanner()
    {
        this(DEFAULT_MAX_DEPTH);
    }

    /**
     * Scanner allowing {@code maxDepth} nested containers; a document nesting deeper is invalid.
     *
     * @param maxDepth number of objects/arrays that may enclose one another, at least 1.
     */
    public JsonScanner(final int maxDepth)
    {
        if (maxDepth < 1)
        {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        this.maxDepth = maxDepth;
        this.containerStack = new int[maxDepth];
        this.lastChildStack = new int[maxDepth];
    }

    /**
     * Scans {@code buffer[offset, offset + length)} as exactly one JSON value (surrounding whitespace allowed).
     *
     * @param buffer holding the document; kept for the accessors until the next scan.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true if the document is valid, false otherwise (see {@link #errorMessage()}).
     */
    public boolean scan(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.start = offset;
        this.end = offset + length;
        this.tokenCount = 0;
        this.depth = 0;
        this.errorCode = JsonErrors.NONE;
        this.errorPosition = 0;

        int pos = skipWhitespace(offset);
        while (true)
        {
            valueExpected = false;
            pos = scanValue(pos);
            if (pos < 0)
            {
                return false;
            }
            if (valueExpected)
            {
                continue;
            }
            pos = afterValue(pos);
            if (pos < 0)
            {
                return false;
            }
            if (depth == 0)
            {
                return true;
            }
        }
    }

    /**
     * Description of why the last scan failed, e.g. {@code "expected value at position 3"}, positions being
     * relative to the scanned offset. Allocates; meant for error replies and diagnostics.
     *
     * @return the description, or null if the last scan succeeded.
     */
    public String errorMessage()
    {
        if (errorCode == JsonErrors.NONE)
        {
            return null;
        }
        return JsonErrors.describe(errorCode, maxDepth) + " at position " + errorPosition;
    }

    /**
     * Position of the failure of the last scan, relative to the scanned offset.
     *
     * @return the position, 0 if the last scan succeeded.
     */
    public int errorPosition()
    {
        return errorPosition;
    }

    /**
     * Token index of the top-level value.
     *
     * @return always 0.
     */
    public int root()
    {
        return 0;
    }

    /**
     * Number of tokens recorded by the last scan.
     *
     * @return the token count, 0 after a failed scan.
     */
    public int tokenCount()
    {
        return tokenCount;
    }

    /**
     * Type of a token.
     *
     * @param token index.
     * @return one of {@link #OBJECT}, {@link #ARRAY}, {@link #STRING}, {@link #NUMBER}, {@link #TRUE},
     * {@link #FALSE}, {@link #NULL}.
     */
    public int type(final int token)
    {
        return tape[token * TOKEN_STRIDE + TYPE_FIELD] & TYPE_MASK;
    }

    /**
     * Absolute offset of the token's raw span in {@link #buffer()}; strings include the quotes, objects and
     * arrays their brackets.
     *
     * @param token index.
     * @return the offset.
     */
    public int offset(final int token)
    {
        return tape[token * TOKEN_STRIDE + OFFSET_FIELD];
    }

    /**
     * Length in bytes of the token's raw span.
     *
     * @param token index.
     * @return the length.
     */
    public int length(final int token)
    {
        return tape[token * TOKEN_STRIDE + LENGTH_FIELD];
    }

    /**
     * Number of members of an object or elements of an array.
     *
     * @param token index.
     * @return the count, 0 for scalars.
     */
    public int childCount(final int token)
    {
        return tape[token * TOKEN_STRIDE + COUNT_FIELD];
    }

    /**
     * First element of an array, or first key (a {@link #STRING}) of an object.
     *
     * @param token index.
     * @return the child token, or -1 if the container is empty or the token is a scalar.
     */
    public int firstChild(final int token)
    {
        return tape[token * TOKEN_STRIDE + COUNT_FIELD] > 0 ? token + 1 : -1;
    }

    /**
     * Next sibling at the same level: for an object key its value, for an object value the next key, for an
     * array element the next element.
     *
     * @param token index.
     * @return the sibling token, or -1 at the end of the container (and for the root).
     */
    public int next(final int token)
    {
        return tape[token * TOKEN_STRIDE + NEXT_FIELD];
    }

    /**
     * Value of the member whose unescaped key equals {@code key}; if the key repeats, the last one wins.
     * Allocates nothing.
     *
     * @param objectToken index of an object.
     * @param key         to look for.
     * @return the value token, or -1 if absent or {@code objectToken} is not an object.
     */
    public int member(final int objectToken, final String key)
    {
        if (type(objectToken) != OBJECT)
        {
            return -1;
        }
        int found = -1;
        int k = firstChild(objectToken);
        while (k >= 0)
        {
            final int value = next(k);
            if (stringEquals(k, key))
            {
                found = value;
            }
            k = next(value);
        }
        return found;
    }

    /**
     * Compares the unescaped content of a string token with {@code value}, UTF-16 unit by unit. Allocates
     * nothing. Consistent with {@link #stringValue}: true exactly when {@code stringValue(token)} equals
     * {@code value.toString()}.
     *
     * @param stringToken index of a string.
     * @param value       to compare with.
     * @return true if equal, false otherwise or if the token is not a string.
     */
    public boolean stringEquals(final int stringToken, final CharSequence value)
    {
        final int base = stringToken * TOKEN_STRIDE;
        final int typeAndFlags = tape[base + TYPE_FIELD];
        if ((typeAndFlags & TYPE_MASK) != STRING)
        {
            return false;
        }
        final int contentStart = tape[base + OFFSET_FIELD] + 1;
        final int contentEnd = contentStart + tape[base + LENGTH_FIELD] - 2;
        return JsonStrings.contentEquals(
            buffer, contentStart, contentEnd, (typeAndFlags & FLAG_ESCAPED) != 0, value);
    }

    /**
     * Unescaped content of a string token. Allocates.
     *
     * @param stringToken index of a string.
     * @return the content, escaped lone surrogates replaced by U+FFFD.
     */
    public String stringValue(final int stringToken)
    {
        final int contentStart = offset(stringToken) + 1;
        return JsonStrings.contentValue(buffer, contentStart, contentStart + length(stringToken) - 2);
    }

    /**
     * Length in UTF-8 bytes of the unescaped content of a string token.
     *
     * @param stringToken index of a string.
     * @return the length; an escaped lone surrogate counts as U+FFFD (3 bytes).
     */
    public int stringValueLength(final int stringToken)
    {
        final int contentStart = offset(stringToken) + 1;
        final int contentEnd = contentStart + length(stringToken) - 2;
        if ((tape[stringToken * TOKEN_STRIDE + TYPE_FIELD] & FLAG_ESCAPED) == 0)
        {
            return contentEnd - contentStart;
        }
        return JsonStrings.contentUtf8Length(buffer, contentStart, contentEnd);
    }

    /**
     * Value of an integer number token (no fraction, no exponent).
     *
     * @param numberToken index of a number.
     * @return the value, or {@link Long#MIN_VALUE} if the token is not an integer or is out of range.
     */
    public long longValue(final int numberToken)
    {
        if (!isInteger(numberToken))
        {
            return Long.MIN_VALUE;
        }
        int pos = offset(numberToken);
        final int limit = pos + length(numberToken);
        final boolean negative = buffer.getByte(pos) == '-';
        if (negative)
        {
            pos++;
        }
        // Accumulate negatively so that Long.MIN_VALUE itself fits.
        long result = 0;
        while (pos < limit)
        {
            final int digit = buffer.getByte(pos++) - '0';
            if (result < Long.MIN_VALUE / 10)
            {
                return Long.MIN_VALUE;
            }
            result *= 10;
            if (result < Long.MIN_VALUE + digit)
            {
                return Long.MIN_VALUE;
            }
            result -= digit;
        }
        if (negative)
        {
            return result;
        }
        return result == Long.MIN_VALUE ? Long.MIN_VALUE : -result;
    }

    /**
     * Whether a number token is an integer, i.e. has neither fraction nor exponent.
     *
     * @param numberToken index of a token.
     * @return true for an integer number, false otherwise or for other token types.
     */
    public boolean isInteger(final int numberToken)
    {
        final int typeAndFlags = tape[numberToken * TOKEN_STRIDE + TYPE_FIELD];
        return (typeAndFlags & TYPE_MASK) == NUMBER && (typeAndFlags & FLAG_INTEGER) != 0;
    }

    /**
     * The buffer of the last scan.
     *
     * @return the buffer passed to {@link #scan}.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Scans one value at pos (whitespace already skipped).
     *
     * @return position after a scalar or an empty container; when a container was opened instead, the position
     * of its first value with {@link #valueExpected} set; negative on error.
     */
    private int scanValue(final int pos)
    {
        if (pos >= end)
        {
            return fail(JsonErrors.EXPECTED_VALUE, pos);
        }
        final int c = buffer.getByte(pos);
        switch (c)
        {
            case '{':
            case '[':
                return openContainer(pos, c == '{' ? OBJECT : ARRAY);
            case '"':
                return scanString(addToken(STRING, pos, false), pos);
            case 't':
                return scanLiteral(addToken(TRUE, pos, false), pos, "true");
            case 'f':
                return scanLiteral(addToken(FALSE, pos, false), pos, "false");
            case 'n':
                return scanLiteral(addToken(NULL, pos, false), pos, "null");
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return scanNumber(addToken(NUMBER, pos, false), pos);
                }
                return fail(JsonErrors.EXPECTED_VALUE, pos);
        }
    }

    private int openContainer(final int pos, final int type)
    {
        if (depth == maxDepth)
        {
            return fail(JsonErrors.TOO_DEEP, pos);
        }
        final int token = addToken(type, pos, false);
        containerStack[depth] = token;
        lastChildStack[depth] = -1;
        depth++;

        int p = skipWhitespace(pos + 1);
        if (p < end && buffer.getByte(p) == (type == OBJECT ? '}' : ']'))
        {
            return closeContainer(p);
        }
        if (type == OBJECT)
        {
            p = scanKey(p);
            if (p < 0)
            {
                return p;
            }
        }
        valueExpected = true;
        return p;
    }

    /** Closes the innermost container whose closing bracket is at pos; returns the position after it. */
    private int closeContainer(final int pos)
    {
        depth--;
        final int token = containerStack[depth];
        final int base = token * TOKEN_STRIDE;
        tape[base + LENGTH_FIELD] = pos + 1 - tape[base + OFFSET_FIELD];
        return pos + 1;
    }

    /**
     * After a complete value at pos: consumes closing brackets and a separator (with the next key in an object).
     * Sets {@link #valueExpected} and returns the position of the next value, or returns the end position when
     * the root value is complete, or negative on error.
     */
    private int afterValue(final int from)
    {
        int pos = from;
        while (true)
        {
            pos = skipWhitespace(pos);
            if (depth == 0)
            {
                return pos == end ? pos : fail(JsonErrors.TRAILING_DATA, pos);
            }
            final boolean inObject = type(containerStack[depth - 1]) == OBJECT;
            final int c = pos < end ? buffer.getByte(pos) : -1;
            if (c == ',')
            {
                pos = skipWhitespace(pos + 1);
                if (inObject)
                {
                    pos = scanKey(pos);
                    if (pos < 0)
                    {
                        return pos;
                    }
                }
                valueExpected = true;
                return pos;
            }
            if (c == (inObject ? '}' : ']'))
            {
                pos = closeContainer(pos);
                continue;
            }
            return fail(inObject ? JsonErrors.EXPECTED_COMMA_OR_BRACE : JsonErrors.EXPECTED_COMMA_OR_BRACKET, pos);
        }
    }

    /** Scans {@code "key" :} and returns the position of the value (whitespace skipped), or negative. */
    private int scanKey(final int pos)
    {
        if (pos >= end || buffer.getByte(pos) != '"')
        {
            return fail(JsonErrors.EXPECTED_KEY, pos);
        }
        int p = scanString(addToken(STRING, pos, true), pos);
        if (p < 0)
        {
            return p;
        }
        p = skipWhitespace(p);
        if (p >= end || buffer.getByte(p) != ':')
        {
            return fail(JsonErrors.EXPECTED_COLON, p);
        }
        return skipWhitespace(p + 1);
    }

    /** Appends a token and links it as the last child of the innermost open container. */
    private int addToken(final int type, final int pos, final boolean isKey)
    {
        final int token = tokenCount;
        int base = token * TOKEN_STRIDE;
        if (base + TOKEN_STRIDE > tape.length)
        {
            tape = Arrays.copyOf(tape, tape.length * 2);
        }
        tape[base + TYPE_FIELD] = type;
        tape[base + OFFSET_FIELD] = pos;
        tape[base + LENGTH_FIELD] = 0;
        tape[base + NEXT_FIELD] = -1;
        tape[base + COUNT_FIELD] = 0;
        tokenCount = token + 1;

        if (depth > 0)
        {
            final int parent = containerStack[depth - 1];
            final int previous = lastChildStack[depth - 1];
            if (previous >= 0)
            {
                tape[previous * TOKEN_STRIDE + NEXT_FIELD] = token;
            }
            lastChildStack[depth - 1] = token;
            // An object counts its members once, at the key; an array counts every element.
            base = parent * TOKEN_STRIDE;
            if (isKey || (tape[base + TYPE_FIELD] & TYPE_MASK) == ARRAY)
            {
                tape[base + COUNT_FIELD]++;
            }
        }
        return token;
    }

    private int scanString(final int token, final int quotePos)
    {
        int pos = quotePos + 1;
        int flags = 0;
        while (true)
        {
            if (pos >= end)
            {
                return fail(JsonErrors.UNTERMINATED_STRING, quotePos);
            }
            final int b = buffer.getByte(pos) & 0xFF;
            if (b == '"')
            {
                break;
            }
            if (b == '\\')
            {
                flags = FLAG_ESCAPED;
                pos = scanEscape(pos);
                if (pos < 0)
                {
                    return pos;
                }
            }
            else if (b < 0x20)
            {
                return fail(JsonErrors.CONTROL_CHARACTER, pos);
            }
            else if (b < 0x80)
            {
                pos++;
            }
            else
            {
                final int length = JsonStrings.utf8SequenceLength(buffer, pos, end);
                if (length == JsonStrings.INVALID)
                {
                    return fail(JsonErrors.INVALID_UTF8, pos);
                }
                pos += length;
            }
        }
        final int base = token * TOKEN_STRIDE;
        tape[base + TYPE_FIELD] |= flags;
        tape[base + LENGTH_FIELD] = pos + 1 - quotePos;
        return pos + 1;
    }

    private int scanEscape(final int pos)
    {
        if (pos + 1 >= end)
        {
            return fail(JsonErrors.UNTERMINATED_STRING, pos);
        }
        switch (buffer.getByte(pos + 1))
        {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return pos + 2;
            case 'u':
                for (int i = pos + 2; i < pos + 6; i++)
                {
                    if (i >= end || JsonStrings.hexValue(buffer.getByte(i)) < 0)
                    {
                        return fail(JsonErrors.INVALID_ESCAPE, pos);
                    }
                }
                return pos + 6;
            default:
                return fail(JsonErrors.INVALID_ESCAPE, pos);
        }
    }

    private int scanNumber(final int token, final int from)
    {
        int pos = from;
        int flags = FLAG_INTEGER;
        if (buffer.getByte(pos) == '-')
        {
            pos++;
        }
        if (pos >= end || !isDigit(buffer.getByte(pos)))
        {
            return fail(JsonErrors.INVALID_NUMBER, from);
        }
        if (buffer.getByte(pos) == '0')
        {
            pos++;
            if (pos < end && isDigit(buffer.getByte(pos)))
            {
                return fail(JsonErrors.INVALID_NUMBER, from); // leading zero
            }
        }
        else
        {
            pos = skipDigits(pos);
        }
        if (pos < end && buffer.getByte(pos) == '.')
        {
            flags = 0;
            pos++;
            if (pos >= end || !isDigit(buffer.getByte(pos)))
            {
                return fail(JsonErrors.INVALID_NUMBER, from);
            }
            pos = skipDigits(pos);
        }
        if (pos < end && (buffer.getByte(pos) | 0x20) == 'e')
        {
            flags = 0;
            pos++;
            if (pos < end && (buffer.getByte(pos) == '+' || buffer.getByte(pos) == '-'))
            {
                pos++;
            }
            if (pos >= end || !isDigit(buffer.getByte(pos)))
            {
                return fail(JsonErrors.INVALID_NUMBER, from);
            }
            pos = skipDigits(pos);
        }
        final int base = token * TOKEN_STRIDE;
        tape[base + TYPE_FIELD] |= flags;
        tape[base + LENGTH_FIELD] = pos - from;
        return pos;
    }

    private int scanLiteral(final int token, final int pos, final String literal)
    {
        final int length = literal.length();
        if (pos + length > end)
        {
            return fail(JsonErrors.INVALID_LITERAL, pos);
        }
        for (int i = 1; i < length; i++)
        {
            if (buffer.getByte(pos + i) != literal.charAt(i))
            {
                return fail(JsonErrors.INVALID_LITERAL, pos);
            }
        }
        tape[token * TOKEN_STRIDE + LENGTH_FIELD] = length;
        return pos + length;
    }

    private int skipDigits(final int from)
    {
        int pos = from;
        while (pos < end && isDigit(buffer.getByte(pos)))
        {
            pos++;
        }
        return pos;
    }

    private int skipWhitespace(final int from)
    {
        int pos = from;
        while (pos < end)
        {
            final byte b = buffer.getByte(pos);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                break;
            }
            pos++;
        }
        return pos;
    }

    private int fail(final int code, final int pos)
    {
        errorCode = code;
        errorPosition = pos - start;
        tokenCount = 0;
        return -1;
    }

    private static boolean isDigit(final int b)
    {
        return b >= '0' && b <= '9';
    }
}
