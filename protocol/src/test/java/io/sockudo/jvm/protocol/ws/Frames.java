package io.sockudo.jvm.protocol.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds byte streams of client (masked) frames for tests.
 */
final class Frames
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private int maskKey = 0x37FA213D;

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    Frames masked(final int opcode, final boolean fin, final byte[] payload)
    {
        final int length = WebSocketFrameEncoder.encodeMaskedFrame(
            scratch, 0, opcode, fin, maskKey, new UnsafeBuffer(payload), 0, payload.length);
        maskKey = maskKey * 31 + 0x01020305; // vary the key from frame to frame
        return append(length);
    }

    Frames unmasked(final int opcode, final boolean fin, final byte[] payload)
    {
        final int headerLength = WebSocketFrameEncoder.encodeHeader(scratch, 0, opcode, fin, payload.length);
        scratch.putBytes(headerLength, payload);
        return append(headerLength + payload.length);
    }

    Frames raw(final byte[] bytes)
    {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    byte[] toBytes()
    {
        return out.toByteArray();
    }

    private Frames append(final int length)
    {
        final byte[] frame = new byte[length];
        scratch.getBytes(0, frame);
        out.write(frame, 0, length);
        return this;
    }
}
