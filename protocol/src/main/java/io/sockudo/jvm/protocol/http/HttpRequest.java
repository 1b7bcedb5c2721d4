package io.sockudo.jvm.protocol.http;

import java.util.Collections;
import java.util.List;

/**
 * One parsed HTTP/1.x request, produced by {@link HttpRequestParser}. Immutable.
 */
public final class HttpRequest
{
    private static final byte[] EMPTY = new byte[0];

    private final String method;
    private final String rawPath;
    private final String path;
    private final String rawQuery;
    private final String version;
    private final List<String> headerNames;
    private final List<String> headerValues;
    private final byte[] body;
    private final boolean keepAlive;
    private final boolean webSocketUpgrade;

    HttpRequest(
        final String method,
        final String target,
        final String version,
        final List<String> headerNames,
        final List<String> headerValues,
        final byte[] body)
    {
        this.method = method;
        final int question = target.indexOf('?');
        this.rawPath = question < 0 ? target : target.substring(0, question);
        this.rawQuery = question < 0 ? null : target.substring(question + 1);
        this.path = rawPath.length() > 1 && rawPath.charAt(rawPath.length() - 1) == '/' ?
            rawPath.substring(0, rawPath.length() - 1) : rawPath;
        this.version = version;
        this.headerNames = Collections.unmodifiableList(headerNames);
        this.headerValues = headerValues;
        this.body = null == body ? EMPTY : body;

        final boolean http11 = HttpRequestParser.HTTP_1_1.equals(version);
        this.keepAlive = http11 ? !connectionHasToken("close") : connectionHasToken("keep-alive");
        this.webSocketUpgrade = "GET".equals(method) &&
            headerHasToken("upgrade", "websocket") &&
            connectionHasToken("upgrade");
    }

    /**
     * The request method as sent, e.g. {@code GET}.
     *
     * @return the method.
     */
    public String method()
    {
        return method;
    }

    /**
     * The request target before {@code ?}, not percent-decoded, e.g. {@code /apps/app-id/events}; {@code *} for
     * {@code OPTIONS *}.
     *
     * @return the raw path.
     */
    public String rawPath()
    {
        return rawPath;
    }

    /**
     * The raw path with one trailing {@code /} stripped, except for {@code /} itself.
     *
     * @return the path used for routing and request signing.
     */
    public String path()
    {
        return path;
    }

    /**
     * The raw query after {@code ?}.
     *
     * @return the query, empty when the target ends with {@code ?}, null when there is no {@code ?}.
     */
    public String rawQuery()
    {
        return rawQuery;
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, matched case-insensitively.
     * @return the value with surrounding whitespace removed, or null when absent.
     */
    public String header(final String name)
    {
        for (int i = 0, size = headerNames.size(); i < size; i++)
        {
            if (name.equalsIgnoreCase(headerNames.get(i)))
            {
                return headerValues.get(i);
            }
        }
        return null;
    }

    /**
     * The header names as sent, in order, repeated names included.
     *
     * @return an unmodifiable list.
     */
    public List<String> headerNames()
    {
        return headerNames;
    }

    /**
     * The request body, de-chunked when it was sent chunked.
     *
     * @return the body, an empty array when there is none; never null.
     */
    public byte[] body()
    {
        return body;
    }

    /**
     * Whether the connection stays open after the response: for HTTP/1.1 unless a {@code Connection} header has the
     * token {@code close}; for HTTP/1.0 only when it has the token {@code keep-alive}.
     *
     * @return true to keep the connection open.
     */
    public boolean keepAlive()
    {
        return keepAlive;
    }

    /**
     * Whether this is a WebSocket upgrade request: method {@code GET}, an {@code Upgrade} header with the token
     * {@code websocket} and a {@code Connection} header with the token {@code upgrade} (all case-insensitive).
     *
     * @return true for an upgrade request; the handshake headers still need checking.
     */
    public boolean isWebSocketUpgrade()
    {
        return webSocketUpgrade;
    }

    /**
     * The protocol version.
     *
     * @return {@code HTTP/1.1} or {@code HTTP/1.0}.
     */
    public String version()
    {
        return version;
    }

    private boolean connectionHasToken(final String token)
    {
        return headerHasToken("connection", token);
    }

    /**
     * Whether any header called {@code name} has {@code token} in its comma-separated list (case-insensitive).
     */
    private boolean headerHasToken(final String name, final String token)
    {
        for (int i = 0, size = headerNames.size(); i < size; i++)
        {
            if (name.equalsIgnoreCase(headerNames.get(i)) && listHasToken(headerValues.get(i), token))
            {
                return true;
            }
        }
        return false;
    }

    static boolean listHasToken(final String list, final String token)
    {
        int start = 0;
        final int length = list.length();
        while (start <= length)
        {
            int end = list.indexOf(',', start);
            if (end < 0)
            {
                end = length;
            }
            int s = start;
            int e = end;
            while (s < e && isOws(list.charAt(s)))
            {
                s++;
            }
            while (e > s && isOws(list.charAt(e - 1)))
            {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length()))
            {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isOws(final char c)
    {
        return c == ' ' || c == '\t';
    }
}
