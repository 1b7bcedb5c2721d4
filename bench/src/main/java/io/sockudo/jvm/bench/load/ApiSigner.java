package io.sockudo.jvm.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds signed {@code POST} requests of the Pusher HTTP API (spec pusher-v1 section 5.2) into one reused byte array.
 * Every field has a fixed width, so a request is a template with a few patched places: the body's variable part,
 * {@code auth_timestamp}, {@code body_md5} and {@code auth_signature}. The MD5 and HMAC instances are created once;
 * building a request allocates nothing. Two templates exist:
 *
 * <pre>
 * events (constructor):
 *   string to sign: POST\n/apps/{id}/events\nauth_key={key}&amp;auth_timestamp={10 digits}&amp;auth_version=1.0
 *                   &amp;body_md5={32 hex}
 *   body:           {"name":"{event}","channels":["{channel}"],"data":"~{16 hex}xxx…"}
 * annotations ({@link #annotations}):
 *   path:           /apps/{id}/channels/{channel}/messages/{messageSerial}/annotations
 *   body:           {"type":"{type}","name":"like","clientId":"u{5 digits}"}
 * </pre>
 *
 * <p>In the events template the patched value is the message's intended send time (the {@code ~} marker). In the
 * annotation template it is the publish's sequence number {@code i}: the client id is {@code u} and the five digits
 * of {@code i % clients}, the name is {@code like} or {@code haha}, alternating every {@code clients} publishes.
 */
public final class ApiSigner
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final byte[][] ANNOTATION_NAMES =
        {"like".getBytes(StandardCharsets.US_ASCII), "haha".getBytes(StandardCharsets.US_ASCII)};
    private static final int CLIENT_DIGITS = 5;

    private final byte[] request;
    private final int clients;
    private final int clientDigitsOffset;
    private final int nameOffset;
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
        this(host, "/apps/" + appId + "/events", appKey, appSecret, eventBody(channel, event, payloadSize), 0);
    }

    /**
     * Prepares the template of a signed annotation publish (spec annotations 5.1), without {@code socketId}: a
     * trusted server call whose {@code clientId} is used as given.
     *
     * @param host          the value of the Host header.
     * @param appId         the app id (URL-safe characters only).
     * @param appKey        the app key (URL-safe characters only).
     * @param appSecret     the app secret.
     * @param channel       the channel of the message (URL-safe characters and {@code :} only).
     * @param messageSerial the serial of the annotated message.
     * @param type          the annotation type, e.g. {@code reactions:distinct.v1}.
     * @param clients       how many distinct client ids to cycle through, 1 to 100,000.
     * @return the signer.
     */
    public static ApiSigner annotations(
        final String host,
        final String appId,
        final String appKey,
        final String appSecret,
        final String channel,
        final String messageSerial,
        final String type,
        final int clients)
    {
        if (clients < 1 || clients > 100_000)
        {
            throw new IllegalArgumentException("clients must be 1 to 100000: " + clients);
        }
        final String body = "{\"type\":\"" + type + "\",\"name\":\"like\",\"clientId\":\"u" +
            "0".repeat(CLIENT_DIGITS) + "\"}";
        return new ApiSigner(host, "/apps/" + appId + "/channels/" + channel + "/messages/" + messageSerial +
            "/annotations", appKey, appSecret, body, clients);
    }

    private static String eventBody(final String channel, final String event, final int payloadSize)
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
        return "{\"name\":\"" + event + "\",\"channels\":[\"" + channel + "\"],\"data\":\"" + data + "\"}";
    }

    private ApiSigner(
        final String host,
        final String path,
        final String appKey,
        final String appSecret,
        final String body,
        final int clients)
    {
        final String query = "auth_key=" + appKey + "&auth_timestamp=0000000000&auth_version=1.0&body_md5=" +
            "0".repeat(32);
        final String head = "POST " + path + "?" + query + "&auth_signature=" + "0".repeat(64) + " HTTP/1.1\r\n" +
            "Host: " + host + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
        request = (head + body).getBytes(StandardCharsets.US_ASCII);
        this.clients = clients;
        bodyOffset = head.length();
        bodyLength = body.length();
        markerDigitsOffset = clients > 0 ? -1 : bodyOffset + body.indexOf('~') + 1;
        clientDigitsOffset = clients > 0 ? bodyOffset + body.indexOf("\"clientId\":\"u") + 13 : -1;
        nameOffset = clients > 0 ? bodyOffset + body.indexOf("\"name\":\"") + 8 : -1;
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
     * Fills the template for one publish, as {@link Publisher} calls it.
     *
     * @param sequence     the publish's number, from 0 (annotation template).
     * @param intendedNs   the publish's intended send time (events template: the {@code ~} marker).
     * @param epochSeconds the {@code auth_timestamp}.
     * @return the request bytes; valid until the next call, length {@link #requestLength()}.
     */
    public byte[] build(final long sequence, final long intendedNs, final long epochSeconds)
    {
        return build(clients > 0 ? sequence : intendedNs, epochSeconds);
    }

    /**
     * Fills the template for one message.
     *
     * @param marker       events template: the 64-bit value carried as 16 hex digits after {@code ~} in the data
     *                     string; annotation template: the publish's sequence number.
     * @param epochSeconds the {@code auth_timestamp}.
     * @return the request bytes; valid until the next call, length {@link #requestLength()}.
     */
    public byte[] build(final long marker, final long epochSeconds)
    {
        if (clients > 0)
        {
            putDecimal(request, clientDigitsOffset, marker % clients, CLIENT_DIGITS);
            System.arraycopy(ANNOTATION_NAMES[(int)((marker / clients) % ANNOTATION_NAMES.length)], 0, request,
                nameOffset, 4);
        }
        else
        {
            putHex(request, markerDigitsOffset, marker, 16);
        }
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
