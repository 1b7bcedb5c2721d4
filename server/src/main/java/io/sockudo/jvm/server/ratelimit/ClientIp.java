package io.sockudo.jvm.server.ratelimit;

/**
 * The client address a rate limit is keyed on. Proxy headers are trusted only when {@code trust_hops} is
 * configured (a decision of this project: 4.4.0 always trusts {@code X-Real-IP}, so any client could pick its
 * own key): then the {@code X-Forwarded-For} entry {@code trust_hops} positions from the right, else a valid
 * {@code X-Real-IP}; otherwise the socket's peer address.
 */
public final class ClientIp
{
    private ClientIp()
    {
    }

    /**
     * Resolves the client IP.
     *
     * @param peer socket peer address
     * @param forwardedFor {@code X-Forwarded-For} header or null
     * @param realIp {@code X-Real-IP} header or null
     * @param trustHops configured proxy hops, 0 = trust no header
     * @return the address to key on
     */
    public static String resolve(final String peer, final String forwardedFor, final String realIp,
        final int trustHops)
    {
        if (trustHops > 0)
        {
            if (forwardedFor != null)
            {
                final String[] parts = forwardedFor.split(",");
                final int index = parts.length - trustHops;
                if (index >= 0 && index < parts.length)
                {
                    final String candidate = parts[index].trim();
                    if (isIp(candidate))
                    {
                        return candidate;
                    }
                }
            }
            if (realIp != null && isIp(realIp.trim()))
            {
                return realIp.trim();
            }
        }
        return peer;
    }

    /** A literal IPv4 or IPv6 address (no DNS lookup). */
    static boolean isIp(final String s)
    {
        if (s.isEmpty() || s.length() > 45)
        {
            return false;
        }
        if (s.indexOf(':') >= 0)
        {
            for (int i = 0; i < s.length(); i++)
            {
                final char c = s.charAt(i);
                final boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!(c == ':' || c == '.' || hex))
                {
                    return false;
                }
            }
            return true;
        }
        final String[] octets = s.split("\\.", -1);
        if (octets.length != 4)
        {
            return false;
        }
        for (final String o : octets)
        {
            if (o.isEmpty() || o.length() > 3)
            {
                return false;
            }
            for (int i = 0; i < o.length(); i++)
            {
                if (o.charAt(i) < '0' || o.charAt(i) > '9')
                {
                    return false;
                }
            }
            if (Integer.parseInt(o) > 255)
            {
                return false;
            }
        }
        return true;
    }
}
