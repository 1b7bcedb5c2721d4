package io.sockudo.jvm.server.it;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pusher signatures computed independently of the server (spec pusher-v1 §3.3 and §5.2).
 */
public final class Sign
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sign()
    {
    }

    /**
     * Lowercase hex HMAC-SHA256.
     *
     * @param secret  the key.
     * @param message the signed text.
     * @return the hex digest.
     */
    public static String hmacHex(final String secret, final String message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Lowercase hex MD5 of the UTF-8 bytes.
     *
     * @param body the text.
     * @return the hex digest.
     */
    public static String md5Hex(final String body)
    {
        try
        {
            return hex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * {@code auth} value for a private channel.
     *
     * @param key      app key.
     * @param secret   app secret.
     * @param socketId the socket id.
     * @param channel  the channel.
     * @return {@code key:hex}.
     */
    public static String privateAuth(final String key, final String secret, final String socketId, final String channel)
    {
        return key + ":" + hmacHex(secret, socketId + ":" + channel);
    }

    /**
     * {@code auth} value for a presence channel.
     *
     * @param key         app key.
     * @param secret      app secret.
     * @param socketId    the socket id.
     * @param channel     the channel.
     * @param channelData the exact channel_data string.
     * @return {@code key:hex}.
     */
    public static String presenceAuth(
        final String key, final String secret, final String socketId, final String channel, final String channelData)
    {
        return key + ":" + hmacHex(secret, socketId + ":" + channel + ":" + channelData);
    }

    /**
     * {@code auth} value for a user signin.
     *
     * @param key      app key.
     * @param secret   app secret.
     * @param socketId the socket id.
     * @param userData the exact user_data string.
     * @return {@code key:hex}.
     */
    public static String signinAuth(final String key, final String secret, final String socketId, final String userData)
    {
        return key + ":" + hmacHex(secret, socketId + "::user::" + userData);
    }

    private static String hex(final byte[] bytes)
    {
        final char[] chars = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            chars[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
            chars[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(chars);
    }
}
