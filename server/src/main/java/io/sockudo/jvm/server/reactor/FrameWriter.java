package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.ws.WebSocketFrameEncoder;
import io.sockudo.jvm.protocol.ws.WebSocketOpcodes;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;

/**
 * Builds one server WebSocket frame in place: the payload is written after a reserve of the largest header,
 * then the real header is written just before it, so a frame is encoded once with no copy and can be written
 * straight from the direct buffer to any number of sockets.
 *
 * <pre>
 *   0        start                 HEADER_RESERVE                       end
 *   |  unused |  header (2..10)    |  JSON payload ...                   |
 * </pre>
 */
final class FrameWriter
{
    static final int HEADER_RESERVE = 10;

    private final ExpandableDirectByteBuffer buffer;
    private int position;
    private int start;

    FrameWriter(final int initialCapacity)
    {
        buffer = new ExpandableDirectByteBuffer(initialCapacity);
    }

    FrameWriter begin()
    {
        position = HEADER_RESERVE;
        start = HEADER_RESERVE;
        return this;
    }

    FrameWriter ascii(final String value)
    {
        position += buffer.putStringWithoutLengthAscii(position, value);
        return this;
    }

    FrameWriter utf8(final String value)
    {
        position += buffer.putStringWithoutLengthUtf8(position, value);
        return this;
    }

    FrameWriter number(final long value)
    {
        position += buffer.putLongAscii(position, value);
        return this;
    }

    FrameWriter quoted(final CharSequence value)
    {
        position = JsonWriter.writeQuoted(buffer, position, value);
        return this;
    }

    FrameWriter raw(final DirectBuffer src, final int offset, final int length)
    {
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    FrameWriter quotedRaw(final DirectBuffer src, final int offset, final int length)
    {
        position = JsonWriter.writeQuotedRaw(buffer, position, src, offset, length);
        return this;
    }

    FrameWriter compact(final JsonScanner scanner, final int token)
    {
        position = JsonWriter.writeCompact(buffer, position, scanner, token);
        return this;
    }

    /**
     * Finishes the frame with a text header.
     *
     * @return this
     */
    FrameWriter end()
    {
        final int payload = position - HEADER_RESERVE;
        start = HEADER_RESERVE - WebSocketFrameEncoder.headerLength(payload);
        WebSocketFrameEncoder.encodeHeader(buffer, start, WebSocketOpcodes.TEXT, true, payload);
        return this;
    }

    /**
     * Copies a complete frame in (from an inbox record).
     *
     * @param src source
     * @param offset frame offset
     * @param length frame length
     * @return this
     */
    FrameWriter frame(final DirectBuffer src, final int offset, final int length)
    {
        buffer.checkLimit(length);
        buffer.putBytes(0, src, offset, length);
        start = 0;
        position = length;
        return this;
    }

    ExpandableDirectByteBuffer buffer()
    {
        return buffer;
    }

    ByteBuffer byteBuffer()
    {
        return buffer.byteBuffer();
    }

    int start()
    {
        return start;
    }

    int limit()
    {
        return position;
    }

    int length()
    {
        return position - start;
    }

    /**
     * The JSON payload of the finished frame as bytes (for the replay buffer; allocates).
     *
     * @return payload bytes
     */
    byte[] payloadBytes()
    {
        final byte[] bytes = new byte[position - HEADER_RESERVE];
        buffer.getBytes(HEADER_RESERVE, bytes);
        return bytes;
    }

    /**
     * The JSON payload of the finished frame as a string (for the cache; allocates).
     *
     * @return payload text
     */
    String payloadString()
    {
        return buffer.getStringWithoutLengthUtf8(HEADER_RESERVE, position - HEADER_RESERVE);
    }
}
