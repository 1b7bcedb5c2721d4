package io.sockudo.jvm.server.annotation;

import java.util.List;
import java.util.Map;

/**
 * Capability checks of the annotation routes (spec 5.1 to 5.3), and the one channel-pattern rule every capability
 * check of the server uses. Keys are looked up in underscore spelling, then hyphenated. Absent annotation lists deny;
 * absent {@code subscribe}/{@code publish} lists allow.
 */
public final class Capabilities
{
    static final String PUBLISH = "publish";
    static final String SUBSCRIBE = "subscribe";
    static final String PRESENCE = "presence";
    static final String ANNOTATION_PUBLISH = "annotation_publish";
    static final String ANNOTATION_SUBSCRIBE = "annotation_subscribe";
    static final String ANNOTATION_DELETE_OWN = "annotation_delete_own";
    static final String ANNOTATION_DELETE_ANY = "annotation_delete_any";

    private Capabilities()
    {
    }

    static List<String> list(final Map<String, List<String>> capabilities, final String key)
    {
        final List<String> list = capabilities.get(key);
        return list != null ? list : capabilities.get(key.replace('_', '-'));
    }

    /**
     * Whether a list grants a channel; a null list grants nothing.
     *
     * @param patterns the patterns.
     * @param channel  the channel.
     * @return true if any pattern matches.
     */
    public static boolean matchesAny(final List<String> patterns, final String channel)
    {
        if (patterns == null)
        {
            return false;
        }
        for (int i = 0; i < patterns.size(); i++)
        {
            if (matches(patterns.get(i), channel))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Pattern rule of spec 5.1: {@code *}; an exact name; a trailing {@code *} (prefix, other stars literal); a leading
     * {@code *} (suffix); exactly one inner {@code *} (prefix and suffix, which may overlap); anything else never.
     *
     * @param pattern the pattern.
     * @param channel the channel.
     * @return true on a match.
     */
    static boolean matches(final String pattern, final String channel)
    {
        if (pattern.equals("*") || pattern.equals(channel))
        {
            return true;
        }
        if (pattern.endsWith("*"))
        {
            return channel.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*"))
        {
            return channel.endsWith(pattern.substring(1));
        }
        final int star = pattern.indexOf('*');
        if (star < 0 || pattern.indexOf('*', star + 1) >= 0)
        {
            return false;
        }
        return channel.startsWith(pattern.substring(0, star)) && channel.endsWith(pattern.substring(star + 1));
    }

    static boolean canPublish(final Map<String, List<String>> capabilities, final String channel)
    {
        if (capabilities == null)
        {
            return false;
        }
        final List<String> publish = list(capabilities, PUBLISH);
        return (publish == null || matchesAny(publish, channel)) &&
            matchesAny(list(capabilities, ANNOTATION_PUBLISH), channel);
    }

    static boolean canSubscribeRaw(final Map<String, List<String>> capabilities, final String channel)
    {
        if (capabilities == null)
        {
            return false;
        }
        List<String> subscribe = null;
        if (channel.startsWith("presence-"))
        {
            subscribe = list(capabilities, PRESENCE);
        }
        if (subscribe == null)
        {
            subscribe = list(capabilities, SUBSCRIBE);
        }
        return (subscribe == null || matchesAny(subscribe, channel)) &&
            matchesAny(list(capabilities, ANNOTATION_SUBSCRIBE), channel);
    }

    static boolean canDeleteAny(final Map<String, List<String>> capabilities, final String channel)
    {
        return capabilities != null && matchesAny(list(capabilities, ANNOTATION_DELETE_ANY), channel);
    }

    static boolean canDeleteOwn(final Map<String, List<String>> capabilities, final String channel)
    {
        return capabilities != null && matchesAny(list(capabilities, ANNOTATION_DELETE_OWN), channel);
    }
}
