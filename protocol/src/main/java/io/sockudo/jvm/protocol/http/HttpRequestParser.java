package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * Incremental HTTP/1.0 and HTTP/1.1 request parser with size limits (RFC 9112). One instance per connection, reused
 * through {@link #reset()}; the parser copies what it needs, so the caller may recycle its read buffer between calls.
 * <p>
 * {@link #parse} consumes bytes up to the end of one request and stops there: what follows (a pipelined request, or
 * WebSocket frames after an upgrade) is left for the caller, who learns how much was taken from {@link #consumed()}.
 * It returns {@link #NEED_MORE}, {@link #COMPLETE}, or an HTTP status to answer with before closing:
 * <ul>
 *     <li>400: malformed request line or header line (bare CR, obs-fold, whitespace before {@code :}, a name that is
 *     not a token, control characters in a value), a bad or conflicting {@code Content-Length}, both
 *     {@code Content-Length} and {@code Transfer-Encoding}, a malformed chunked body, a target that does not start
 *     with {@code /} (or is not {@code *} for {@code OPTIONS});</li>
 *     <li>413: a body larger than {@code maxBodyBytes}, decided from {@code Content-Length} before the body is read,
 *     or as chunks arrive;</li>
 *     <li>431: request line plus headers (line ends and the blank line included) longer than {@code maxHeaderBytes};
 *     chunked trailers have the same limit;</li>
 *     <li>501: a {@code Transfer-Encoding} other than exactly {@code chunked};</li>
 *     <li>505: a well-formed version other than {@code HTTP/1.0} or {@code HTTP/1.1}.</li>
 * </ul>
 * Lines may end with CRLF or a bare LF. Blank lines before the request line are skipped (RFC 9112 2.2); they count
 * towards the header limit. A missing {@code Host} header is not an error. Once a result other than
 * {@link #NEED_MORE} is returned, further calls return it again without consuming until {@link #reset()}.
 */
public final class HttpRequestParser
{
    /**
     * More bytes are needed; everything given was consumed.
     */
    public static final int NEED_MORE = 0;

    /**
     * A request is complete and available from {@link #request()}.
     */
    public static final int COMPLETE = 1;

    static final String HTTP_1_1 = "HTTP/1.1";
    static final String HTTP_1_0 = "HTTP/1.0";

    private static final int STATE_HEAD = 0;
    private static final int STATE_BODY = 1;
    private static final int STATE_CHUNK_SIZE = 2;
    private static final int STATE_CHUNK_DATA = 3;
    private static final int STATE_CHUNK_DATA_END = 4;
    private static final int STATE_TRAILER = 5;
    private static final int STATE_DONE = 6;

    private static final int MAX_CHUNK_SIZE_LINE = 1024;
    private static final int INITIAL_HEAD_CAPACITY = 1024;
    private static final int INITIAL_CHUNKED_BODY_CAPACITY = 1024;
    private static final boolean[] TCHAR = new boolean[128];

    static
    {
        for (int c = 'a'; c <= 'z'; c++)
        {
            TCHAR[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++)
        {
            TCHAR[c] = true;
        }
        for (int c = '0'; c <= '9'; c++)
        {
            TCHAR[c] = true;
        }
        final String special = "!#$%&'*+-.^_`|~";
        for (int i = 0; i < special.length(); i++)
        {
            TCHAR[special.charAt(i)] = true;
        }
    }

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    /** Allocated on the first chunked body: most connections (every WebSocket upgrade) never need it. */
    private byte[] chunkLine;

    private int state = STATE_HEAD;
    private int result = NEED_MORE;
    private int consumed;
    private String errorMessage;
    private HttpRequest request;

    private byte[] head;
    private int headLength;
    private int headStart;
    private int lineStart;
    private boolean seenRequestLine;

    private String method;
    private String target;
    private String version;
    private List<String> headerNames;
    private List<String> headerValues;
    private boolean expectContinue;

    private byte[] body;
    private int bodyLength;
    private long chunkRemaining;
    private int chunkLineLength;
    private boolean sawCr;
    private int trailerBytes;
    private int trailerLineLength;

    /**
     * Creates a parser.
     *
     * @param maxHeaderBytes limit for the request line plus headers, in bytes (431 above it).
     * @param maxBodyBytes   limit for the (de-chunked) body, in bytes (413 above it).
     */
    public HttpRequestParser(final int maxHeaderBytes, final int maxBodyBytes)
    {
        if (maxHeaderBytes < 16 || maxBodyBytes < 0)
        {
            throw new IllegalArgumentException("maxHeaderBytes must be >= 16 and maxBodyBytes >= 0");
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Feeds {@code src[offset, offset + length)}. Consumes bytes up to the end of one request.
     *
     * @param src    the bytes received.
     * @param offset first byte to read.
     * @param length number of bytes available.
     * @return {@link #NEED_MORE}, {@link #COMPLETE} or the HTTP error status (400, 413, 431, 501, 505).
     */
    public int parse(final DirectBuffer src, final int offset, final int length)
    {
        consumed = 0;
        final int end = offset + length;
        int pos = offset;
        while (pos < end && STATE_DONE != state)
        {
            switch (state)
            {
                case STATE_HEAD:
                    pos = onHeadBytes(src, pos, end);
                    break;

                case STATE_BODY:
                    pos = onBodyBytes(src, pos, end);
                    break;

                case STATE_CHUNK_SIZE:
                    pos = onChunkSizeBytes(src, pos, end);
                    break;

                case STATE_CHUNK_DATA:
                    pos = onChunkDataBytes(src, pos, end);
                    break;

                case STATE_CHUNK_DATA_END:
                    pos = onChunkDataEnd(src.getByte(pos), pos + 1);
                    break;

                default:
                    pos = onTrailerBytes(src, pos, end);
                    break;
            }
        }
        consumed = pos - offset;
        return result;
    }

    /**
     * The number of bytes of the last {@link #parse} input that were consumed; the rest belongs to what follows the
     * request.
     *
     * @return bytes consumed by the last call.
     */
    public int consumed()
    {
        return consumed;
    }

    /**
     * The parsed request.
     *
     * @return the request after {@link #COMPLETE}, else null.
     */
    public HttpRequest request()
    {
        return request;
    }

    /**
     * Why the last request was rejected.
     *
     * @return a short description after an error status, else null.
     */
    public String errorMessage()
    {
        return errorMessage;
    }

    /**
     * Whether the request head is complete, announces {@code Expect: 100-continue} and its body is still being
     * read: the server may then answer {@code HTTP/1.1 100 Continue} so that clients such as curl send the body at
     * once.
     *
     * @return true while waiting for the body of a request that expects {@code 100 Continue}.
     */
    public boolean expectsContinue()
    {
        return expectContinue && STATE_HEAD != state && STATE_DONE != state;
    }

    /**
     * Makes the parser ready for the next request on the same connection.
     */
    public void reset()
    {
        state = STATE_HEAD;
        result = NEED_MORE;
        consumed = 0;
        errorMessage = null;
        request = null;
        headLength = 0;
        headStart = 0;
        lineStart = 0;
        seenRequestLine = false;
        method = null;
        target = null;
        version = null;
        headerNames = null;
        headerValues = null;
        expectContinue = false;
        body = null;
        bodyLength = 0;
        chunkRemaining = 0;
        chunkLineLength = 0;
        sawCr = false;
        trailerBytes = 0;
        trailerLineLength = 0;
    }

    private int onHeadBytes(final DirectBuffer src, final int start, final int end)
    {
        int pos = start;
        while (pos < end)
        {
            final byte b = src.getByte(pos++);
            if (headLength >= maxHeaderBytes)
            {
                fail(431, "Request header fields too large");
                return pos;
            }
            appendHead(b);
            if ('\n' == b)
            {
                int contentEnd = headLength - 1;
                if (contentEnd > lineStart && '\r' == head[contentEnd - 1])
                {
                    contentEnd--;
                }
                if (contentEnd == lineStart)
                {
                    if (!seenRequestLine)
                    {
                        headStart = headLength;
                        lineStart = headLength;
                        continue;
                    }
                    onHeadComplete();
                    return pos;
                }
                seenRequestLine = true;
                lineStart = headLength;
            }
        }
        return pos;
    }

    private void appendHead(final byte b)
    {
        if (null == head)
        {
            head = new byte[Math.min(INITIAL_HEAD_CAPACITY, maxHeaderBytes)];
        }
        else if (headLength == head.length)
        {
            head = Arrays.copyOf(head, (int)Math.min((long)head.length * 2, maxHeaderBytes));
        }
        head[headLength++] = b;
    }

    private void onHeadComplete()
    {
        headerNames = new ArrayList<>();
        headerValues = new ArrayList<>();
        int p = headStart;
        boolean requestLine = true;
        while (true)
        {
            int nl = p;
            while ('\n' != head[nl])
            {
                nl++;
            }
            int e = nl;
            if (e > p && '\r' == head[e - 1])
            {
                e--;
            }
            if (e == p)
            {
                break;
            }
            for (int i = p; i < e; i++)
            {
                if ('\r' == head[i])
                {
                    fail(400, requestLine ? "Malformed request line" : "Malformed header line");
                    return;
                }
            }
            final boolean ok = requestLine ? parseRequestLine(p, e) : parseHeaderLine(p, e);
            if (!ok)
            {
                return;
            }
            requestLine = false;
            p = nl + 1;
        }

        decideBody();
    }

    private boolean parseRequestLine(final int start, final int end)
    {
        final int sp1 = indexOf(head, start, end, (byte)' ');
        final int sp2 = sp1 < 0 ? -1 : indexOf(head, sp1 + 1, end, (byte)' ');
        if (sp2 < 0 || indexOf(head, sp2 + 1, end, (byte)' ') >= 0 || sp1 == start || sp2 == sp1 + 1)
        {
            return fail(400, "Malformed request line");
        }
        for (int i = start; i < sp1; i++)
        {
            if (!isTchar(head[i]))
            {
                return fail(400, "Malformed request line");
            }
        }

        final int v = sp2 + 1;
        if (end - v != 8 || head[v] != 'H' || head[v + 1] != 'T' || head[v + 2] != 'T' || head[v + 3] != 'P' ||
            head[v + 4] != '/' || !isDigit(head[v + 5]) || head[v + 6] != '.' || !isDigit(head[v + 7]))
        {
            return fail(400, "Malformed request line");
        }
        if (head[v + 5] != '1' || (head[v + 7] != '1' && head[v + 7] != '0'))
        {
            return fail(505, "HTTP version not supported");
        }

        for (int i = sp1 + 1; i < sp2; i++)
        {
            if (head[i] < 0x21 || head[i] > 0x7E)
            {
                return fail(400, "Malformed request target");
            }
        }

        method = ascii(start, sp1);
        target = ascii(sp1 + 1, sp2);
        version = head[v + 7] == '1' ? HTTP_1_1 : HTTP_1_0;
        if ('/' != target.charAt(0) && !("*".equals(target) && "OPTIONS".equals(method)))
        {
            return fail(400, "Malformed request target");
        }
        return true;
    }

    private boolean parseHeaderLine(final int start, final int end)
    {
        if (' ' == head[start] || '\t' == head[start])
        {
            return fail(400, "Obsolete header line folding");
        }
        final int colon = indexOf(head, start, end, (byte)':');
        if (colon <= start)
        {
            return fail(400, "Malformed header line");
        }
        for (int i = start; i < colon; i++)
        {
            if (!isTchar(head[i]))
            {
                return fail(400, "Malformed header name");
            }
        }

        int vs = colon + 1;
        int ve = end;
        while (vs < ve && (' ' == head[vs] || '\t' == head[vs]))
        {
            vs++;
        }
        while (ve > vs && (' ' == head[ve - 1] || '\t' == head[ve - 1]))
        {
            ve--;
        }
        for (int i = vs; i < ve; i++)
        {
            final byte b = head[i];
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F)
            {
                return fail(400, "Malformed header value");
            }
        }

        headerNames.add(ascii(start, colon));
        final String known = KnownStrings.lookup(head, vs, ve);
        headerValues.add(null != known ? known : new String(head, vs, ve - vs, StandardCharsets.UTF_8));
        return true;
    }

    private void decideBody()
    {
        String contentLength = null;
        boolean hasTransferEncoding = false;
        int transferCodings = 0;
        boolean chunked = false;
        for (int i = 0, size = headerNames.size(); i < size; i++)
        {
            final String name = headerNames.get(i);
            final String value = headerValues.get(i);
            if ("content-length".equalsIgnoreCase(name))
            {
                if (value.isEmpty() || !allDigits(value) || (null != contentLength && !contentLength.equals(value)))
                {
                    fail(400, "Invalid Content-Length");
                    return;
                }
                contentLength = value;
            }
            else if ("transfer-encoding".equalsIgnoreCase(name))
            {
                hasTransferEncoding = true;
                transferCodings += countTokens(value);
                chunked = HttpRequest.listHasToken(value, "chunked");
            }
            else if ("expect".equalsIgnoreCase(name) && "100-continue".equalsIgnoreCase(value))
            {
                expectContinue = true;
            }
        }

        if (hasTransferEncoding && null != contentLength)
        {
            fail(400, "Both Content-Length and Transfer-Encoding");
            return;
        }

        if (hasTransferEncoding)
        {
            if (1 != transferCodings || !chunked)
            {
                fail(501, "Unsupported Transfer-Encoding");
                return;
            }
            body = new byte[Math.min(INITIAL_CHUNKED_BODY_CAPACITY, maxBodyBytes)];
            chunkLineLength = 0;
            if (null == chunkLine)
            {
                chunkLine = new byte[MAX_CHUNK_SIZE_LINE];
            }
            state = STATE_CHUNK_SIZE;
            return;
        }

        final long length = null == contentLength ? 0 : parseLength(contentLength);
        if (length > maxBodyBytes)
        {
            fail(413, "Request body too large");
            return;
        }
        if (0 == length)
        {
            complete();
            return;
        }
        body = new byte[(int)length];
        state = STATE_BODY;
    }

    private int onBodyBytes(final DirectBuffer src, final int pos, final int end)
    {
        final int n = Math.min(end - pos, body.length - bodyLength);
        src.getBytes(pos, body, bodyLength, n);
        bodyLength += n;
        if (bodyLength == body.length)
        {
            complete();
        }
        return pos + n;
    }

    private int onChunkSizeBytes(final DirectBuffer src, final int start, final int end)
    {
        int pos = start;
        while (pos < end)
        {
            final byte b = src.getByte(pos++);
            if ('\n' != b)
            {
                if (chunkLineLength == MAX_CHUNK_SIZE_LINE)
                {
                    fail(400, "Malformed chunked body");
                    return pos;
                }
                chunkLine[chunkLineLength++] = b;
                continue;
            }

            int lineEnd = chunkLineLength;
            if (lineEnd > 0 && '\r' == chunkLine[lineEnd - 1])
            {
                lineEnd--;
            }
            final long size = parseChunkSize(lineEnd);
            chunkLineLength = 0;
            if (size < 0)
            {
                fail(400, "Malformed chunked body");
            }
            else if (bodyLength + size > maxBodyBytes)
            {
                fail(413, "Request body too large");
            }
            else if (0 == size)
            {
                trailerBytes = 0;
                trailerLineLength = 0;
                state = STATE_TRAILER;
            }
            else
            {
                ensureBodyCapacity(bodyLength + (int)size);
                chunkRemaining = size;
                state = STATE_CHUNK_DATA;
            }
            return pos;
        }
        return pos;
    }

    /**
     * Parses {@code chunk-size [ BWS ; chunk-ext ]}; extensions are ignored.
     *
     * @return the size (capped above the body limit), or -1 when malformed.
     */
    private long parseChunkSize(final int lineEnd)
    {
        long size = 0;
        int i = 0;
        while (i < lineEnd)
        {
            final int digit = hexValue(chunkLine[i]);
            if (digit < 0)
            {
                break;
            }
            if (size <= Integer.MAX_VALUE)
            {
                size = (size << 4) | digit;
            }
            i++;
        }
        if (0 == i)
        {
            return -1;
        }
        while (i < lineEnd && (' ' == chunkLine[i] || '\t' == chunkLine[i]))
        {
            i++;
        }
        if (i < lineEnd && ';' != chunkLine[i])
        {
            return -1;
        }
        for (int j = i; j < lineEnd; j++)
        {
            final byte b = chunkLine[j];
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F)
            {
                return -1;
            }
        }
        return size;
    }

    private int onChunkDataBytes(final DirectBuffer src, final int pos, final int end)
    {
        final int n = (int)Math.min(end - pos, chunkRemaining);
        src.getBytes(pos, body, bodyLength, n);
        bodyLength += n;
        chunkRemaining -= n;
        if (0 == chunkRemaining)
        {
            sawCr = false;
            state = STATE_CHUNK_DATA_END;
        }
        return pos + n;
    }

    private int onChunkDataEnd(final byte b, final int next)
    {
        if ('\r' == b && !sawCr)
        {
            sawCr = true;
        }
        else if ('\n' == b)
        {
            chunkLineLength = 0;
            state = STATE_CHUNK_SIZE;
        }
        else
        {
            fail(400, "Malformed chunked body");
        }
        return next;
    }

    private int onTrailerBytes(final DirectBuffer src, final int start, final int end)
    {
        int pos = start;
        while (pos < end)
        {
            final byte b = src.getByte(pos++);
            if (++trailerBytes > maxHeaderBytes)
            {
                fail(431, "Request trailer fields too large");
                return pos;
            }
            if ('\n' == b)
            {
                if (0 == trailerLineLength)
                {
                    complete();
                    return pos;
                }
                trailerLineLength = 0;
            }
            else if ('\r' != b)
            {
                trailerLineLength++;
            }
        }
        return pos;
    }

    private void ensureBodyCapacity(final int required)
    {
        if (required > body.length)
        {
            final long doubled = Math.max((long)body.length * 2, required);
            body = Arrays.copyOf(body, (int)Math.min(doubled, maxBodyBytes));
        }
    }

    private void complete()
    {
        final byte[] requestBody;
        if (null == body)
        {
            requestBody = null;
        }
        else if (bodyLength == body.length)
        {
            requestBody = body;
        }
        else
        {
            requestBody = Arrays.copyOf(body, bodyLength);
        }
        request = new HttpRequest(method, target, version, headerNames, headerValues, requestBody);
        state = STATE_DONE;
        result = COMPLETE;
    }

    private boolean fail(final int status, final String message)
    {
        state = STATE_DONE;
        result = status;
        errorMessage = message;
        return false;
    }

    private String ascii(final int start, final int end)
    {
        final String known = KnownStrings.lookup(head, start, end);
        return null != known ? known : new String(head, start, end - start, StandardCharsets.US_ASCII);
    }

    private static int indexOf(final byte[] bytes, final int start, final int end, final byte value)
    {
        for (int i = start; i < end; i++)
        {
            if (value == bytes[i])
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean isTchar(final byte b)
    {
        return b >= 0 && TCHAR[b];
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    private static int hexValue(final byte b)
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

    private static boolean allDigits(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a validated digit string; values too large for a long are capped at {@link Long#MAX_VALUE}.
     */
    private static long parseLength(final String digits)
    {
        long value = 0;
        for (int i = 0; i < digits.length(); i++)
        {
            if (value > (Long.MAX_VALUE - 9) / 10)
            {
                return Long.MAX_VALUE;
            }
            value = value * 10 + (digits.charAt(i) - '0');
        }
        return value;
    }

    private static int countTokens(final String list)
    {
        int count = 0;
        boolean inToken = false;
        for (int i = 0; i < list.length(); i++)
        {
            final char c = list.charAt(i);
            if (',' == c)
            {
                inToken = false;
            }
            else if (' ' != c && '\t' != c && !inToken)
            {
                inToken = true;
                count++;
            }
        }
        return count;
    }
}
