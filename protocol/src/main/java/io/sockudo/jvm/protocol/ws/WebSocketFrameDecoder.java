package io.sockudo.jvm.protocol.ws;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Streaming RFC 6455 frame decoder for the server side of one connection. Owned by one thread.
 * <p>
 * {@link #decode} consumes every byte it is given, keeping a partial header (at most 14 bytes) or a partial payload
 * inside, and calls the {@link WebSocketFrameHandler} once per complete message or control frame. When an unfragmented
 * frame lies wholly inside the input it is unmasked in place and handed over as a view of the input, with no copy.
 * Otherwise its payload is copied into an internal buffer that is allocated on first need, sized to the announced
 * frame lengths (never beyond {@code maxMessageBytes}) and reused; a buffer grown past
 * {@link #RETAINED_CAPACITY_BYTES} is dropped once its message completes so idle connections stay small.
 * <p>
 * Text is validated as it arrives, so invalid UTF-8 fails the connection without waiting for the last fragment.
 * Control frames may arrive between the fragments of a message. After a close frame all further input is ignored.
 * Errors are returned as the close code to fail the connection with, and stay returned until {@link #reset()}.
 */
public final class WebSocketFrameDecoder
{
    /**
     * All input was consumed without error.
     */
    public static final int OK = 0;

    /**
     * A callback called {@link #halt()}: decoding stopped right after that callback. See {@link #haltOffset()}.
     */
    public static final int HALTED = -1;

    /**
     * Capacity up to which the message buffer is kept between messages.
     */
    public static final int RETAINED_CAPACITY_BYTES = 16 * 1024;

    /**
     * Largest frame header: 2 bytes, 8 bytes of extended length and a 4-byte masking key.
     */
    static final int MAX_HEADER_LENGTH = 14;

    private static final int MIN_MESSAGE_CAPACITY = 256;
    private static final int CONTINUE = Integer.MIN_VALUE;
    private static final int FIN_BIT = 0x80;
    private static final int RSV_BITS = 0x70;
    private static final int MASK_BIT = 0x80;
    private static final byte[] EMPTY_BYTES = new byte[0];

    private final int maxMessageBytes;
    private final boolean requireMask;
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[MAX_HEADER_LENGTH]);
    private UnsafeBuffer messageBuffer;
    private UnsafeBuffer controlBuffer;

    private int headerFill;
    private int headerLength;
    private boolean inPayload;

    private int opcode;
    private boolean fin;
    private boolean masked;
    private int lengthField;
    private int maskKey;
    private int payloadLength;
    private int payloadFill;
    private int frameBytesConsumed;

    private boolean messageInProgress;
    private boolean messageText;
    private int messageLength;
    private int utf8State;

    private boolean closeReceived;
    private boolean halted;
    private int haltOffset;
    private int errorCode;
    private String errorReason;

    /**
     * Create a decoder for one connection.
     *
     * @param maxMessageBytes largest data message, after reassembly, before failing with
     *                        {@link CloseCodes#MESSAGE_TOO_BIG}.
     * @param requireMask     true on the server: unmasked client frames fail with {@link CloseCodes#PROTOCOL_ERROR}.
     */
    public WebSocketFrameDecoder(final int maxMessageBytes, final boolean requireMask)
    {
        if (maxMessageBytes < 0)
        {
            throw new IllegalArgumentException("maxMessageBytes must not be negative");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.requireMask = requireMask;
    }

    /**
     * Decode input, calling the handler for each complete message and control frame. Consumes all of
     * {@code src[offset, offset + length)} unless a callback halts; may unmask the input in place.
     *
     * @param src     the input, which may be changed in place.
     * @param offset  of the first input byte.
     * @param length  of the input in bytes.
     * @param handler to call back.
     * @return {@link #OK}, {@link #HALTED}, or the close code to fail the connection with
     * ({@link CloseCodes#PROTOCOL_ERROR}, {@link CloseCodes#INVALID_PAYLOAD} or {@link CloseCodes#MESSAGE_TOO_BIG}).
     */
    public int decode(
        final MutableDirectBuffer src, final int offset, final int length, final WebSocketFrameHandler handler)
    {
        if (0 != errorCode)
        {
            return errorCode;
        }
        halted = false;

        int pos = offset;
        final int end = offset + length;
        while (pos < end && !closeReceived)
        {
            int result = CONTINUE;
            if (inPayload)
            {
                final int take = Math.min(payloadLength - payloadFill, end - pos);
                result = onPayloadChunk(src, pos, take);
                pos += take;
                if (CONTINUE == result && payloadFill == payloadLength)
                {
                    inPayload = false;
                    result = onAccumulatedFrameComplete(handler);
                }
            }
            else if (0 == headerFill && end - pos >= 2)
            {
                // Fast path: the header is read straight from the input.
                result = onHeaderStart(src.getByte(pos), src.getByte(pos + 1));
                if (CONTINUE == result)
                {
                    if (end - pos < headerLength)
                    {
                        headerBuffer.putBytes(0, src, pos, end - pos);
                        headerFill = end - pos;
                        break;
                    }
                    result = onHeaderComplete(src, pos);
                    pos += headerLength;
                    if (CONTINUE == result)
                    {
                        result = onFrameStart(src, pos, end, handler);
                        pos += frameBytesConsumed;
                    }
                }
            }
            else
            {
                // Slow path: the header arrives in pieces and is gathered in the header buffer.
                if (headerFill < 2)
                {
                    headerBuffer.putByte(headerFill++, src.getByte(pos++));
                    if (headerFill < 2)
                    {
                        continue;
                    }
                    result = onHeaderStart(headerBuffer.getByte(0), headerBuffer.getByte(1));
                }
                if (CONTINUE == result)
                {
                    final int take = Math.min(headerLength - headerFill, end - pos);
                    headerBuffer.putBytes(headerFill, src, pos, take);
                    headerFill += take;
                    pos += take;
                    if (headerFill < headerLength)
                    {
                        continue;
                    }
                    headerFill = 0;
                    result = onHeaderComplete(headerBuffer, 0);
                    if (CONTINUE == result)
                    {
                        result = onFrameStart(src, pos, end, handler);
                        pos += frameBytesConsumed;
                    }
                }
            }

            if (CONTINUE != result)
            {
                return fail(result);
            }
            if (halted)
            {
                halted = false;
                haltOffset = pos;
                return HALTED;
            }
        }

        return OK;
    }

    /**
     * Stop decoding right after the current callback returns; {@link #decode} then returns {@link #HALTED}. The rest
     * of the input is left undecoded: to resume, pass it from {@link #haltOffset()} to the next {@link #decode}.
     */
    public void halt()
    {
        halted = true;
    }

    /**
     * Where decoding stopped in the input of the last {@link #decode} that returned {@link #HALTED}.
     *
     * @return offset in that input of the first byte not decoded.
     */
    public int haltOffset()
    {
        return haltOffset;
    }

    /**
     * Human readable cause of the last error, for logs and close frames.
     *
     * @return the reason, or null if the last {@link #decode} did not fail.
     */
    public String errorReason()
    {
        return errorReason;
    }

    /**
     * Return to the initial state, dropping any partial frame or message and any error. Keeps a message buffer of up
     * to {@link #RETAINED_CAPACITY_BYTES}.
     */
    public void reset()
    {
        headerFill = 0;
        headerLength = 0;
        inPayload = false;
        payloadLength = 0;
        payloadFill = 0;
        endMessage();
        closeReceived = false;
        halted = false;
        haltOffset = 0;
        errorCode = 0;
        errorReason = null;
    }

    /**
     * Has a close frame been received? Further input is then ignored.
     *
     * @return true once a valid close frame was decoded.
     */
    public boolean closeReceived()
    {
        return closeReceived;
    }

    private int fail(final int code)
    {
        errorCode = code;
        return code;
    }

    private int error(final int code, final String reason)
    {
        errorReason = reason;
        return code;
    }

    /**
     * Check what the first two header bytes alone can tell (RFC 6455 section 5.2) and work out the header length.
     */
    private int onHeaderStart(final byte b0, final byte b1)
    {
        fin = (b0 & FIN_BIT) != 0;
        opcode = b0 & 0x0F;
        masked = (b1 & MASK_BIT) != 0;
        lengthField = b1 & 0x7F;
        headerLength = 2 + (lengthField == 126 ? 2 : (lengthField == 127 ? 8 : 0)) + (masked ? 4 : 0);

        if ((b0 & RSV_BITS) != 0)
        {
            return error(CloseCodes.PROTOCOL_ERROR, "reserved bit set without a negotiated extension");
        }
        if (requireMask && !masked)
        {
            return error(CloseCodes.PROTOCOL_ERROR, "unmasked client frame");
        }

        switch (opcode)
        {
            case WebSocketOpcodes.CONTINUATION:
                if (!messageInProgress)
                {
                    return error(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message in progress");
                }
                break;

            case WebSocketOpcodes.TEXT:
            case WebSocketOpcodes.BINARY:
                if (messageInProgress)
                {
                    return error(CloseCodes.PROTOCOL_ERROR, "new data frame while a fragmented message is in progress");
                }
                break;

            case WebSocketOpcodes.CLOSE:
            case WebSocketOpcodes.PING:
            case WebSocketOpcodes.PONG:
                if (!fin)
                {
                    return error(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
                }
                if (lengthField > WebSocketFrameEncoder.MAX_CONTROL_PAYLOAD)
                {
                    return error(CloseCodes.PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
                }
                break;

            default:
                return error(CloseCodes.PROTOCOL_ERROR, "reserved opcode");
        }

        return CONTINUE;
    }

    /**
     * Read the payload length and masking key of a complete header and check the message size limit.
     */
    private int onHeaderComplete(final DirectBuffer buffer, final int headerOffset)
    {
        int index = headerOffset + 2;
        long length = lengthField;
        if (126 == lengthField)
        {
            length = buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            index += 2;
        }
        else if (127 == lengthField)
        {
            length = buffer.getLong(index, ByteOrder.BIG_ENDIAN);
            index += 8;
            if (length < 0)
            {
                return error(CloseCodes.PROTOCOL_ERROR, "64-bit payload length with the most significant bit set");
            }
        }
        maskKey = masked ? buffer.getInt(index, ByteOrder.BIG_ENDIAN) : 0;

        if (!WebSocketOpcodes.isControl(opcode))
        {
            final long soFar = WebSocketOpcodes.CONTINUATION == opcode ? messageLength : 0;
            if (soFar + length > maxMessageBytes)
            {
                return error(CloseCodes.MESSAGE_TOO_BIG, "message larger than the maximum message size");
            }
        }
        payloadLength = (int)length;
        payloadFill = 0;

        return CONTINUE;
    }

    /**
     * A valid header was read and the input continues at {@code pos}. Either decode the whole frame from the input
     * (setting {@code frameBytesConsumed}) or prepare to accumulate its payload.
     */
    private int onFrameStart(
        final MutableDirectBuffer src, final int pos, final int end, final WebSocketFrameHandler handler)
    {
        frameBytesConsumed = 0;
        final boolean control = WebSocketOpcodes.isControl(opcode);
        if (!control && WebSocketOpcodes.CONTINUATION != opcode)
        {
            messageText = WebSocketOpcodes.TEXT == opcode;
            messageLength = 0;
            utf8State = Utf8Validator.ACCEPT;
            messageInProgress = !fin;
        }

        final boolean whole = end - pos >= payloadLength;
        if (whole && (control || (fin && WebSocketOpcodes.CONTINUATION != opcode)))
        {
            // Zero-copy path: the frame is complete in the input.
            if (masked)
            {
                WebSocketMask.apply(src, pos, payloadLength, maskKey, 0);
            }
            frameBytesConsumed = payloadLength;
            if (control)
            {
                return onControlFrame(src, pos, payloadLength, handler);
            }
            if (messageText && !Utf8Validator.isValid(src, pos, payloadLength))
            {
                return error(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in text message");
            }
            handler.onMessage(messageText, src, pos, payloadLength);
            return CONTINUE;
        }

        if (0 == payloadLength)
        {
            return onAccumulatedFrameComplete(handler);
        }

        if (!control)
        {
            ensureMessageCapacity(messageLength + payloadLength);
        }
        else if (null == controlBuffer)
        {
            controlBuffer = new UnsafeBuffer(new byte[WebSocketFrameEncoder.MAX_CONTROL_PAYLOAD]);
        }
        inPayload = true;

        return CONTINUE;
    }

    private int onPayloadChunk(final DirectBuffer src, final int pos, final int length)
    {
        if (WebSocketOpcodes.isControl(opcode))
        {
            controlBuffer.putBytes(payloadFill, src, pos, length);
            if (masked)
            {
                WebSocketMask.apply(controlBuffer, payloadFill, length, maskKey, payloadFill);
            }
        }
        else
        {
            messageBuffer.putBytes(messageLength, src, pos, length);
            if (masked)
            {
                WebSocketMask.apply(messageBuffer, messageLength, length, maskKey, payloadFill);
            }
            if (messageText)
            {
                utf8State = Utf8Validator.validate(utf8State, messageBuffer, messageLength, length);
                if (Utf8Validator.REJECT == utf8State)
                {
                    return error(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in text message");
                }
            }
            messageLength += length;
        }
        payloadFill += length;

        return CONTINUE;
    }

    private int onAccumulatedFrameComplete(final WebSocketFrameHandler handler)
    {
        if (WebSocketOpcodes.isControl(opcode))
        {
            return onControlFrame(controlBuffer, 0, payloadLength, handler);
        }
        if (!fin)
        {
            return CONTINUE;
        }
        if (messageText && Utf8Validator.ACCEPT != utf8State)
        {
            return error(CloseCodes.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
        }

        final DirectBuffer buffer = null == messageBuffer ? headerBuffer : messageBuffer;
        handler.onMessage(messageText, buffer, 0, messageLength);
        endMessage();

        return CONTINUE;
    }

    private int onControlFrame(
        final DirectBuffer buffer, final int offset, final int length, final WebSocketFrameHandler handler)
    {
        switch (opcode)
        {
            case WebSocketOpcodes.PING:
                handler.onPing(buffer, offset, length);
                return CONTINUE;

            case WebSocketOpcodes.PONG:
                handler.onPong(buffer, offset, length);
                return CONTINUE;

            default:
                return onClose(buffer, offset, length, handler);
        }
    }

    private int onClose(
        final DirectBuffer buffer, final int offset, final int length, final WebSocketFrameHandler handler)
    {
        // RFC 6455 section 5.5.1: an empty body, or a 2-byte code optionally followed by a UTF-8 reason.
        if (0 == length)
        {
            closeReceived = true;
            handler.onClose(CloseCodes.NO_STATUS, buffer, offset, 0);
            return CONTINUE;
        }
        if (1 == length)
        {
            return error(CloseCodes.PROTOCOL_ERROR, "close frame payload of one byte");
        }

        final int code = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (!CloseCodes.isValidOnWire(code))
        {
            return error(CloseCodes.PROTOCOL_ERROR, "invalid close code");
        }
        if (!Utf8Validator.isValid(buffer, offset + 2, length - 2))
        {
            return error(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in close reason");
        }

        closeReceived = true;
        handler.onClose(code, buffer, offset + 2, length - 2);

        return CONTINUE;
    }

    private void ensureMessageCapacity(final int required)
    {
        if (null == messageBuffer)
        {
            messageBuffer = new UnsafeBuffer(EMPTY_BYTES);
        }

        final int capacity = messageBuffer.capacity();
        if (required > capacity)
        {
            final int doubled = (int)Math.min((long)capacity << 1, maxMessageBytes);
            final int floor = Math.min(MIN_MESSAGE_CAPACITY, maxMessageBytes);
            final int newCapacity = Math.max(required, Math.max(doubled, floor));
            final byte[] bytes = new byte[newCapacity];
            messageBuffer.getBytes(0, bytes, 0, messageLength);
            messageBuffer.wrap(bytes);
        }
    }

    private void endMessage()
    {
        messageInProgress = false;
        messageLength = 0;
        utf8State = Utf8Validator.ACCEPT;
        if (null != messageBuffer && messageBuffer.capacity() > RETAINED_CAPACITY_BYTES)
        {
            messageBuffer.wrap(EMPTY_BYTES);
        }
    }
}
