package io.sockudo.jvm.protocol.http;

import java.nio.charset.StandardCharsets;

/**
 * Encodes complete HTTP/1.1 responses with a {@code Content-Length} body.
 */
public final class HttpResponses
{
    private static final byte[] EMPTY = new byte[0];

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
        if (0 != (extraHeaders.length & 1))
        {
            throw new IllegalArgumentException("extraHeaders must be name, value pairs");
        }
        final byte[] content = null == body ? EMPTY : body;

        final StringBuilder sb = new StringBuilder(128);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n");
        if (null != contentType)
        {
            appendHeader(sb, "Content-Type", contentType);
        }
        sb.append("Content-Length: ").append(content.length).append("\r\n");
        sb.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        for (int i = 0; i < extraHeaders.length; i += 2)
        {
            appendHeader(sb, extraHeaders[i], extraHeaders[i + 1]);
        }
        sb.append("\r\n");

        final byte[] headBytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] out = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(content, 0, out, headBytes.length, content.length);
        return out;
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
        return encode(status, "application/json", utf8(jsonBody), keepAlive, extraHeaders);
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
        return encode(status, "text/plain", utf8(textBody), keepAlive, extraHeaders);
    }

    private static byte[] utf8(final String s)
    {
        return null == s ? EMPTY : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void appendHeader(final StringBuilder sb, final String name, final String value)
    {
        if (hasLineBreak(name) || hasLineBreak(value))
        {
            // Refuse response splitting: a header carrying CR or LF would start a new header or the body.
            throw new IllegalArgumentException("header contains CR or LF: " + name);
        }
        sb.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean hasLineBreak(final String s)
    {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
