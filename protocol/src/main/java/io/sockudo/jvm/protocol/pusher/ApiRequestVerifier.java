package io.sockudo.jvm.protocol.pusher;

import io.sockudo.jvm.protocol.http.QueryString;

import java.util.List;

/**
 * Checks the signature of an HTTP API request (spec {@code pusher-v1.md} section 5.2), in the spec's order: query
 * present, app by key, route app id, timestamp, body MD5, signature.
 * <p>
 * Choices where the spec is silent: a query with a malformed {@code %} escape is 400 {@code Invalid query string};
 * repeating any of {@code auth_key}, {@code auth_timestamp}, {@code auth_version}, {@code auth_signature} or
 * {@code body_md5} is 400; {@code auth_timestamp} is a signed decimal integer (optional {@code +}/{@code -}).
 */
public final class ApiRequestVerifier
{
    /**
     * Allowed clock skew between the request's {@code auth_timestamp} and the server clock, inclusive.
     */
    public static final long MAX_TIMESTAMP_SKEW_SECONDS = 600;

    private static final String INVALID_INPUT = "invalid_input";
    private static final String AUTH_FAILED = "auth_failed";
    private static final String APP_NOT_FOUND = "app_not_found";
    private static final String[] AUTH_PARAMS =
    {
        "auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5"
    };

    private ApiRequestVerifier()
    {
    }

    /**
     * Verifies one HTTP API request.
     *
     * @param method                 the HTTP method as sent.
     * @param rawPathAfterSlashStrip the raw (not percent-decoded) path with one trailing {@code /} stripped.
     * @param rawQuery               the raw query string after {@code ?}, or null when there was no {@code ?}.
     * @param body                   the raw request body, never null.
     * @param routeAppId             the {@code {appId}} of an {@code /apps/{appId}/...} route, or null.
     * @param nowSeconds             the wall clock in seconds since the epoch.
     * @param lookup                 finds applications by key.
     * @return the outcome; {@link ApiAuthResult#ok()} when the request is authentic.
     */
    public static ApiAuthResult verify(
        final String method,
        final String rawPathAfterSlashStrip,
        final String rawQuery,
        final byte[] body,
        final String routeAppId,
        final long nowSeconds,
        final ApiKeyLookup lookup)
    {
        if (null == rawQuery)
        {
            return error(400, INVALID_INPUT, "Missing authentication query parameters", null);
        }
        final List<String[]> pairs = QueryString.parse(rawQuery);
        if (null == pairs)
        {
            return error(400, INVALID_INPUT, "Invalid query string", null);
        }
        if (pairs.isEmpty())
        {
            return error(400, INVALID_INPUT, "Missing authentication query parameters", null);
        }
        for (final String param : AUTH_PARAMS)
        {
            if (count(pairs, param) > 1)
            {
                return error(400, INVALID_INPUT, "Duplicate authentication query parameter: " + param, null);
            }
        }

        final String key = QueryString.first(pairs, "auth_key");
        final ApiCredentials app = lookup.find(null == key ? "" : key);
        if (null == app)
        {
            return error(404, APP_NOT_FOUND, "Application key not found or invalid: Invalid app key", null);
        }
        if (null != routeAppId && !routeAppId.equals(app.appId()))
        {
            return error(401, AUTH_FAILED, "Authenticated app does not match route app_id", app);
        }

        final String timestamp = QueryString.first(pairs, "auth_timestamp");
        if (null == timestamp)
        {
            return error(401, AUTH_FAILED, "auth_timestamp is missing", app);
        }
        if (!isInteger(timestamp))
        {
            return error(401, AUTH_FAILED, "Invalid auth_timestamp format", app);
        }
        final long ts = parseInteger(timestamp);
        if (ts == Long.MIN_VALUE ||
            ts < nowSeconds - MAX_TIMESTAMP_SKEW_SECONDS ||
            ts > nowSeconds + MAX_TIMESTAMP_SKEW_SECONDS)
        {
            return error(401, AUTH_FAILED, "Timestamp expired or too far in the future", app);
        }

        final String bodyMd5 = QueryString.first(pairs, "body_md5");
        if ("POST".equalsIgnoreCase(method))
        {
            if (null == bodyMd5 || bodyMd5.isEmpty())
            {
                return error(401, AUTH_FAILED, "body_md5 is required and must be non-empty for POST requests", app);
            }
            if (!PusherSignatures.md5HexEquals(body, bodyMd5))
            {
                return error(401, AUTH_FAILED, "body_md5 mismatch", app);
            }
        }
        else if (null != bodyMd5)
        {
            return error(401, AUTH_FAILED, "body_md5 must not be present in query parameters for GET requests", app);
        }

        if (!PusherSignatures.apiSignatureMatches(app.secret(), method, rawPathAfterSlashStrip, pairs,
            QueryString.first(pairs, "auth_signature")))
        {
            return error(401, AUTH_FAILED, "Invalid API signature", app);
        }

        return new ApiAuthResult(200, null, null, app);
    }

    private static ApiAuthResult error(
        final int status, final String code, final String message, final ApiCredentials app)
    {
        return new ApiAuthResult(status, code, message, app);
    }

    private static int count(final List<String[]> pairs, final String name)
    {
        int count = 0;
        for (int i = 0, size = pairs.size(); i < size; i++)
        {
            if (name.equals(pairs.get(i)[0]))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * A decimal integer with an optional sign that fits in a long.
     */
    private static boolean isInteger(final String s)
    {
        final int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        return s.length() > start && allDigits(s, start);
    }

    private static boolean allDigits(final String s, final int start)
    {
        for (int i = start; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a string accepted by {@link #isInteger}; values beyond 18 digits map to {@link Long#MIN_VALUE}, which
     * the caller treats as out of range.
     */
    private static long parseInteger(final String s)
    {
        final boolean negative = s.charAt(0) == '-';
        final int start = s.charAt(0) == '+' || negative ? 1 : 0;
        if (s.length() - start > 18)
        {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = start; i < s.length(); i++)
        {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return negative ? -value : value;
    }
}
