package io.sockudo.jvm.protocol.ws;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes RFC 6455 frames. Server frames are never masked (section 5.1); {@link #encodeMaskedFrame} exists for client
 * side use in tests and benchmarks. The destination must have room for {@link #headerLength(int)} plus the payload.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 * </pre>
 */
public final class WebSocketFrameEncoder
{
    /**
     * Largest payload of a control frame (RFC 6455 section 5.5).
     */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    /**
     * Largest close reason in UTF-8 bytes: the control payload minus the 2-byte code.
     */
    public static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

    private static final int FIN_BIT = 0x80;
    private static final int MASK_BIT = 0x80;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    private WebSocketFrameEncoder()
    {
    }

    /**
     * Length of an unmasked frame header for a payload length.
     *
     * @param payloadLength in bytes.
     * @return 2, 4 or 10.
     */
    public static int headerLength(final int payloadLength)
    {
        if (payloadLength <= MAX_CONTROL_PAYLOAD)
        {
            return 2;
        }

        return payloadLength <= 0xFFFF ? 4 : 10;
    }

    /**
     * Write an unmasked frame header.
     *
     * @param dst           destination buffer.
     * @param offset        in the destination.
     * @param opcode        one of {@link WebSocketOpcodes}.
     * @param fin           true for the final (or only) frame of a message.
     * @param payloadLength in bytes.
     * @return the header length written.
     */
    public static int encodeHeader(
        final MutableDirectBuffer dst, final int offset, final int opcode, final boolean fin, final int payloadLength)
    {
        return writeHeader(dst, offset, opcode, fin, payloadLength, 0);
    }

    /**
     * Write a complete unmasked frame with FIN set.
     *
     * @param dst           destination buffer.
     * @param offset        in the destination.
     * @param opcode        one of {@link WebSocketOpcodes}.
     * @param payload       buffer holding the payload.
     * @param payloadOffset of the payload.
     * @param payloadLength in bytes.
     * @return the total number of bytes written.
     */
    public static int encodeFrame(
        final MutableDirectBuffer dst,
        final int offset,
        final int opcode,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int headerLength = writeHeader(dst, offset, opcode, true, payloadLength, 0);
        if (payloadLength > 0)
        {
            dst.putBytes(offset + headerLength, payload, payloadOffset, payloadLength);
        }

        return headerLength + payloadLength;
    }

    /**
     * Write a close frame with a code and a reason. The reason is encoded as UTF-8 (an unpaired surrogate becomes
     * '?') and truncated on a character boundary so the payload stays within 125 bytes. A code that may not appear
     * on the wire (e.g. {@link CloseCodes#NO_STATUS}) gives a close frame with an empty payload. Needs at most 127
     * bytes of room.
     *
     * @param dst    destination buffer.
     * @param offset in the destination.
     * @param code   the close code.
     * @param reason the reason, may be null or empty.
     * @return the total number of bytes written.
     */
    public static int encodeClose(final MutableDirectBuffer dst, final int offset, final int code, final String reason)
    {
        if (!CloseCodes.isValidOnWire(code))
        {
            return writeHeader(dst, offset, WebSocketOpcodes.CLOSE, true, 0, 0);
        }

        final int payloadStart = offset + 2;
        dst.putShort(payloadStart, (short)code, ByteOrder.BIG_ENDIAN);
        final int reasonLength = null == reason ? 0 : putUtf8(dst, payloadStart + 2, reason, MAX_CLOSE_REASON_BYTES);
        final int payloadLength = 2 + reasonLength;
        writeHeader(dst, offset, WebSocketOpcodes.CLOSE, true, payloadLength, 0);

        return 2 + payloadLength;
    }

    /**
     * Write a masked frame as a client would (RFC 6455 section 5.3), for tests and benchmarks.
     *
     * @param dst           destination buffer.
     * @param offset        in the destination.
     * @param opcode        one of {@link WebSocketOpcodes}.
     * @param fin           true for the final (or only) frame of a message.
     * @param maskKey       the 4-byte masking key, written big-endian.
     * @param payload       buffer holding the payload.
     * @param payloadOffset of the payload.
     * @param payloadLength in bytes.
     * @return the total number of bytes written.
     */
    public static int encodeMaskedFrame(
        final MutableDirectBuffer dst,
        final int offset,
        final int opcode,
        final boolean fin,
        final int maskKey,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int headerLength = writeHeader(dst, offset, opcode, fin, payloadLength, MASK_BIT);
        dst.putInt(offset + headerLength, maskKey, ByteOrder.BIG_ENDIAN);
        final int payloadStart = offset + headerLength + 4;
        if (payloadLength > 0)
        {
            dst.putBytes(payloadStart, payload, payloadOffset, payloadLength);
            WebSocketMask.apply(dst, payloadStart, payloadLength, maskKey, 0);
        }

        return headerLength + 4 + payloadLength;
    }

    private static int writeHeader(
        final MutableDirectBuffer dst,
        final int offset,
        final int opcode,
        final boolean fin,
        final int payloadLength,
        final int maskBit)
    {
        dst.putByte(offset, (byte)((fin ? FIN_BIT : 0) | (opcode & 0x0F)));
        if (payloadLength <= MAX_CONTROL_PAYLOAD)
        {
            dst.putByte(offset + 1, (byte)(maskBit | payloadLength));
            return 2;
        }
        if (payloadLength <= 0xFFFF)
        {
            dst.putByte(offset + 1, (byte)(maskBit | LENGTH_16));
            dst.putShort(offset + 2, (short)payloadLength, ByteOrder.BIG_ENDIAN);
            return 4;
        }

        dst.putByte(offset + 1, (byte)(maskBit | LENGTH_64));
        dst.putLong(offset + 2, payloadLength, ByteOrder.BIG_ENDIAN);
        return 10;
    }

    /**
     * Encode a string as UTF-8, stopping before the first character that would not fit.
     */
    private static int putUtf8(final MutableDirectBuffer dst, final int offset, final String text, final int maxBytes)
    {
        int position = offset;
        final int limit = offset + maxBytes;
        final int length = text.length();
        int i = 0;
        while (i < length)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                if (position + 1 > limit)
                {
                    break;
                }
                dst.putByte(position++, (byte)c);
                i++;
            }
            else if (c < 0x800)
            {
                if (position + 2 > limit)
                {
                    break;
                }
                dst.putByte(position++, (byte)(0xC0 | (c >>> 6)));
                dst.putByte(position++, (byte)(0x80 | (c & 0x3F)));
                i++;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                if (position + 4 > limit)
                {
                    break;
                }
                final int cp = Character.toCodePoint(c, text.charAt(i + 1));
                dst.putByte(position++, (byte)(0xF0 | (cp >>> 18)));
                dst.putByte(position++, (byte)(0x80 | ((cp >>> 12) & 0x3F)));
                dst.putByte(position++, (byte)(0x80 | ((cp >>> 6) & 0x3F)));
                dst.putByte(position++, (byte)(0x80 | (cp & 0x3F)));
                i += 2;
            }
            else if (Character.isSurrogate(c))
            {
                if (position + 1 > limit)
                {
                    break;
                }
                dst.putByte(position++, (byte)'?');
                i++;
            }
            else
            {
                if (position + 3 > limit)
                {
                    break;
                }
                dst.putByte(position++, (byte)(0xE0 | (c >>> 12)));
                dst.putByte(position++, (byte)(0x80 | ((c >>> 6) & 0x3F)));
                dst.putByte(position++, (byte)(0x80 | (c & 0x3F)));
                i++;
            }
        }

        return position - offset;
    }
}
