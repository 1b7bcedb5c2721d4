package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.server.config.CorsConfig;

import java.util.List;

/**
 * CORS for the HTTP API ({@code [cors]}, ops-config section 4): an origin list containing {@code *} or
 * {@code any} allows every origin (credentials off); otherwise a request's {@code Origin} is matched with the
 * same rules as the WebSocket origin check and echoed back when allowed. A disallowed origin gets no CORS
 * headers, so the browser blocks the response.
 */
final class CorsPolicy
{
    private final boolean allowAll;
    private final List<String> origins;
    private final boolean credentials;
    private final String methods;
    private final String headers;

    CorsPolicy(final CorsConfig config)
    {
        boolean all = false;
        for (final String o : config.origin)
        {
            all |= o.equals("*") || o.equalsIgnoreCase("any");
        }
        this.allowAll = all;
        this.origins = config.origin;
        this.credentials = config.credentials && !all;
        this.methods = String.join(", ", config.methods);
        this.headers = String.join(", ", config.allowedHeaders);
    }

    /**
     * Adds the CORS response headers for a request's Origin.
     *
     * @param origin the request's Origin header, or null
     * @param preflight true for an OPTIONS preflight
     * @param out name/value pairs to append to
     * @return true when the origin is allowed (or absent)
     */
    boolean addHeaders(final String origin, final boolean preflight, final List<String> out)
    {
        if (origin == null)
        {
            return true;
        }
        if (allowAll)
        {
            out.add("Access-Control-Allow-Origin");
            out.add("*");
        }
        else if (!origins.isEmpty() && OriginMatcher.allowed(origins, origin))
        {
            out.add("Access-Control-Allow-Origin");
            out.add(origin);
            out.add("Vary");
            out.add("Origin");
            if (credentials)
            {
                out.add("Access-Control-Allow-Credentials");
                out.add("true");
            }
        }
        else
        {
            return false;
        }
        if (preflight)
        {
            out.add("Access-Control-Allow-Methods");
            out.add(methods);
            out.add("Access-Control-Allow-Headers");
            out.add(headers);
            out.add("Access-Control-Max-Age");
            out.add("86400");
        }
        return true;
    }
}
