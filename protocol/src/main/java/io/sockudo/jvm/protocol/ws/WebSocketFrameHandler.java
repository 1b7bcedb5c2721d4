package io.sockudo.jvm.protocol.ws;

import org.agrona.DirectBuffer;

/**
 * Callbacks of {@link WebSocketFrameDecoder}. The buffer views are valid only for the duration of the call: they may
 * point into the caller's input buffer (zero-copy path) or into the decoder's internal buffer, both reused afterwards.
 * A callback may call {@link WebSocketFrameDecoder#halt()} to stop decoding right after it returns.
 */
public interface WebSocketFrameHandler
{
    /**
     * A complete data message, reassembled if it was fragmented and unmasked.
     *
     * @param text   true for a text message, whose payload is then valid UTF-8; false for binary.
     * @param buffer holding the payload.
     * @param offset of the payload in the buffer.
     * @param length of the payload in bytes.
     */
    void onMessage(boolean text, DirectBuffer buffer, int offset, int length);

    /**
     * A ping control frame. The server should answer with a pong carrying the same payload.
     *
     * @param buffer holding the payload.
     * @param offset of the payload in the buffer.
     * @param length of the payload in bytes, at most 125.
     */
    void onPing(DirectBuffer buffer, int offset, int length);

    /**
     * A pong control frame.
     *
     * @param buffer holding the payload.
     * @param offset of the payload in the buffer.
     * @param length of the payload in bytes, at most 125.
     */
    void onPong(DirectBuffer buffer, int offset, int length);

    /**
     * A close control frame, already validated. After it the decoder ignores further input.
     *
     * @param code         the close code, or {@link CloseCodes#NO_STATUS} when the frame had no payload.
     * @param buffer       holding the reason.
     * @param reasonOffset of the UTF-8 reason in the buffer.
     * @param reasonLength of the reason in bytes, 0 when absent.
     */
    void onClose(int code, DirectBuffer buffer, int reasonOffset, int reasonLength);
}
