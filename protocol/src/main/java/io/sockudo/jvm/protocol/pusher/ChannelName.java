package io.sockudo.jvm.protocol.pusher;

import java.util.List;

/**
 * Channel-name classification and validation (spec {@code pusher-v1.md} sections 3.1 and 3.2, with the project's
 * decisions).
 * <p>
 * Deliberate deviations from Sockudo 4.4.0, listed in {@code docs/compatibility.md}:
 * <ul>
 *     <li>cache channels are recognised by the anchored prefixes {@code private-encrypted-cache-},
 *     {@code private-cache-}, {@code presence-cache-} and {@code cache-} only, layered on the underlying type (4.4.0
 *     matches {@code cache-} anywhere and then skips the private signature check);</li>
 *     <li>{@code private-encrypted-foo} is {@link ChannelType#PRIVATE_ENCRYPTED} (4.4.0 only treats the exact name
 *     {@code private-encrypted} so);</li>
 *     <li>the allowed characters are Pusher's set plus Sockudo's {@code :} and {@code #}, so {@code ,} and {@code ;}
 *     are accepted (4.4.0 rejects them);</li>
 *     <li>an empty name is rejected (4.4.0 accepts it).</li>
 * </ul>
 */
public final class ChannelName
{
    /**
     * Default maximum channel-name length in bytes when neither namespace nor app sets one.
     */
    public static final int DEFAULT_MAX_LENGTH = 200;

    /**
     * Prefix of the channels that deliver server-to-user events ({@code #server-to-user-{userId}}).
     */
    public static final String SERVER_TO_USER_PREFIX = "#server-to-user-";

    private static final String PRIVATE_ENCRYPTED_CACHE = "private-encrypted-cache-";
    private static final String PRIVATE_CACHE = "private-cache-";
    private static final String PRESENCE_CACHE = "presence-cache-";
    private static final String CACHE = "cache-";
    private static final String PRIVATE_ENCRYPTED = "private-encrypted-";
    private static final String PRIVATE = "private-";
    private static final String PRESENCE = "presence-";

    /**
     * Type prefixes stripped to find the logical name, in the order they are tried (spec protocol-v2 6.2).
     */
    private static final String[] TYPE_PREFIXES =
    {
        PRIVATE_ENCRYPTED_CACHE, PRIVATE_CACHE, PRESENCE_CACHE, CACHE, PRIVATE_ENCRYPTED, PRESENCE, PRIVATE
    };

    private static final boolean[] ALLOWED = new boolean[128];

