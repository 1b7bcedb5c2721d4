package io.sockudo.jvm.server.webhook;

/**
 * The webhook event types of Pusher and Sockudo 4.4.0, with the names used in {@code event_types} and in
 * the {@code name} of each event object.
 */
public enum WebhookEventType
{
    /** A channel went from 0 to 1 socket. */
    CHANNEL_OCCUPIED("channel_occupied"),
    /** A channel became empty (sent after the removal delay, if still empty). */
    CHANNEL_VACATED("channel_vacated"),
    /** A user's first socket joined a presence channel. */
    MEMBER_ADDED("member_added"),
    /** A user's last socket left a presence channel (sent after the removal delay, if still gone). */
    MEMBER_REMOVED("member_removed"),
    /** A client event was relayed. */
    CLIENT_EVENT("client_event"),
    /** A socket subscribed to a cache channel with nothing cached. */
    CACHE_MISS("cache_miss"),
    /** The socket count of a non-presence channel changed. */
    SUBSCRIPTION_COUNT("subscription_count");

    /** Mask with every type's bit. */
    public static final int ALL = (1 << 7) - 1;

    private static final WebhookEventType[] VALUES = values();

    private final String wireName;

    WebhookEventType(final String wireName)
    {
        this.wireName = wireName;
    }

    /**
     * The name on the wire and in {@code event_types}.
     *
     * @return e.g. {@code channel_occupied}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * This type's bit in an event-type mask.
     *
     * @return {@code 1 << ordinal()}.
     */
    public int mask()
    {
        return 1 << ordinal();
    }

    /**
     * Looks a type up by its wire name.
     *
     * @param name e.g. {@code member_added}.
     * @return the type, or null when unknown.
     */
    public static WebhookEventType byWireName(final String name)
    {
        for (final WebhookEventType type : VALUES)
        {
            if (type.wireName.equals(name))
            {
                return type;
            }
        }
        return null;
    }
}
