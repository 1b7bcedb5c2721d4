package io.sockudo.jvm.protocol.ws;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Server side of the RFC 6455 section 4.2 opening handshake: key validation, the Sec-WebSocket-Accept value and the
 * 101 response, written without allocating (it runs once per connection, and handshake garbage is most of what an
 * idle connection costs in a JVM's resident memory until the next young collection).
 */
public final class WebSocketHandshake
{
    /**
     * The GUID appended to the client key before hashing (RFC 6455 section 1.3).
     */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final int KEY_LENGTH = 24; // base64 of 16 bytes: 22 characters then "=="

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE_HEAD = ("HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: ").getBytes(StandardCharsets.US_ASCII);
    /** The end of the accept header line and the blank line that ends the response. */
    private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int ACCEPT_LENGTH = 28; // base64 of a 20-byte SHA-1 digest

    /** Length of the 101 response written by {@link #writeSwitchingProtocols(String, byte[])}. */
    public static final int SWITCHING_PROTOCOLS_LENGTH = RESPONSE_HEAD.length + ACCEPT_LENGTH + END.length;

    /** One digest and output array per thread: the handshake runs on reactor threads and allocates nothing. */
    private static final ThreadLocal<Sha1> SHA1 = ThreadLocal.withInitial(Sha1::new);

    private static final class Sha1
    {
        final MessageDigest digest;
        final byte[] out = new byte[20];
        final byte[] accept = new byte[ACCEPT_LENGTH];

        Sha1()
        {
            try
            {
                digest = MessageDigest.getInstance("SHA-1");
            }
            catch (final NoSuchAlgorithmException ex)
            {
                // Every Java platform must provide SHA-1 (MessageDigest Javadoc), so this cannot happen.
                throw new IllegalStateException(ex);
            }
        }
    }

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
        final byte[] accept = new byte[ACCEPT_LENGTH];
        writeAcceptKey(secWebSocketKey, accept, 0);
        return new String(accept, StandardCharsets.US_ASCII);
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
        final byte[] accept = acceptKey.getBytes(StandardCharsets.US_ASCII);
        final byte[] response = Arrays.copyOf(RESPONSE_HEAD, RESPONSE_HEAD.length + accept.length + END.length);
        System.arraycopy(accept, 0, response, RESPONSE_HEAD.length, accept.length);
        System.arraycopy(END, 0, response, RESPONSE_HEAD.length + accept.length, END.length);
        return response;
    }

    /**
     * Writes the whole 101 response for a client's key into {@code dst}, without allocating.
     *
     * @param secWebSocketKey the client's {@code Sec-WebSocket-Key}, already validated.
     * @param dst             at least {@link #SWITCHING_PROTOCOLS_LENGTH} bytes.
     * @return the number of bytes written, {@link #SWITCHING_PROTOCOLS_LENGTH}.
     */
    public static int writeSwitchingProtocols(final String secWebSocketKey, final byte[] dst)
    {
        System.arraycopy(RESPONSE_HEAD, 0, dst, 0, RESPONSE_HEAD.length);
        final int p = writeAcceptKey(secWebSocketKey, dst, RESPONSE_HEAD.length);
        System.arraycopy(END, 0, dst, p, END.length);
        return p + END.length;
    }

    /**
     * SHA-1 of key + GUID, base64-encoded into {@code dst} at {@code at}; characters outside ASCII count as
     * {@code '?'}, as {@code String.getBytes(US_ASCII)} would make them.
     *
     * @return the index after the 28 characters written.
     */
    private static int writeAcceptKey(final String key, final byte[] dst, final int at)
    {
        final Sha1 sha1 = SHA1.get();
        final MessageDigest digest = sha1.digest;
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            digest.update(c < 0x80 ? (byte)c : (byte)'?');
        }
        digest.update(GUID_BYTES, 0, GUID_BYTES.length);
        final byte[] in = sha1.out;
        try
        {
            digest.digest(in, 0, in.length);
        }
        catch (final DigestException ex)
        {
            // The output array is exactly SHA-1's 20 bytes, so this cannot happen.
            throw new IllegalStateException(ex);
        }
        // Base64.Encoder.encode(byte[], byte[]) writes into the given array and allocates nothing
        Base64.getEncoder().encode(in, sha1.accept);
        System.arraycopy(sha1.accept, 0, dst, at, ACCEPT_LENGTH);
        return at + ACCEPT_LENGTH;
    }

    private static boolean isBase64Char(final char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
