package io.sockudo.jvm.protocol.pusher;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import io.sockudo.jvm.protocol.http.QueryString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@Timeout(10)
class ApiRequestVerifierTest
{
    private static final long NOW = 1_700_000_000L;
    private static final ApiCredentials APP = new ApiCredentials("app-id", "app-key", "app-secret");
    private static final ApiKeyLookup LOOKUP = key -> APP.key().equals(key) ? APP : null;
    private static final String EVENTS = "/apps/app-id/events";
    private static final String CHANNELS = "/apps/app-id/channels";
    private static final byte[] BODY = PusherSignaturesTest.POST_BODY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY = new byte[0];
    private static final String BODY_MD5 = "349c71b13ec8d76fc16325f273365ba5";
    private static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    /**
     * Appends a valid auth_signature for the given method, path and unsigned query.
     */
    private static String signed(final String method, final String path, final String query)
    {
        final String signature = PusherSignatures.apiSignature(APP.secret(), method, path, QueryString.parse(query));
        return query + "&auth_signature=" + signature;
    }

    private static String base(final long ts)
    {
        return "auth_key=app-key&auth_timestamp=" + ts + "&auth_version=1.0";
    }

    private static ApiAuthResult verify(
        final String method, final String path, final String query, final byte[] body, final String routeAppId)
    {
        return ApiRequestVerifier.verify(method, path, query, body, routeAppId, NOW, LOOKUP);
    }

    @Test
    void shouldAcceptSpecPostVector()
    {
        final String query = base(NOW) + "&body_md5=" + BODY_MD5 +
            "&auth_signature=7496137a76b0f3ca46fa2ca46e4d0aabeb67b5bc32181d60a42aa561a33b3e57";

        final ApiAuthResult result = verify("POST", EVENTS, query, BODY, "app-id");

        assertTrue(result.ok());
        assertEquals(200, result.status());
        assertNull(result.code());
        assertNull(result.message());
        assertSame(APP, result.app());
    }

    @Test
    void shouldAcceptSpecGetVector()
    {
        final String query = "filter_by_prefix=presence-&info=user_count&" + base(NOW) +
            "&auth_signature=fd5a1b38d92aee2b7913a8cf43136cffab888ee5a097536910d6239f08eb68a2";

        assertTrue(verify("GET", CHANNELS, query, EMPTY, "app-id").ok());
    }

    @Test
    void shouldAcceptRouteWithoutAppId()
    {
        assertTrue(verify("GET", "/usage", signed("GET", "/usage", base(NOW)), EMPTY, null).ok());
    }

