package io.sockudo.jvm.server.history;

/**
 * Where the {@link MessageStore} writes what it must not lose. Calls come under the channel's lock; an implementation
 * serialises them itself. The memory backend uses {@link #NONE}.
 */
public interface Journal extends AutoCloseable
{
    /** Keeps nothing: the memory backend. */
    Journal NONE = new Journal()
    {
    };

    /**
     * A history row was stored.
     *
     * @param app app id
     * @param channel channel
     * @param streamId history stream id
     * @param serial history serial
     * @param publishedAtMs publish time
     * @param messageId message id or null
     * @param eventName event name
     * @param messageSerial message serial of a versioned create, or null
     * @param envelope the stored V2 envelope
     * @return the log index holding the envelope, or -1 when the store must keep the bytes itself
     */
    default long history(final String app, final String channel, final String streamId, final long serial,
        final long publishedAtMs, final String messageId, final String eventName, final String messageSerial,
        final byte[] envelope)
    {
        return -1;
    }

    /**
     * A version was stored.
     *
     * @param app app id
     * @param channel channel
     * @param streamId version stream id
     * @param version the version
     */
    default void version(final String app, final String channel, final String streamId, final Version version)
    {
    }

    /**
     * The history of a channel was reset (everything purged, new stream id).
     *
     * @param app app id
     * @param channel channel
     * @param newStreamId the new stream id
     * @param timestampMs when
     */
    default void reset(final String app, final String channel, final String newStreamId, final long timestampMs)
    {
    }

    /**
     * Rows with a serial below {@code beforeSerial} were purged by an operator.
     *
     * @param app app id
     * @param channel channel
     * @param beforeSerial first serial kept
     * @param timestampMs when
     */
    default void purge(final String app, final String channel, final long beforeSerial, final long timestampMs)
    {
    }

    /**
     * Reads the envelope of a row stored at a log index.
     *
     * @param logIndex the index returned by {@link #history}
     * @return the bytes, or null when the log no longer has them
     */
    default byte[] envelope(final long logIndex)
    {
        return null;
    }

    @Override
    default void close()
    {
    }
}
