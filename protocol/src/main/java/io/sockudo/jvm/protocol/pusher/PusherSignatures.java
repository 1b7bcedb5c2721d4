package io.sockudo.jvm.protocol.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.sockudo.jvm.protocol.http.Utf8Buffers;
import org.agrona.ExpandableArrayBuffer;

/**
 * The HMAC-SHA256 signatures of the Pusher protocol (spec {@code pusher-v1.md} sections 3.3 and 5.2): channel auth,
 * user sign-in and the signed HTTP API. All hex is lowercase; secrets and signed strings are UTF-8.
 */
public final class PusherSignatures
{
    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Keyed MACs kept per thread for at most this many distinct secrets; the map is cleared when it is full. */
    private static final int MAX_CACHED_KEYS = 64;
    /**
     * Per calling thread (a reactor, a webhook sender): initialised MACs by secret, the MD5 digest, and scratch
     * arrays for the signed bytes and the digests. The JCA provider look-up of {@code getInstance} showed in 6.5 % of
     * the CPU samples of an HTTP publish benchmark, and a fresh {@code SecretKeySpec} plus {@code Mac.init}, the
     * signed text's bytes and the hex strings were a good part of the 5 KB a signed publish allocated
     * (docs/benchmarks.md). {@code Mac.doFinal} resets a MAC to its key, so one initialised MAC serves every
     * request of its app.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<ExpandableArrayBuffer> TEXT = Utf8Buffers.newScratch();

    private static final class Scratch
    {
        final HashMap<String, Mac> macs = new HashMap<>();
        final MessageDigest md5 = newInstance("MD5", false);
        final byte[] digest = new byte[32];
        /** The signed text, written by {@link #clear()} / {@link #append}; {@code length} bytes of it are in use. */
        ExpandableArrayBuffer text;
        int length;
        String[] names = new String[16];
        int[] order = new int[16];

