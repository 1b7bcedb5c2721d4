package io.sockudo.jvm.protocol.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.agrona.DirectBuffer;

/**
 * Test handler that records each callback as a short string: kind, payload length and CRC-32 of the payload (so
 * large payloads compare cheaply), and the code and reason for close frames.
 */
final class RecordingHandler implements WebSocketFrameHandler
{
    final List<String> events = new ArrayList<>();
    DirectBuffer lastBuffer;
    int lastOffset;
    WebSocketFrameDecoder haltOn;

    static String message(final boolean text, final byte[] payload)
    {
        return (text ? "text:" : "binary:") + fingerprint(payload, payload.length);
    }

    static String ping(final byte[] payload)
    {
        return "ping:" + fingerprint(payload, payload.length);
    }

    static String pong(final byte[] payload)
    {
        return "pong:" + fingerprint(payload, payload.length);
    }

    static String close(final int code, final String reason)
    {
        return "close:" + code + ":" + reason;
    }

    static String fingerprint(final byte[] bytes, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return length + ":" + Long.toHexString(crc.getValue());
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private void record(final String event, final DirectBuffer buffer, final int offset)
    {
        events.add(event);
        lastBuffer = buffer;
        lastOffset = offset;
        if (null != haltOn)
        {
            haltOn.halt();
        }
    }

    @Override
    public void onMessage(final boolean text, final DirectBuffer buffer, final int offset, final int length)
    {
        record(message(text, copy(buffer, offset, length)), buffer, offset);
    }

    @Override
    public void onPing(final DirectBuffer buffer, final int offset, final int length)
    {
        record(ping(copy(buffer, offset, length)), buffer, offset);
    }

    @Override
    public void onPong(final DirectBuffer buffer, final int offset, final int length)
    {
        record(pong(copy(buffer, offset, length)), buffer, offset);
    }

    @Override
    public void onClose(final int code, final DirectBuffer buffer, final int reasonOffset, final int reasonLength)
    {
        final String reason = new String(copy(buffer, reasonOffset, reasonLength), StandardCharsets.UTF_8);
        record(close(code, reason), buffer, reasonOffset);
    }
}
