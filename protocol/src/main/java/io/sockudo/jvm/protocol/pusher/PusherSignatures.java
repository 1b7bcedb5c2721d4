package io.sockudo.jvm.protocol.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signatures of the Pusher protocol (spec {@code pusher-v1.md} sections 3.3 and 5.2): channel auth,
 * user sign-in and the signed HTTP API. All hex is lowercase; secrets and signed strings are UTF-8.
 */
public final class PusherSignatures
{
    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /**
     * One instance per calling thread (a reactor): the JCA provider look-up of {@code getInstance} showed in 6.5 % of
     * the CPU samples of an HTTP publish benchmark (docs/benchmarks.md).
     */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> newInstance(HMAC_SHA256, true));
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> newInstance("MD5", false));

    private PusherSignatures()
    {
    }

    /**
     * HMAC-SHA256 of {@code data} keyed with {@code secret}, both UTF-8.
     *
     * @param secret the key.
     * @param data   the signed text.
     * @return 64 lowercase hex digits.
     */
    public static String hmacSha256Hex(final String secret, final String data)
    {
        try
        {
            final Mac mac = MAC.get();
            final byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            // HMAC zero-pads short keys to the block size, so one zero byte signs exactly as an empty key would;
            // SecretKeySpec refuses empty keys.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC_SHA256));
            return hex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            // HmacSHA256 is a mandatory JDK algorithm.
            throw new IllegalStateException(ex);
        }
    }

    /**
     * MD5 of raw bytes, as used for {@code body_md5}.
     *
     * @param data the bytes.
     * @return 32 lowercase hex digits.
     */
    public static String md5Hex(final byte[] data)
    {
        return hex(MD5.get().digest(data));
    }

    /**
     * Compares two strings in time that depends only on their lengths.
     *
     * @param a first string, may be null.
     * @param b second string, may be null.
     * @return true when both are non-null and equal; false when either is null.
     */
    public static boolean constantTimeEquals(final String a, final String b)
    {
        if (null == a || null == b)
        {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The expected {@code auth} of a private or presence subscription: {@code key + ":" + hex}, where hex signs
     * {@code socketId:channel}, or {@code socketId:channel:channelData} when channel data is non-empty.
     *
     * @param key         the app key.
     * @param secret      the app secret.
     * @param socketId    the socket id.
     * @param channel     the channel name.
     * @param channelData the presence {@code channel_data} exactly as sent, or null.
     * @return the full auth string the client must send.
     */
    public static String channelAuth(
        final String key, final String secret, final String socketId, final String channel, final String channelData)
    {
        final StringBuilder toSign = new StringBuilder(socketId.length() + channel.length() + 64)
            .append(socketId).append(':').append(channel);
        if (null != channelData && !channelData.isEmpty())
        {
            toSign.append(':').append(channelData);
        }
        return key + ':' + hmacSha256Hex(secret, toSign.toString());
    }

    /**
     * The hex signature of a user sign-in: HMAC of {@code socketId::user::userData}. The client's {@code auth} is
     * {@code key:hex}; compare this with the text after its first {@code :}.
     *
     * @param secret   the app secret.
     * @param socketId the socket id.
     * @param userData the {@code user_data} exactly as sent.
     * @return 64 lowercase hex digits.
     */
    public static String signinSignature(final String secret, final String socketId, final String userData)
    {
        return hmacSha256Hex(secret, socketId + "::user::" + userData);
    }

    /**
     * The string an HTTP API request signs (spec 5.2 steps 5 and 7): {@code UPPER(method) \n path \n query}, where
     * query is every pair except {@code auth_signature}, keys lower-cased, the last duplicate winning, sorted by key
     * in byte order, values decoded and not re-encoded, joined as {@code k=v} with {@code &}.
     *
     * @param method     the HTTP method.
     * @param path       the raw request path after trailing-slash stripping.
     * @param queryPairs the decoded query pairs in request order.
     * @return the string to sign.
     */
    public static String apiStringToSign(final String method, final String path, final List<String[]> queryPairs)
    {
        final TreeMap<String, String> sorted = new TreeMap<>(PusherSignatures::compareUtf8);
        for (int i = 0, size = queryPairs.size(); i < size; i++)
        {
            final String[] pair = queryPairs.get(i);
            if (!"auth_signature".equals(pair[0]))
            {
                sorted.put(pair[0].toLowerCase(Locale.ROOT), pair[1]);
            }
        }

        final StringBuilder sb = new StringBuilder(128);
        sb.append(method.toUpperCase(Locale.ROOT)).append('\n').append(path).append('\n');
        boolean first = true;
        for (final Map.Entry<String, String> entry : sorted.entrySet())
        {
            if (!first)
            {
                sb.append('&');
            }
            first = false;
            sb.append(entry.getKey()).append('=').append(entry.getValue());
        }
        return sb.toString();
    }

    /**
     * The expected {@code auth_signature} of an HTTP API request: the HMAC of {@link #apiStringToSign}.
     *
     * @param secret     the app secret.
     * @param method     the HTTP method.
     * @param path       the raw request path after trailing-slash stripping.
     * @param queryPairs the decoded query pairs in request order.
     * @return 64 lowercase hex digits.
     */
    public static String apiSignature(
        final String secret, final String method, final String path, final List<String[]> queryPairs)
    {
        return hmacSha256Hex(secret, apiStringToSign(method, path, queryPairs));
    }

    /**
     * Orders strings as their UTF-8 bytes would be ordered, which is code-point order (String.compareTo compares
     * UTF-16 units and differs for supplementary characters).
     */
    private static int compareUtf8(final String a, final String b)
    {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length())
        {
            final int ca = a.codePointAt(i);
            final int cb = b.codePointAt(j);
            if (ca != cb)
            {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static String hex(final byte[] bytes)
    {
        final byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    @SuppressWarnings("unchecked")
    private static <T> T newInstance(final String algorithm, final boolean mac)
    {
        try
        {
            return (T)(mac ? Mac.getInstance(algorithm) : MessageDigest.getInstance(algorithm));
        }
        catch (final GeneralSecurityException ex)
        {
            // HmacSHA256 and MD5 are mandatory JDK algorithms.
            throw new IllegalStateException(ex);
        }
    }
}