        Mac mac(final String secret) throws GeneralSecurityException
        {
            Mac mac = macs.get(secret);
            if (null == mac)
            {
                if (macs.size() >= MAX_CACHED_KEYS)
                {
                    macs.clear();
                }
                mac = newInstance(HMAC_SHA256, true);
                final byte[] key = secret.getBytes(StandardCharsets.UTF_8);
                // HMAC zero-pads short keys to the block size, so one zero byte signs exactly as an empty key
                // would; SecretKeySpec refuses empty keys.
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC_SHA256));
                macs.put(secret, mac);
            }
            return mac;
        }

        /** HMAC-SHA256 of {@code text[0, length)} into {@code digest[0, 32)}. */
        void sign(final String secret)
        {
            try
            {
                final Mac mac = mac(secret);
                mac.update(text.byteArray(), 0, length);
                mac.doFinal(digest, 0);
            }
            catch (final GeneralSecurityException ex)
            {
                // HmacSHA256 is a mandatory JDK algorithm and the output array holds its 32 bytes.
                throw new IllegalStateException(ex);
            }
        }

        Scratch clear()
        {
            text = Utf8Buffers.scratch(TEXT);
            length = 0;
            return this;
        }

        /** Appends the UTF-8 bytes of {@code s}. */
        Scratch append(final String s)
        {
            length += Utf8Buffers.putUtf8(text, length, s);
            return this;
        }

        Scratch append(final char c)
        {
            text.putByte(length++, (byte)c);
            return this;
        }
    }

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
        final Scratch scratch = SCRATCH.get().clear().append(data);
        scratch.sign(secret);
        return hex(scratch.digest, 32);
    }

    /**
     * MD5 of raw bytes, as used for {@code body_md5}.
     *
     * @param data the bytes.
     * @return 32 lowercase hex digits.
     */
    public static String md5Hex(final byte[] data)
    {
        return hex(md5(data), 16);
    }

    /**
     * Whether {@code hex} is the lowercase hex MD5 of {@code data}, compared in time that depends only on the lengths.
     *
     * @param data the bytes.
     * @param hex  the claimed digest, may be null.
     * @return true when it matches.
     */
    public static boolean md5HexEquals(final byte[] data, final String hex)
    {
        return null != hex && hexEquals(md5(data), 16, hex);
    }

    private static byte[] md5(final byte[] data)
    {
        final Scratch scratch = SCRATCH.get();
        try
        {
            scratch.md5.update(data);
            scratch.md5.digest(scratch.digest, 0, 16);
        }
        catch (final GeneralSecurityException ex)
        {
            // the output array holds MD5's 16 bytes
            throw new IllegalStateException(ex);
        }
        return scratch.digest;
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
        if (null == a || null == b || a.length() != b.length())
        {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length(); i++)
        {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return 0 == diff;
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
        final Scratch scratch = stringToSign(method, path, queryPairs);
        return new String(scratch.text.byteArray(), 0, scratch.length, StandardCharsets.UTF_8);
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
        final Scratch scratch = stringToSign(method, path, queryPairs);
        scratch.sign(secret);
        return hex(scratch.digest, 32);
    }

    /**
     * Whether {@code signature} is the request's {@link #apiSignature}, compared in time that depends only on the
     * lengths; builds neither the string to sign nor the hex as strings.
     *
     * @param secret     the app secret.
     * @param method     the HTTP method.
     * @param path       the raw request path after trailing-slash stripping.
     * @param queryPairs the decoded query pairs in request order.
     * @param signature  the {@code auth_signature} sent, may be null.
     * @return true when it matches.
     */
    public static boolean apiSignatureMatches(final String secret, final String method, final String path,
        final List<String[]> queryPairs, final String signature)
    {
        if (null == signature)
        {
            return false;
        }
        final Scratch scratch = stringToSign(method, path, queryPairs);
        scratch.sign(secret);
        return hexEquals(scratch.digest, 32, signature);
    }

    /**
     * Writes the string to sign into the thread's scratch: the pairs other than {@code auth_signature}, names
     * lower-cased, stably sorted by name in UTF-8 order, and of equal names only the last sent.
     */
    private static Scratch stringToSign(final String method, final String path, final List<String[]> queryPairs)
    {
        final Scratch scratch = SCRATCH.get().clear();
        final int size = queryPairs.size();
        if (size > scratch.order.length)
        {
            scratch.order = new int[size];
            scratch.names = new String[size];
        }
        final int[] order = scratch.order;
        final String[] names = scratch.names;
        int count = 0;
        for (int i = 0; i < size; i++)
        {
            final String name = queryPairs.get(i)[0];
            if ("auth_signature".equals(name))
            {
                continue;
            }
            final String lower = name.toLowerCase(Locale.ROOT);
            // insertion sort, stable: an equal name goes after the ones already placed
            int at = count;
            while (at > 0 && compareUtf8(names[at - 1], lower) > 0)
            {
                names[at] = names[at - 1];
                order[at] = order[at - 1];
                at--;
            }
            names[at] = lower;
            order[at] = i;
            count++;
        }
        scratch.append(method.toUpperCase(Locale.ROOT)).append('\n').append(path).append('\n');
        boolean first = true;
        for (int k = 0; k < count; k++)
        {
            if (k + 1 < count && names[k + 1].equals(names[k]))
            {
                continue; // a later pair with the same name wins
            }
            if (!first)
            {
                scratch.append('&');
            }
            first = false;
            scratch.append(names[k]).append('=').append(queryPairs.get(order[k])[1]);
        }
        Arrays.fill(names, 0, count, null);
        return scratch;
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

    private static String hex(final byte[] bytes, final int length)
    {
        final byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++)
        {
            out[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** Whether {@code hex} is the lowercase hex of {@code bytes[0, length)}, in time that depends on lengths only. */
    private static boolean hexEquals(final byte[] bytes, final int length, final String hex)
    {
        if (hex.length() != length * 2)
        {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < length; i++)
        {
            diff |= hex.charAt(2 * i) ^ HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            diff |= hex.charAt(2 * i + 1) ^ HEX_DIGITS[bytes[i] & 0xF];
        }
        return 0 == diff;
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
