package io.sockudo.jvm.protocol.ws;

/**
 * Close status codes of RFC 6455 section 7.4 and the rule for which of them may appear in a close frame.
 */
public final class CloseCodes
{
    /**
     * Normal closure.
     */
    public static final int NORMAL = 1000;

    /**
     * The endpoint is going away (server shutdown, browser navigating away).
     */
    public static final int GOING_AWAY = 1001;

    /**
     * Protocol error.
     */
    public static final int PROTOCOL_ERROR = 1002;

    /**
     * A data type the endpoint cannot accept.
     */
    public static final int UNSUPPORTED_DATA = 1003;

    /**
     * No status code was present in the close frame. Reported locally only, never sent on the wire.
     */
    public static final int NO_STATUS = 1005;

    /**
     * The connection closed without a close frame. Reported locally only, never sent on the wire.
     */
    public static final int ABNORMAL = 1006;

    /**
     * Message data inconsistent with its type, e.g. invalid UTF-8 in a text message.
     */
    public static final int INVALID_PAYLOAD = 1007;

    /**
     * The message violates a policy.
     */
    public static final int POLICY_VIOLATION = 1008;

    /**
     * The message is too big to process.
     */
    public static final int MESSAGE_TOO_BIG = 1009;

    /**
     * The server hit an unexpected condition.
     */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes()
    {
    }

    /**
     * May this code appear in a close frame? RFC 6455 section 7.4: 1000-1003 and 1007-1011 are defined, 1012-1014
     * are IANA registered, 3000-4999 are for libraries and applications. 1004 is reserved, 1005, 1006 and 1015 are
     * local only, and everything below 1000, in 1016-2999 or from 5000 up is invalid.
     *
     * @param code the close status code.
     * @return true if a peer may send this code.
     */
    public static boolean isValidOnWire(final int code)
    {
        if (code >= 1000 && code <= 1014)
        {
            return code != 1004 && code != NO_STATUS && code != ABNORMAL;
        }

        return code >= 3000 && code <= 4999;
    }
}
