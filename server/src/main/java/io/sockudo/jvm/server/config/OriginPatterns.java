package io.sockudo.jvm.server.config;

import java.util.List;

/**
 * Load-time validation of origin patterns ({@code allowed_origins}, {@code cors.origin}) and of HTTP token lists
 * ({@code cors.methods}, {@code cors.allowed_headers}).
 */
final class OriginPatterns
{
    private OriginPatterns()
    {
    }

    /**
     * Checks every pattern and throws naming {@code key[i]} for the first bad one.
     *
     * @param key      dotted config key or env var name, used in the message.
     * @param patterns the patterns.
     */
    static void validate(final String key, final List<String> patterns)
    {
        for (int i = 0; i < patterns.size(); i++)
        {
            final String pattern = patterns.get(i);
            final String problem = problem(pattern);
            if (null != problem)
            {
                throw new ConfigException(
                    key + "[" + i + "]: invalid origin pattern " + ConfigSection.describe(pattern) + ": " + problem);
            }
        }
    }

    /**
     * The reason a pattern is invalid, or null when it is valid.
     *
     * @param pattern the origin pattern.
     * @return the problem or null.
     */
    static String problem(final String pattern)
    {
        if (null == pattern || pattern.isEmpty())
        {
            return "pattern cannot be empty";
        }
        if ("*".equals(pattern) || "any".equalsIgnoreCase(pattern))
        {
            return null;
        }
        final int star = pattern.indexOf('*');
        if (star >= 0)
        {
            if (pattern.indexOf('*', star + 1) >= 0)
            {
                return "multiple wildcards not supported";
            }
            final String suffix = pattern.substring(star + 1);
            if (0 == star && suffix.startsWith("."))
            {
                final String domain = suffix.substring(1);
                if (domain.isEmpty())
                {
                    return "domain part cannot be empty in '*.domain' pattern";
                }
                if (domain.contains("..") || domain.startsWith(".") || domain.endsWith("."))
                {
                    return "invalid domain in wildcard pattern";
                }
            }
        }
        final int scheme = pattern.indexOf("://");
        if (scheme >= 0)
        {
            if (0 == scheme)
            {
                return "protocol cannot be empty";
            }
            if (pattern.length() == scheme + 3)
            {
                return "host part cannot be empty";
            }
        }
        return null;
    }

    /**
     * Whether the list allows every origin ({@code *} or {@code any}).
     *
     * @param patterns the patterns.
     * @return true if any entry is a wildcard.
     */
    static boolean allowsAny(final List<String> patterns)
    {
        for (int i = 0; i < patterns.size(); i++)
        {
            final String pattern = patterns.get(i);
            if ("*".equals(pattern) || "any".equalsIgnoreCase(pattern))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that every entry is a valid HTTP token (RFC 9110), as method and header names must be.
     *
     * @param key    dotted config key or env var name, used in the message.
     * @param tokens the names.
     */
    static void validateTokens(final String key, final List<String> tokens)
    {
        for (int i = 0; i < tokens.size(); i++)
        {
            final String token = tokens.get(i);
            if (!isToken(token))
            {
                throw new ConfigException(
                    key + "[" + i + "]: expected an HTTP token but was " + ConfigSection.describe(token));
            }
        }
    }

    private static boolean isToken(final String value)
    {
        if (null == value || value.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
