package io.sockudo.jvm.protocol.pusher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class PusherSignaturesTest
{
    static final String KEY = "app-key";
    static final String SECRET = "app-secret";
    static final String SOCKET_ID = "1234.5678";
    static final String POST_BODY =
        "{\"name\":\"my-event\",\"channel\":\"my-channel\",\"data\":\"{\\\"hello\\\":\\\"world\\\"}\"}";

    static List<String[]> pairs(final String... flat)
    {
        final List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < flat.length; i += 2)
        {
            pairs.add(new String[]{ flat[i], flat[i + 1] });
        }
        return pairs;
    }

    @Test
    void shouldSignPrivateChannelPerSpecVector()
    {
        assertEquals(
            "app-key:d7d4254b75e2b60944b91bc92e916d56da84c4835011f5aa3c59a8e7f6e8b65d",
            PusherSignatures.channelAuth(KEY, SECRET, SOCKET_ID, "private-foo", null));
    }

    @Test
    void shouldSignPresenceChannelWithChannelDataPerSpecVector()
    {
        assertEquals(
            "app-key:8da8a274fe7cf8f5bde5e8c764fe1c4e1df1e323b9e8ea3687d0055ef7502f6e",
            PusherSignatures.channelAuth(
                KEY, SECRET, SOCKET_ID, "presence-room", "{\"user_id\":\"u1\",\"user_info\":{\"name\":\"Alice\"}}"));
    }

    @Test
    void shouldUsePrivateFormWhenChannelDataIsEmpty()
    {
        assertEquals(
            PusherSignatures.channelAuth(KEY, SECRET, SOCKET_ID, "presence-room", null),
            PusherSignatures.channelAuth(KEY, SECRET, SOCKET_ID, "presence-room", ""));
        assertEquals(
            KEY + ":" + PusherSignatures.hmacSha256Hex(SECRET, SOCKET_ID + ":presence-room"),
            PusherSignatures.channelAuth(KEY, SECRET, SOCKET_ID, "presence-room", ""));
    }

    @Test
    void shouldSignUserSigninPerSpecVector()
    {
        assertEquals(
            "3d473cc356f847a3fe74d6659cf3f56160d2a5f6bee150d40bdcdbab6cc8aedb",
            PusherSignatures.signinSignature(SECRET, SOCKET_ID, "{\"id\":\"u1\"}"));
    }

    @Test
    void shouldComputeBodyMd5PerSpecVector()
    {
        assertEquals(
            "349c71b13ec8d76fc16325f273365ba5",
            PusherSignatures.md5Hex(POST_BODY.getBytes(StandardCharsets.UTF_8)));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", PusherSignatures.md5Hex(new byte[0]));
    }

    @Test
    void shouldBuildPostStringToSignAndSignaturePerSpecVector()
    {
        final List<String[]> query = pairs(
            "auth_key", KEY,
            "auth_timestamp", "1700000000",
            "auth_version", "1.0",
            "body_md5", "349c71b13ec8d76fc16325f273365ba5",
            "auth_signature", "ignored");

        assertEquals(
            "POST\n/apps/app-id/events\nauth_key=app-key&auth_timestamp=1700000000&auth_version=1.0" +
                "&body_md5=349c71b13ec8d76fc16325f273365ba5",
            PusherSignatures.apiStringToSign("post", "/apps/app-id/events", query));
        assertEquals(
            "7496137a76b0f3ca46fa2ca46e4d0aabeb67b5bc32181d60a42aa561a33b3e57",
            PusherSignatures.apiSignature(SECRET, "POST", "/apps/app-id/events", query));
    }

    @Test
    void shouldBuildGetStringToSignAndSignaturePerSpecVector()
    {
        final List<String[]> query = pairs(
            "info", "user_count",
            "filter_by_prefix", "presence-",
            "auth_version", "1.0",
            "auth_timestamp", "1700000000",
            "auth_key", KEY);

        assertEquals(
            "GET\n/apps/app-id/channels\nauth_key=app-key&auth_timestamp=1700000000&auth_version=1.0" +
                "&filter_by_prefix=presence-&info=user_count",
            PusherSignatures.apiStringToSign("GET", "/apps/app-id/channels", query));
        assertEquals(
            "fd5a1b38d92aee2b7913a8cf43136cffab888ee5a097536910d6239f08eb68a2",
            PusherSignatures.apiSignature(SECRET, "GET", "/apps/app-id/channels", query));
    }

    @Test
    void shouldLowerCaseKeysLetLastDuplicateWinAndSortByBytes()
    {
        final List<String[]> query = pairs(
            "b", "1", "A", "2", "a", "3", "Z", "z", "auth_signature", "x", "\uD83D\uDE00", "e", "\uFFFF", "f");

        assertEquals(
            "GET\n/p\na=3&b=1&z=z&\uFFFF=f&\uD83D\uDE00=e",
            PusherSignatures.apiStringToSign("GET", "/p", query));
    }

    @Test
    void shouldUseDecodedValuesWithoutReEncoding()
    {
        assertEquals(
            "GET\n/p\ninfo=a,b c",
            PusherSignatures.apiStringToSign("GET", "/p", pairs("info", "a,b c")));
    }

    @Test
    void shouldSignWithEmptySecretLikeAnEmptyHmacKey()
    {
        // RFC 4231-style known value: HMAC-SHA256 with an empty key over an empty message.
        assertEquals(
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
            PusherSignatures.hmacSha256Hex("", ""));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "abc, abc, true",
        "abc, abd, false",
        "abc, abcd, false",
        "'', '', true",
        "NULL, abc, false",
        "abc, NULL, false",
        "NULL, NULL, false",
    }, nullValues = "NULL")
    void shouldCompareInConstantTimeAndTreatNullAsMismatch(final String a, final String b, final boolean expected)
    {
        assertEquals(expected, PusherSignatures.constantTimeEquals(a, b));
    }

    @Test
    void shouldProduceLowercaseHex()
    {
        final String hex = PusherSignatures.hmacSha256Hex("k", "data");
        assertEquals(64, hex.length());
        assertTrue(hex.matches("[0-9a-f]{64}"));
        assertFalse(hex.equals(PusherSignatures.hmacSha256Hex("k2", "data")));
    }

    /** The rule of spec 5.2 written the plain way, to check the allocation-free builder against. */
    private static String referenceStringToSign(final String method, final String path, final List<String[]> pairs)
    {
        final java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>((a, b) -> java.util.Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        for (final String[] pair : pairs)
        {
            if (!"auth_signature".equals(pair[0]))
            {
                sorted.put(pair[0].toLowerCase(java.util.Locale.ROOT), pair[1]);
            }
        }
        final StringBuilder sb = new StringBuilder(method.toUpperCase(java.util.Locale.ROOT)).append('\n')
            .append(path).append('\n');
        for (final java.util.Map.Entry<String, String> e : sorted.entrySet())
        {
            sb.append(sb.charAt(sb.length() - 1) == '\n' ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    @Test
    void stringToSignAndSignatureChecksAgreeWithThePlainRuleOnRandomQueries()
    {
        final String[] names = { "auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature", "info",
            "Info", "INFO", "filter_by_prefix", "a", "b", "\u00e9t\u00e9", "z\uD83D\uDE00", "\uFFFD", "" };
        final String[] values = { "", "1", "1.0", "presence-", "user_count,subscription_count", "a b", "\u00fc",
            "\uD83D\uDE00", "x".repeat(300) };
        final java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2000; round++)
        {
            final List<String[]> query = new ArrayList<>();
            final int size = random.nextInt(20);
            for (int i = 0; i < size; i++)
            {
                query.add(new String[]{ names[random.nextInt(names.length)], values[random.nextInt(values.length)] });
            }
            final String method = random.nextBoolean() ? "post" : "GET";
            final String path = random.nextBoolean() ? "/apps/1/events" : "/apps/\u00e9/channels";
            final String expected = referenceStringToSign(method, path, query);
            assertEquals(expected, PusherSignatures.apiStringToSign(method, path, query), "round " + round);
            final String secret = random.nextBoolean() ? SECRET : "s\u00e9cret-" + round % 70;
            final String signature = PusherSignatures.hmacSha256Hex(secret, expected);
            assertEquals(signature, PusherSignatures.apiSignature(secret, method, path, query));
            assertTrue(PusherSignatures.apiSignatureMatches(secret, method, path, query, signature));
            final char flip = signature.charAt(63) == '0' ? '1' : '0';
            assertFalse(PusherSignatures.apiSignatureMatches(secret, method, path, query,
                signature.substring(0, 63) + flip));
            assertFalse(PusherSignatures.apiSignatureMatches(secret, method, path, query, signature.substring(1)));
            assertFalse(PusherSignatures.apiSignatureMatches(secret, method, path, query, null));
        }
    }

    @Test
    void md5HexEqualsOnlyForTheLowercaseDigest()
    {
        final byte[] body = POST_BODY.getBytes(StandardCharsets.UTF_8);
        final String md5 = PusherSignatures.md5Hex(body);
        assertTrue(PusherSignatures.md5HexEquals(body, md5));
        assertFalse(PusherSignatures.md5HexEquals(body, md5.toUpperCase(java.util.Locale.ROOT)));
        assertFalse(PusherSignatures.md5HexEquals(body, md5.substring(2)));
        assertFalse(PusherSignatures.md5HexEquals(new byte[0], md5));
        assertFalse(PusherSignatures.md5HexEquals(body, null));
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", PusherSignatures.md5Hex(new byte[0]));
    }
}
