package io.sockudo.jvm.protocol.ws;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Applies the RFC 6455 section 5.3 masking XOR in place, eight bytes at a time. Masking and unmasking are the same
 * operation.
 */
final class WebSocketMask
{
    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private WebSocketMask()
    {
    }

    /**
     * XOR a range with the masking key.
     *
     * @param buffer     holding the bytes, changed in place.
     * @param offset     of the first byte.
     * @param length     number of bytes.
     * @param maskKey    the 4-byte key as read big-endian from the frame header.
     * @param maskOffset position of the first byte within the frame payload, which selects the key byte to start with.
     */
    static void apply(
        final MutableDirectBuffer buffer, final int offset, final int length, final int maskKey, final int maskOffset)
    {
        int key = Integer.rotateLeft(maskKey, (maskOffset & 3) << 3);
        final long keyBigEndian = ((long)key << 32) | (key & 0xFFFF_FFFFL);
        final long keyNative = NATIVE_BIG_ENDIAN ? keyBigEndian : Long.reverseBytes(keyBigEndian);

        int i = offset;
        final int end = offset + length;
        while (i + 8 <= end)
        {
            buffer.putLong(i, buffer.getLong(i) ^ keyNative);
            i += 8;
        }

        // i - offset is a multiple of 8, so the key phase here is the same as at offset.
        while (i < end)
        {
            buffer.putByte(i, (byte)(buffer.getByte(i) ^ (key >>> 24)));
            key = Integer.rotateLeft(key, 8);
            i++;
        }
    }
}
