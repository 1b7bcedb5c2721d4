package io.sockudo.jvm.server.reactor;

import java.util.List;
import java.util.Locale;

/**
 * The per-app WebSocket origin allow-list of Sockudo 4.4.0 (ops-config "WS origin check"): case-insensitive;
 * {@code *} or {@code any} allow all; exact match; a pattern without scheme is compared with the origin's
 * host[:port]; {@code *.example.com} matches the bare domain and any subdomain; any other single-{@code *}
 * pattern is a prefix and suffix match on the whole origin.
 */
final class OriginMatcher
{
    private OriginMatcher()
    {
    }

    static boolean allowed(final List<String> patterns, final String originHeader)
    {
        if (patterns == null || patterns.isEmpty())
        {
            return true;
        }
        final String origin = originHeader == null ? "" : originHeader.toLowerCase(Locale.ROOT);
        final int schemeEnd = origin.indexOf("://");
        final String hostPart = schemeEnd >= 0 ? origin.substring(schemeEnd + 3) : origin;
        for (final String raw : patterns)
        {
            final String p = raw.toLowerCase(Locale.ROOT);
            if (p.equals("*") || p.equals("any"))
            {
                return true;
            }
            if (origin.isEmpty())
            {
                continue;
            }
            if (p.equals(origin))
            {
                return true;
            }
            final boolean hasScheme = p.contains("://");
            if (p.startsWith("*.") && !hasScheme)
            {
                final String domain = p.substring(2);
                final String host = stripPort(hostPart);
                if (host.equals(domain) || host.endsWith("." + domain))
                {
                    return true;
                }
                continue;
            }
            final int star = p.indexOf('*');
            if (star >= 0)
            {
                final String prefix = p.substring(0, star);
                final String suffix = p.substring(star + 1);
                final String target = hasScheme ? origin : hostPart;
                if (target.length() >= prefix.length() + suffix.length() && target.startsWith(prefix) &&
                    target.endsWith(suffix))
                {
                    return true;
                }
                continue;
            }
            if (!hasScheme && p.equals(hostPart))
            {
                return true;
            }
        }
        return false;
    }

    private static String stripPort(final String host)
    {
        final int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }
}
