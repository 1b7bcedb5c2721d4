package io.sockudo.jvm.protocol.ws;

/**
 * Frame opcodes of RFC 6455 section 5.2. Opcodes 3-7 and 11-15 are reserved and rejected by the decoder.
 */
public final class WebSocketOpcodes
{
    /**
     * Continuation of a fragmented data message.
     */
    public static final int CONTINUATION = 0;

    /**
     * Text data frame (payload is UTF-8).
     */
    public static final int TEXT = 1;

    /**
     * Binary data frame.
     */
    public static final int BINARY = 2;

    /**
     * Close control frame.
     */
    public static final int CLOSE = 8;

    /**
     * Ping control frame.
     */
    public static final int PING = 9;

    /**
     * Pong control frame.
     */
    public static final int PONG = 10;

    private WebSocketOpcodes()
    {
    }

    /**
     * Is the opcode a control frame opcode (close, ping or pong)?
     *
     * @param opcode the frame opcode.
     * @return true for control opcodes (the high bit of the 4-bit opcode is set).
     */
    public static boolean isControl(final int opcode)
    {
        return (opcode & 0x8) != 0;
    }
}
