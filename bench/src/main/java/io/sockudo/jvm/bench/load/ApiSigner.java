package io.sockudo.jvm.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds signed {@code POST /apps/{id}/events} requests (Pusher HTTP API, spec pusher-v1 section 5.2) into one
 * reused byte array. Every field has a fixed width, so a request is a template with three patched places: the
 * message's 16 hex digits in the body, {@code auth_timestamp}, {@code body_md5} and {@code auth_signature}. The MD5
 * and HMAC instances are created once; building a request allocates nothing.
 *
 * <pre>
 * string to sign: POST\n/apps/{id}/events\nauth_key={key}&amp;auth_timestamp={10 digits}&amp;auth_version=1.0
 *                 &amp;body_md5={32 hex}
 * body:           {"name":"{event}","channels":["{channel}"],"data":"~{16 hex}xxx…"}
 * </pre>
 */
public final class ApiSigner
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] request;
    private final int bodyOffset;
    private final int bodyLength;
    private final int markerDigitsOffset;
    private final int requestTimestampOffset;
    private final int requestMd5Offset;
    private final int requestSignatureOffset;
    private final byte[] toSign;
    private final int signTimestampOffset;
    private final int signMd5Offset;
    private final byte[] digest = new byte[32];
    private final Mac mac;
    private final MessageDigest md5;

    /**
     * Prepares the template.
     *
     * @param host        the value of the Host header.
     * @param appId       the app id (URL-safe characters only).
     * @param appKey      the app key (URL-safe characters only).
     * @param appSecret   the app secret.
     * @param channel     the channel to publish to.
     * @param event       the event name.
     * @param payloadSize the length of the {@code data} string, at least 17 ({@code ~} and 16 hex digits).
     */
    public ApiSigner(
        final String host,
        final String appId,
        final String appKey,
        final String appSecret,
        final String channel,
        final String event,
        final int payloadSize)
    {
        if (payloadSize < 17)
        {
            throw new IllegalArgumentException("payload must be at least 17 bytes: " + payloadSize);
        }
        final StringBuilder data = new StringBuilder(payloadSize);
        data.append('~').append("0000000000000000");
        while (data.length() < payloadSize)
        {
            data.append('x');
        }
        final String body = "{\"name\":\"" + event + "\",\"channels\":[\"" + channel + "\"],\"data\":\"" + data + "\"}";
        final String path = "/apps/" + appId + "/events";
        final String query = "auth_key=" + appKey + "&auth_timestamp=0000000000&auth_version=1.0&body_md5=" +
            "0".repeat(32);
        final String head = "POST " + path + "?" + query + "&auth_signature=" + "0".repeat(64) + " HTTP/1.1\r\n" +
            "Host: " + host + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
        request = (head + body).getBytes(StandardCharsets.US_ASCII);
        bodyOffset = head.length();
        bodyLength = body.length();
        markerDigitsOffset = bodyOffset + body.indexOf('~') + 1;
        final int queryOffset = head.indexOf('?') + 1;
        requestTimestampOffset = queryOffset + query.indexOf("auth_timestamp=") + 15;
        requestMd5Offset = queryOffset + query.indexOf("body_md5=") + 9;
        requestSignatureOffset = head.indexOf("auth_signature=") + 15;

        final String sign = "POST\n" + path + "\n" + query;
        toSign = sign.getBytes(StandardCharsets.US_ASCII);
        signTimestampOffset = sign.indexOf("auth_timestamp=") + 15;
        signMd5Offset = sign.indexOf("body_md5=") + 9;
        try
        {
            final byte[] key = appSecret.getBytes(StandardCharsets.UTF_8);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            md5 = MessageDigest.getInstance("MD5");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Fills the template for one message.
     *
     * @param marker           the 64-bit value carried as 16 hex digits after {@code ~} in the data string.
     * @param epochSeconds     the {@code auth_timestamp}.
     * @return the request bytes; valid until the next call, length {@link #requestLength()}.
     */
    public byte[] build(final long marker, final long epochSeconds)
    {
        putHex(request, markerDigitsOffset, marker, 16);
        putDecimal(request, requestTimestampOffset, epochSeconds, 10);
        putDecimal(toSign, signTimestampOffset, epochSeconds, 10);

        md5.update(request, bodyOffset, bodyLength);
        try
        {
            md5.digest(digest, 0, 16);
            hex(digest, 16, request, requestMd5Offset);
            System.arraycopy(request, requestMd5Offset, toSign, signMd5Offset, 32);
            mac.update(toSign, 0, toSign.length);
            mac.doFinal(digest, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
        hex(digest, 32, request, requestSignatureOffset);
        return request;
    }

    /**
     * The length of every request this signer builds.
     *
     * @return bytes.
     */
    public int requestLength()
    {
        return request.length;
    }

    /**
     * The string that was signed for the last {@link #build} call, for tests.
     *
     * @return the signed text.
     */
    public String lastStringToSign()
    {
        return new String(toSign, StandardCharsets.US_ASCII);
    }

    /**
     * The last request as text, for tests.
     *
     * @return the request.
     */
    public String lastRequest()
    {
        return new String(request, StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code digits} lowercase hex digits of {@code value}, most significant first.
     *
     * @param out    the destination.
     * @param offset where the first digit goes.
     * @param value  the value.
     * @param digits how many digits.
     */
    static void putHex(final byte[] out, final int offset, final long value, final int digits)
    {
        long v = value;
        for (int i = offset + digits - 1; i >= offset; i--)
        {
            out[i] = HEX[(int)(v & 0xF)];
            v >>>= 4;
        }
    }

    private static void putDecimal(final byte[] out, final int offset, final long value, final int digits)
    {
        long v = value;
        for (int i = offset + digits - 1; i >= offset; i--)
        {
            out[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
    }

    private static void hex(final byte[] in, final int length, final byte[] out, final int offset)
    {
        for (int i = 0; i < length; i++)
        {
            out[offset + 2 * i] = HEX[(in[i] >> 4) & 0xF];
            out[offset + 2 * i + 1] = HEX[in[i] & 0xF];
        }
    }
}
