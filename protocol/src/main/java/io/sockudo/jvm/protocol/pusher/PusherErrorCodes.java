package io.sockudo.jvm.protocol.pusher;

/**
 * The {@code pusher:error} codes and WebSocket close codes of the Pusher protocol as Sockudo 4.4.0 uses them
 * (spec {@code pusher-v1.md} section 4.1).
 */
public final class PusherErrorCodes
{
    /**
     * Generic error: malformed input, presence subscribe without {@code channel_data}, and similar.
     */
    public static final int GENERIC = 4000;

    /**
     * The application key in the connection path is unknown.
     */
    public static final int APP_NOT_FOUND = 4001;

    /**
     * The application exists but is disabled.
     */
    public static final int APP_DISABLED = 4003;

    /**
     * The application is over its connection quota.
     */
    public static final int OVER_QUOTA = 4004;

    /**
     * Authentication failed (bad channel auth or sign-in signature, capability denied).
     */
    public static final int UNAUTHORIZED = 4009;

    /**
     * Over capacity, e.g. a presence channel is full.
     */
    public static final int OVER_CAPACITY = 4100;

    /**
     * Generic reconnect request.
     */
    public static final int RECONNECT = 4200;

    /**
     * The client did not answer a {@code pusher:ping} in time.
     */
    public static final int PONG_NOT_RECEIVED = 4201;

    /**
     * The connection was closed after a period of inactivity.
     */
    public static final int INACTIVITY = 4202;

    /**
     * Channel error: invalid channel name, unknown namespace and similar ({@code Channel error: ...}).
     */
    public static final int CHANNEL_ERROR = 4300;

    /**
     * A client event was rejected (rate limit, not subscribed, wrong channel type).
     */
    public static final int CLIENT_EVENT_ERROR = 4301;

    private PusherErrorCodes()
    {
    }
}
