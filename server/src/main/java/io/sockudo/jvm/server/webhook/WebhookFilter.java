package io.sockudo.jvm.server.webhook;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code filter} of one webhook: channel prefix, suffix, regular expression (found anywhere in the name) and
 * namespace(s), all optional and ANDed. Immutable.
 */
public final class WebhookFilter
{
    /** A filter that lets every channel through. */
    public static final WebhookFilter ALL = new WebhookFilter(null, null, null, null, null);

    /** Type prefixes stripped before the namespace is read, in the order they are tried. */
    private static final String[] TYPE_PREFIXES =
    {
        "private-encrypted-cache-", "private-cache-", "presence-cache-", "cache-", "private-encrypted-",
        "presence-", "private-"
    };

    private final String prefix;
    private final String suffix;
    private final Pattern pattern;
    private final String namespace;
    private final List<String> namespaces;

    /**
     * Creates a filter; null parts are not checked.
     *
     * @param prefix     {@code channel_prefix}: the name must start with it.
     * @param suffix     {@code channel_suffix}: the name must end with it.
     * @param pattern    {@code channel_pattern}: must be found in the name (unanchored).
     * @param namespace  {@code channel_namespace}: the channel's namespace must equal it.
     * @param namespaces {@code channel_namespaces}: the channel's namespace must be one of them.
     */
    public WebhookFilter(final String prefix, final String suffix, final Pattern pattern, final String namespace,
        final List<String> namespaces)
    {
        this.prefix = prefix;
        this.suffix = suffix;
        this.pattern = pattern;
        this.namespace = namespace;
        this.namespaces = null == namespaces ? null : List.copyOf(namespaces);
    }

    /**
     * Whether a channel passes every part of the filter.
     *
     * @param channel the channel name.
     * @return true when it passes.
     */
    public boolean matches(final String channel)
    {
        if (null != prefix && !channel.startsWith(prefix))
        {
            return false;
        }
        if (null != suffix && !channel.endsWith(suffix))
        {
            return false;
        }
        if (null != pattern && !pattern.matcher(channel).find())
        {
            return false;
        }
        if (null != namespace || null != namespaces)
        {
            final String ns = namespaceOf(channel);
            if (null == ns)
            {
                return false;
            }
            if (null != namespace && !namespace.equals(ns))
            {
                return false;
            }
            if (null != namespaces && !namespaces.contains(ns))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The namespace of a channel: after the first matching type prefix ({@code private-encrypted-cache-},
     * {@code private-cache-}, {@code presence-cache-}, {@code cache-}, {@code private-encrypted-},
     * {@code presence-}, {@code private-}) is stripped, the text before the first {@code :}.
     *
     * @param channel the channel name.
     * @return the namespace, or null when the name has none (no {@code :}, or nothing before it).
     */
    public static String namespaceOf(final String channel)
    {
        int start = 0;
        for (final String typePrefix : TYPE_PREFIXES)
        {
            if (channel.startsWith(typePrefix))
            {
                start = typePrefix.length();
                break;
            }
        }
        final int colon = channel.indexOf(':', start);
        return colon <= start ? null : channel.substring(start, colon);
    }
}
