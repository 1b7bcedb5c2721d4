package io.sockudo.jvm.protocol.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Server side of the RFC 6455 section 4.2 opening handshake: key validation, the Sec-WebSocket-Accept value and the
 * 101 response. Runs once per connection, so it may allocate.
 */
public final class WebSocketHandshake
{
    /**
     * The GUID appended to the client key before hashing (RFC 6455 section 1.3).
     */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final int KEY_LENGTH = 24; // base64 of 16 bytes: 22 characters then "=="

    /** One digest per calling thread (a reactor): no provider look-up per handshake. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() ->
    {
        try
        {
            return MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // Every Java platform must provide SHA-1 (MessageDigest Javadoc), so this cannot happen.
            throw new IllegalStateException(ex);
        }
    });

    private WebSocketHandshake()
    {
    }

    /**
     * Compute the Sec-WebSocket-Accept value for a client key.
     *
     * @param secWebSocketKey the Sec-WebSocket-Key header value, without surrounding whitespace.
     * @return base64(SHA-1(key + GUID)).
     */
    public static String acceptKey(final String secWebSocketKey)
    {
        final MessageDigest sha1 = SHA1.get();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.US_ASCII));
        sha1.update(GUID.getBytes(StandardCharsets.US_ASCII));

        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * Is the key a base64 encoding of 16 bytes, as RFC 6455 section 4.1 requires of Sec-WebSocket-Key?
     *
     * @param key the header value, without surrounding whitespace; may be null.
     * @return true if it is 22 base64 characters followed by "==".
     */
    public static boolean isValidKey(final String key)
    {
        if (null == key || key.length() != KEY_LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=')
        {
            return false;
        }

        for (int i = 0; i < 22; i++)
        {
            if (!isBase64Char(key.charAt(i)))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * The complete 101 Switching Protocols response.
     *
     * @param acceptKey the value from {@link #acceptKey(String)}.
     * @return the response bytes in US-ASCII, ending with the blank line.
     */
    public static byte[] switchingProtocolsResponse(final String acceptKey)
    {
        final String response = "HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + acceptKey + "\r\n" +
            "\r\n";

        return response.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isBase64Char(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
