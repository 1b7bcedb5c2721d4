package io.sockudo.jvm.server.webhook;

import io.sockudo.jvm.server.channel.AppState;

/**
 * Where the server reports what webhooks are made of. Called on reactor threads; channel transitions are
 * reported while the channel's monitor is held, so calls arrive in the true order per channel. An
 * implementation must never block and never throw.
 */
public interface WebhookSink
{
    /** A sink that ignores everything. */
    WebhookSink NONE = new WebhookSink()
    {
    };

    /**
     * A channel went from 0 to 1 socket.
     *
     * @param app the app
     * @param channel channel name
     */
    default void channelOccupied(final AppState app, final String channel)
    {
    }

    /**
     * A channel went from 1 to 0 sockets (unsubscribe or disconnect alike).
     *
     * @param app the app
     * @param channel channel name
     */
    default void channelVacated(final AppState app, final String channel)
    {
    }

    /**
     * A user's first socket joined a presence channel.
     *
     * @param app the app
     * @param channel channel name
     * @param userId user id
     */
    default void memberAdded(final AppState app, final String channel, final String userId)
    {
    }

    /**
     * A user's last socket left a presence channel.
     *
     * @param app the app
     * @param channel channel name
     * @param userId user id
     */
    default void memberRemoved(final AppState app, final String channel, final String userId)
    {
    }

    /**
     * The socket count of a non-presence channel changed.
     *
     * @param app the app
     * @param channel channel name
     * @param count sockets now subscribed
     */
    default void subscriptionCount(final AppState app, final String channel, final int count)
    {
    }

    /**
     * A client event was relayed.
     *
     * @param app the app
     * @param channel channel name
     * @param event event name
     * @param dataJson raw JSON text of the client's data ({@code null} text if absent)
     * @param socketId sender's socket id
     * @param userId sender's user id on presence channels, else null
     */
    default void clientEvent(final AppState app, final String channel, final String event, final String dataJson,
        final String socketId, final String userId)
    {
    }

    /**
     * A subscriber joined a cache channel with nothing cached.
     *
     * @param app the app
     * @param channel channel name
     */
    default void cacheMiss(final AppState app, final String channel)
    {
    }
}
