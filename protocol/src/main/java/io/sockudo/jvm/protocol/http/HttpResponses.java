package io.sockudo.jvm.protocol.http;

import java.util.Arrays;

import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes complete HTTP/1.1 responses with a {@code Content-Length} body.
 */
public final class HttpResponses
{
    private static final byte[] EMPTY = new byte[0];
    private static final ThreadLocal<ExpandableArrayBuffer> SCRATCH = Utf8Buffers.newScratch();

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
     * Head and body written once into the calling thread's scratch buffer, then copied out: the response costs one
     * array of its exact size (it was a builder, a string, its bytes and the joined copy, about five times that).
     */
    private static byte[] build(final int status, final String contentType, final byte[] body, final String textBody,
        final boolean keepAlive, final String[] extraHeaders)
    {
        final ExpandableArrayBuffer out = Utf8Buffers.scratch(SCRATCH);
        int p = out.putStringWithoutLengthAscii(0, "HTTP/1.1 ");
        p += out.putNaturalIntAscii(p, status);
        p += out.putStringWithoutLengthAscii(p, " ");
        p += out.putStringWithoutLengthAscii(p, reasonPhrase(status));
        p += out.putStringWithoutLengthAscii(p, "\r\n");
        if (null != contentType)
        {
            p = header(out, p, "Content-Type", contentType);
        }
        p += out.putStringWithoutLengthAscii(p, "Content-Length: ");
        p += out.putNaturalIntAscii(p, null != body ? body.length : Utf8Buffers.utf8Length(textBody));
        p += out.putStringWithoutLengthAscii(p,
            keepAlive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
        for (int i = 0; i < extraHeaders.length; i += 2)
        {
            p = header(out, p, extraHeaders[i], extraHeaders[i + 1]);
        }
        p += out.putStringWithoutLengthAscii(p, "\r\n");
        if (null != body)
        {
            out.putBytes(p, body);
            p += body.length;
        }
        else
        {
            p += Utf8Buffers.putUtf8(out, p, textBody);
        }
        return Arrays.copyOf(out.byteArray(), p);
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

    private static int header(final ExpandableArrayBuffer out, final int position, final String name,
        final String value)
    {
        if (hasLineBreak(name) || hasLineBreak(value))
        {
            // Refuse response splitting: a header carrying CR or LF would start a new header or the body.
            throw new IllegalArgumentException("header contains CR or LF: " + name);
        }
        int p = position + Utf8Buffers.putUtf8(out, position, name);
        p += out.putStringWithoutLengthAscii(p, ": ");
        p += Utf8Buffers.putUtf8(out, p, value);
        return p + out.putStringWithoutLengthAscii(p, "\r\n");
    }

    private static boolean hasLineBreak(final String s)
    {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