    static
    {
        for (int c = 'a'; c <= 'z'; c++)
        {
            ALLOWED[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++)
        {
            ALLOWED[c] = true;
        }
        for (int c = '0'; c <= '9'; c++)
        {
            ALLOWED[c] = true;
        }
        final String punctuation = "-_=@,.;:#";
        for (int i = 0; i < punctuation.length(); i++)
        {
            ALLOWED[punctuation.charAt(i)] = true;
        }
    }

    private ChannelName()
    {
    }

    /**
     * The underlying type of a channel; cache prefixes are looked through ({@code private-cache-x} is
     * {@link ChannelType#PRIVATE}).
     *
     * @param name the channel name.
     * @return its type; {@link ChannelType#PUBLIC} for anything without a private, encrypted or presence prefix.
     */
    public static ChannelType type(final String name)
    {
        if (name.startsWith(PRIVATE_ENCRYPTED_CACHE) || name.startsWith(PRIVATE_ENCRYPTED))
        {
            return ChannelType.PRIVATE_ENCRYPTED;
        }
        if (name.startsWith(PRIVATE_CACHE) || name.startsWith(PRIVATE))
        {
            return ChannelType.PRIVATE;
        }
        if (name.startsWith(PRESENCE_CACHE) || name.startsWith(PRESENCE))
        {
            return ChannelType.PRESENCE;
        }
        return ChannelType.PUBLIC;
    }

    /**
     * Whether the channel is a cache channel (anchored prefix {@code cache-}, {@code private-cache-},
     * {@code private-encrypted-cache-} or {@code presence-cache-}).
     *
     * @param name the channel name.
     * @return true for a cache channel.
     */
    public static boolean isCache(final String name)
    {
        return name.startsWith(CACHE) ||
            name.startsWith(PRIVATE_CACHE) ||
            name.startsWith(PRIVATE_ENCRYPTED_CACHE) ||
            name.startsWith(PRESENCE_CACHE);
    }

    /**
     * Whether subscribing needs an {@code auth} signature: private, private-encrypted and presence channels, including
     * their cache variants.
     *
     * @param name the channel name.
     * @return true when a signature is required.
     */
    public static boolean requiresAuth(final String name)
    {
        return type(name) != ChannelType.PUBLIC;
    }

    /**
     * Whether the channel is a presence channel ({@code presence-} or {@code presence-cache-}).
     *
     * @param name the channel name.
     * @return true for a presence channel.
     */
    public static boolean isPresence(final String name)
    {
        return name.startsWith(PRESENCE);
    }

    /**
     * Whether the channel is a server-to-user channel ({@code #server-to-user-{userId}}).
     *
     * @param name the channel name.
     * @return true when the name starts with {@link #SERVER_TO_USER_PREFIX}.
     */
    public static boolean isServerToUser(final String name)
    {
        return name.startsWith(SERVER_TO_USER_PREFIX);
    }

    /**
     * The user id of a server-to-user channel.
     *
     * @param name the channel name.
     * @return the text after {@link #SERVER_TO_USER_PREFIX}, or null when the name does not start with it.
     */
    public static String serverToUserId(final String name)
    {
        return isServerToUser(name) ? name.substring(SERVER_TO_USER_PREFIX.length()) : null;
    }

    /**
     * Validates a channel name for subscribe, HTTP publish and HTTP channel queries. Checks run in this order: empty,
     * length, characters, namespace (unknown namespace, user-limited syntax, pattern).
     * <p>
     * The logical name is the name with its type prefix stripped and any {@code #...} suffix removed. When it contains
     * {@code :} after a non-empty namespace part, that namespace must be configured. A {@code #} that is not the first
     * character of the stripped name marks a user-limited channel, which a namespace must allow; without a namespace
     * no rule applies to it. Names whose stripped form starts with {@code #} (e.g. {@code #server-to-user-u1}) have no
     * namespace.
     *
     * @param name         the channel name, may be null (treated as empty).
     * @param appMaxLength the app's {@code max_channel_name_length}; 0 or less means the default of 200.
     * @param namespaces   the app's namespaces, may be null or empty.
     * @return null when valid, else the error message without the {@code Channel error: } prefix.
     */
    public static String validate(final String name, final int appMaxLength, final List<ChannelNamespace> namespaces)
    {
        if (null == name || name.isEmpty())
        {
            return "Channel name cannot be empty";
        }

        final String stripped = name.substring(typePrefixLength(name));
        final int hashIndex = stripped.indexOf('#');
        final String logical = hashIndex < 0 ? stripped : stripped.substring(0, hashIndex);
        final int colonIndex = logical.indexOf(':');
        final String namespaceName = colonIndex > 0 ? logical.substring(0, colonIndex) : null;
        final ChannelNamespace namespace = null == namespaceName ? null : findNamespace(namespaces, namespaceName);

        int maxLength = DEFAULT_MAX_LENGTH;
        if (null != namespace && namespace.maxChannelNameLength() > 0)
        {
            maxLength = namespace.maxChannelNameLength();
        }
        else if (appMaxLength > 0)
        {
            maxLength = appMaxLength;
        }
        if (utf8Length(name) > maxLength)
        {
            return "Channel name too long. Max length is " + maxLength;
        }

        for (int i = 0, length = name.length(); i < length; i++)
        {
            final char c = name.charAt(i);
            if (c >= ALLOWED.length || !ALLOWED[c])
            {
                return "Channel name contains invalid characters: " + name;
            }
        }

        if (null != namespaceName)
        {
            if (null == namespace)
            {
                return "Unknown channel namespace '" + namespaceName + "'";
            }
            if (hashIndex > 0 && !namespace.allowUserLimitedChannels())
            {
                return "User-limited channels are not allowed in namespace '" + namespaceName + "'";
            }
            if (null != namespace.channelNamePattern() && !namespace.channelNamePattern().matcher(logical).find())
            {
                return "Channel name '" + logical + "' does not match namespace pattern";
            }
        }

        return null;
    }

    private static int typePrefixLength(final String name)
    {
        for (final String prefix : TYPE_PREFIXES)
        {
            if (name.startsWith(prefix))
            {
                return prefix.length();
            }
        }
        return 0;
    }

    private static ChannelNamespace findNamespace(final List<ChannelNamespace> namespaces, final String name)
    {
        if (null == namespaces)
        {
            return null;
        }
        for (int i = 0, size = namespaces.size(); i < size; i++)
        {
            final ChannelNamespace namespace = namespaces.get(i);
            if (name.equals(namespace.name()))
            {
                return namespace;
            }
        }
        return null;
    }

    private static int utf8Length(final String s)
    {
        int bytes = 0;
        for (int i = 0, length = s.length(); i < length; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }
}