    static Stream<Arguments> rejections()
    {
        final String postOk = base(NOW) + "&body_md5=" + BODY_MD5;
        return Stream.of(
            arguments("no query", "GET", CHANNELS, null, EMPTY,
                400, "invalid_input", "Missing authentication query parameters"),
            arguments("empty query", "GET", CHANNELS, "", EMPTY,
                400, "invalid_input", "Missing authentication query parameters"),
            arguments("query of empty pieces", "GET", CHANNELS, "&&", EMPTY,
                400, "invalid_input", "Missing authentication query parameters"),
            arguments("malformed escape", "GET", CHANNELS, base(NOW) + "&x=%G1", EMPTY,
                400, "invalid_input", "Invalid query string"),
            arguments("duplicate auth_key", "GET", CHANNELS, base(NOW) + "&auth_key=app-key", EMPTY,
                400, "invalid_input", "Duplicate authentication query parameter: auth_key"),
            arguments("duplicate auth_timestamp", "GET", CHANNELS, base(NOW) + "&auth_timestamp=1", EMPTY,
                400, "invalid_input", "Duplicate authentication query parameter: auth_timestamp"),
            arguments("duplicate auth_signature", "GET", CHANNELS, base(NOW) + "&auth_signature=a&auth_signature=b",
                EMPTY, 400, "invalid_input", "Duplicate authentication query parameter: auth_signature"),
            arguments("unknown key", "GET", CHANNELS, "auth_key=nope&auth_timestamp=" + NOW, EMPTY,
                404, "app_not_found", "Application key not found or invalid: Invalid app key"),
            arguments("missing key", "GET", CHANNELS, "auth_timestamp=" + NOW, EMPTY,
                404, "app_not_found", "Application key not found or invalid: Invalid app key"),
            arguments("route app mismatch", "GET", "/apps/other/channels",
                signed("GET", "/apps/other/channels", base(NOW)), EMPTY,
                401, "auth_failed", "Authenticated app does not match route app_id"),
            arguments("timestamp missing", "GET", CHANNELS, "auth_key=app-key", EMPTY,
                401, "auth_failed", "auth_timestamp is missing"),
            arguments("timestamp not a number", "GET", CHANNELS, "auth_key=app-key&auth_timestamp=12a", EMPTY,
                401, "auth_failed", "Invalid auth_timestamp format"),
            arguments("timestamp empty", "GET", CHANNELS, "auth_key=app-key&auth_timestamp=", EMPTY,
                401, "auth_failed", "Invalid auth_timestamp format"),
            arguments("timestamp 601 s old", "GET", CHANNELS, signed("GET", CHANNELS, base(NOW - 601)), EMPTY,
                401, "auth_failed", "Timestamp expired or too far in the future"),
            arguments("timestamp 601 s ahead", "GET", CHANNELS, signed("GET", CHANNELS, base(NOW + 601)), EMPTY,
                401, "auth_failed", "Timestamp expired or too far in the future"),
            arguments("timestamp overflowing", "GET", CHANNELS,
                "auth_key=app-key&auth_timestamp=99999999999999999999999", EMPTY,
                401, "auth_failed", "Timestamp expired or too far in the future"),
            arguments("POST without body_md5", "POST", EVENTS, signed("POST", EVENTS, base(NOW)), BODY,
                401, "auth_failed", "body_md5 is required and must be non-empty for POST requests"),
            arguments("POST with empty body and no body_md5", "POST", EVENTS, signed("POST", EVENTS, base(NOW)),
                EMPTY, 401, "auth_failed", "body_md5 is required and must be non-empty for POST requests"),
            arguments("POST with empty body_md5", "POST", EVENTS,
                signed("POST", EVENTS, base(NOW) + "&body_md5="), EMPTY,
                401, "auth_failed", "body_md5 is required and must be non-empty for POST requests"),
            arguments("POST body_md5 mismatch", "POST", EVENTS,
                signed("POST", EVENTS, base(NOW) + "&body_md5=" + EMPTY_MD5), BODY,
                401, "auth_failed", "body_md5 mismatch"),
            arguments("POST body_md5 upper case", "POST", EVENTS,
                signed("POST", EVENTS, base(NOW) + "&body_md5=" + BODY_MD5.toUpperCase()), BODY,
                401, "auth_failed", "body_md5 mismatch"),
            arguments("GET with body_md5", "GET", CHANNELS,
                signed("GET", CHANNELS, base(NOW) + "&body_md5=" + EMPTY_MD5), EMPTY,
                401, "auth_failed", "body_md5 must not be present in query parameters for GET requests"),
            arguments("signature missing", "GET", CHANNELS, base(NOW), EMPTY,
                401, "auth_failed", "Invalid API signature"),
            arguments("signature wrong", "POST", EVENTS, postOk + "&auth_signature=00", BODY,
                401, "auth_failed", "Invalid API signature"),
            arguments("signature upper case", "GET", CHANNELS, upperCaseSignature(signed("GET", CHANNELS, base(NOW))),
                EMPTY, 401, "auth_failed", "Invalid API signature"),
            arguments("signed for another path", "GET", CHANNELS,
                signed("GET", CHANNELS + "/", base(NOW)), EMPTY,
                401, "auth_failed", "Invalid API signature"),
            arguments("signed for another method", "DELETE", CHANNELS,
                signed("GET", CHANNELS, base(NOW)), EMPTY,
                401, "auth_failed", "Invalid API signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void shouldRejectWithSpecStatusAndMessage(
        final String description,
        final String method,
        final String path,
        final String query,
        final byte[] body,
        final int status,
        final String code,
        final String message)
    {
        final ApiAuthResult result = verify(method, path, query, body, routeOf(path));

        assertFalse(result.ok());
        assertEquals(status, result.status());
        assertEquals(code, result.code());
        assertEquals(message, result.message());
    }

    private static String upperCaseSignature(final String query)
    {
        final int at = query.indexOf("auth_signature=") + "auth_signature=".length();
        return query.substring(0, at) + query.substring(at).toUpperCase();
    }

    private static String routeOf(final String path)
    {
        final String[] parts = path.split("/");
        return parts.length > 2 && "apps".equals(parts[1]) ? parts[2] : null;
    }

    @ParameterizedTest(name = "skew {0}")
    @ValueSource(longs = { -600, -599, 0, 599, 600 })
    void shouldAcceptTimestampWithinSixHundredSeconds(final long skew)
    {
        assertTrue(verify("GET", CHANNELS, signed("GET", CHANNELS, base(NOW + skew)), EMPTY, "app-id").ok());
    }

    @Test
    void shouldAcceptPostWithEmptyBodyAndEmptyBodyMd5Hash()
    {
        final String query = signed("POST", EVENTS, base(NOW) + "&body_md5=" + EMPTY_MD5);

        assertTrue(verify("POST", EVENTS, query, EMPTY, "app-id").ok());
    }

    @Test
    void shouldSignLowerCasedMethodAsUpperCase()
    {
        final String query = signed("POST", EVENTS, base(NOW) + "&body_md5=" + BODY_MD5);

        assertTrue(verify("post", EVENTS, query, BODY, "app-id").ok());
    }

    @Test
    void shouldSignDecodedEndpointParameters()
    {
        final String unsigned = base(NOW) + "&info=user_count%2Csubscription_count&filter_by_prefix=presence-";
        final String query = signed("GET", CHANNELS, unsigned);

        assertTrue(verify("GET", CHANNELS, query, EMPTY, "app-id").ok());
        assertTrue(verify("GET", CHANNELS, query.replace("%2C", "%2c"), EMPTY, "app-id").ok());
        assertFalse(verify("GET", CHANNELS, query.replace("%2C", "%2B"), EMPTY, "app-id").ok());
    }

    @Test
    void shouldReturnAppOnFailuresAfterLookup()
    {
        final ApiAuthResult result = verify("GET", CHANNELS, base(NOW), EMPTY, "app-id");

        assertSame(APP, result.app());
    }
}
