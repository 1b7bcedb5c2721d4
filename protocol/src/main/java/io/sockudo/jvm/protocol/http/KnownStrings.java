package io.sockudo.jvm.protocol.http;

/**
 * Constant strings for the methods, header names, header values and query parameter names that nearly every request
 * carries, so that the parser does not allocate a new {@code String} for {@code Host}, {@code Upgrade: websocket},
 * {@code Sec-WebSocket-Version: 13} or {@code auth_timestamp} on every WebSocket handshake and API call.
 * <p>
 * A constant is returned only when the bytes are exactly its spelling, so the result is always equal to what a fresh
 * decode of the bytes would give; anything else is decoded as before.
 */
final class KnownStrings
{
    private static final int MAX_LENGTH = 48;

    private static final String[] ALL = {
        // methods
        "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH",
        // header names, as browsers, curl and HTTP libraries spell them
        "Host", "host", "Upgrade", "upgrade", "Connection", "connection",
        "Sec-WebSocket-Key", "sec-websocket-key", "Sec-WebSocket-Version", "sec-websocket-version",
        "Sec-WebSocket-Extensions", "sec-websocket-extensions", "Sec-WebSocket-Protocol", "sec-websocket-protocol",
        "Origin", "origin", "User-Agent", "user-agent", "Accept", "accept", "Accept-Encoding", "accept-encoding",
        "Accept-Language", "accept-language", "Cache-Control", "cache-control", "Pragma", "pragma",
        "Content-Type", "content-type", "Content-Length", "content-length", "Transfer-Encoding", "transfer-encoding",
        "Expect", "expect", "Cookie", "cookie", "Authorization", "authorization", "Referer", "referer",
        "X-Forwarded-For", "x-forwarded-for", "X-Real-IP", "x-real-ip", "Keep-Alive", "keep-alive",
        "Sec-Fetch-Mode", "sec-fetch-mode", "Sec-Fetch-Site", "sec-fetch-site", "Sec-Fetch-Dest", "sec-fetch-dest",
        // header values
        "websocket", "Upgrade", "keep-alive", "Keep-Alive", "close", "13", "*/*", "no-cache", "application/json",
        "application/json; charset=utf-8", "permessage-deflate; client_max_window_bits", "permessage-deflate",
        "gzip, deflate", "gzip, deflate, br", "gzip", "identity", "chunked", "100-continue", "cors", "same-origin",
        "cross-site",
        // query parameter names of the signed HTTP API and of the WebSocket upgrade, and common values
        "auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature", "info", "filter_by_prefix",
        "protocol", "client", "version", "flash", "echo_messages", "format", "1.0", "false", "true", "js", "json",
    };

    /** Constants grouped by length: {@code BY_LENGTH[n]} holds those of n characters, each once. */
    private static final String[][] BY_LENGTH = new String[MAX_LENGTH + 1][];

    static
    {
        final java.util.Set<String> distinct = new java.util.LinkedHashSet<>(java.util.Arrays.asList(ALL));
        for (int n = 0; n <= MAX_LENGTH; n++)
        {
            final int length = n;
            BY_LENGTH[n] = distinct.stream().filter(s -> s.length() == length).toArray(String[]::new);
        }
    }

    private KnownStrings()
    {
    }

    /**
     * The constant spelled exactly as {@code bytes[start, end)}.
     *
     * @param bytes the bytes.
     * @param start first byte.
     * @param end   one past the last byte.
     * @return the shared constant, or null when the bytes are not one of them.
     */
    static String lookup(final byte[] bytes, final int start, final int end)
    {
        final int length = end - start;
        if (length <= 0 || length > MAX_LENGTH)
        {
            return null;
        }
        final String[] bucket = BY_LENGTH[length];
        for (int k = 0; k < bucket.length; k++)
        {
            final String candidate = bucket[k];
            int i = 0;
            while (i < length && candidate.charAt(i) == bytes[start + i])
            {
                i++;
            }
            if (i == length)
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The constant spelled exactly as {@code s[start, end)}.
     *
     * @param s     the text.
     * @param start first character.
     * @param end   one past the last character.
     * @return the shared constant, or null when the region is not one of them.
     */
    static String lookup(final String s, final int start, final int end)
    {
        final int length = end - start;
        if (length <= 0 || length > MAX_LENGTH)
        {
            return null;
        }
        final String[] bucket = BY_LENGTH[length];
        for (int k = 0; k < bucket.length; k++)
        {
            if (s.regionMatches(start, bucket[k], 0, length))
            {
                return bucket[k];
            }
        }
        return null;
    }
}
