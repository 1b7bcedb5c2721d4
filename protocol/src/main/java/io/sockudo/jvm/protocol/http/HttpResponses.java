package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes complete HTTP/1.1 responses with a {@code Content-Length} body.
 */
public final class HttpResponses
{
    private static final byte[] EMPTY = new byte[0];
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private HttpResponses()
    {
    }

    /**
     * The standard reason phrase of a status code.
     *
     * @param status the status code.
     * @return the reason phrase, {@code Unknown} for codes without one.
     */
    public static String reasonPhrase(final int status)
    {
        switch (status)
        {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 201: return "Created";
            case 202: return "Accepted";
            case 204: return "No Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 411: return "Length Required";
            case 413: return "Payload Too Large";
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 417: return "Expectation Failed";
            case 422: return "Unprocessable Entity";
            case 426: return "Upgrade Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return "Unknown";
        }
    }

    /**
     * A full response: status line, {@code Content-Type} (if non-null), {@code Content-Length},
     * {@code Connection: keep-alive|close}, the extra headers, a blank line and the body.
     *
     * @param status       the status code.
     * @param contentType  the {@code Content-Type} value, or null to omit the header.
     * @param body         the body, null for none.
     * @param keepAlive    whether the connection stays open.
     * @param extraHeaders further headers as flattened name, value pairs, e.g. {@code "X-A", "1", "X-B", "2"}.
     * @return the encoded response.
     * @throws IllegalArgumentException when {@code extraHeaders} has an odd length, or a header contains CR or LF.
     */
    public static byte[] encode(
        final int status,
        final String contentType,
        final byte[] body,
        final boolean keepAlive,
        final String... extraHeaders)
    {
        checkPairs(extraHeaders);
        return build(status, contentType, null == body ? EMPTY : body, null, keepAlive, extraHeaders);
    }

    /**
     * Head and body written once into the calling thread's scratch, then copied out: the response costs one array of
     * its exact size (it was a builder, a string, its bytes and the joined copy, about five times that).
     */
    private static byte[] build(final int status, final String contentType, final byte[] body, final String textBody,
        final boolean keepAlive, final String[] extraHeaders)
    {
        final Scratch out = SCRATCH.get().clear();
        out.ascii("HTTP/1.1 ").number(status).ascii(" ").ascii(reasonPhrase(status)).ascii("\r\n");
        if (null != contentType)
        {
            header(out, "Content-Type", contentType);
        }
        final int bodyLength = null != body ? body.length : Scratch.utf8Length(textBody);
        out.ascii("Content-Length: ").number(bodyLength).ascii("\r\n");
        out.ascii(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        for (int i = 0; i < extraHeaders.length; i += 2)
        {
            header(out, extraHeaders[i], extraHeaders[i + 1]);
        }
        out.ascii("\r\n");
        if (null != body)
        {
            out.bytes(body);
        }
        else
        {
            out.utf8(textBody);
        }
        return Arrays.copyOf(out.bytes, out.length);
    }

    /**
     * A response with {@code Content-Type: application/json}.
     *
     * @param status       the status code.
     * @param jsonBody     the JSON text, encoded as UTF-8; null for an empty body.
     * @param keepAlive    whether the connection stays open.
     * @param extraHeaders further headers as flattened name, value pairs.
     * @return the encoded response.
     */
    public static byte[] json(
        final int status, final String jsonBody, final boolean keepAlive, final String... extraHeaders)
    {
        checkPairs(extraHeaders);
        return build(status, "application/json", null, null == jsonBody ? "" : jsonBody, keepAlive, extraHeaders);
    }

    /**
     * A response with {@code Content-Type: text/plain}.
     *
     * @param status       the status code.
     * @param textBody     the text, encoded as UTF-8; null for an empty body.
     * @param keepAlive    whether the connection stays open.
     * @param extraHeaders further headers as flattened name, value pairs.
     * @return the encoded response.
     */
    public static byte[] text(
        final int status, final String textBody, final boolean keepAlive, final String... extraHeaders)
    {
        checkPairs(extraHeaders);
        return build(status, "text/plain", null, null == textBody ? "" : textBody, keepAlive, extraHeaders);
    }

    private static void checkPairs(final String[] extraHeaders)
    {
        if (0 != (extraHeaders.length & 1))
        {
            throw new IllegalArgumentException("extraHeaders must be name, value pairs");
        }
    }

    private static void header(final Scratch out, final String name, final String value)
    {
        if (hasLineBreak(name) || hasLineBreak(value))
        {
            // Refuse response splitting: a header carrying CR or LF would start a new header or the body.
            throw new IllegalArgumentException("header contains CR or LF: " + name);
        }
        out.utf8(name).ascii(": ").utf8(value).ascii("\r\n");
    }

    /** A growable byte array for one response at a time on one thread. */
    private static final class Scratch
    {
        private static final int KEPT_BYTES = 64 * 1024;

        byte[] bytes = new byte[1024];
        int length;

        Scratch clear()
        {
            length = 0;
            if (bytes.length > KEPT_BYTES)
            {
                bytes = new byte[1024]; // a large response is not kept per thread
            }
            return this;
        }

        Scratch ascii(final String s)
        {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++)
            {
                bytes[length++] = (byte)s.charAt(i);
            }
            return this;
        }

        Scratch number(final int value)
        {
            if (value < 0)
            {
                return ascii(Integer.toString(value));
            }
            int digits = 1;
            for (int v = value; v >= 10; v /= 10)
            {
                digits++;
            }
            ensure(digits);
            int v = value;
            for (int i = length + digits - 1; i >= length; i--)
            {
                bytes[i] = (byte)('0' + v % 10);
                v /= 10;
            }
            length += digits;
            return this;
        }

        Scratch bytes(final byte[] src)
        {
            ensure(src.length);
            System.arraycopy(src, 0, bytes, length, src.length);
            length += src.length;
            return this;
        }

        /** UTF-8, as {@code String.getBytes(UTF_8)} encodes (lone surrogates become {@code '?'}). */
        Scratch utf8(final String s)
        {
            final int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++)
            {
                final char c = s.charAt(i);
                if (c >= 0x80)
                {
                    return bytes(s.substring(i).getBytes(StandardCharsets.UTF_8));
                }
                bytes[length++] = (byte)c;
            }
            return this;
        }

        static int utf8Length(final String s)
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

        private void ensure(final int more)
        {
            if (length + more > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
            }
        }
    }

    private static boolean hasLineBreak(final String s)
    {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
