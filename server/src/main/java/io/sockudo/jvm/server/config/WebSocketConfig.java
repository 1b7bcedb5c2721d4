package io.sockudo.jvm.server.config;

/**
 * The {@code [websocket]} section: per-connection transport and back-pressure settings.
 */
public final class WebSocketConfig
{
    /** {@code websocket.max_messages}, env {@code WEBSOCKET_MAX_MESSAGES}: outbound buffer limit; 0 = unset. */
    public int maxMessages = 1000;
    /**
     * {@code websocket.max_bytes}, env {@code WEBSOCKET_MAX_BYTES}: outbound buffer limit in bytes; 0 = unset. When set
     * it is also the inbound message limit (see {@link ServerContext#maxWebSocketMessageBytes()}).
     */
    public int maxBytes;
    /** {@code websocket.disconnect_on_buffer_full}: close with 4100 (true) or drop messages (false). */
    public boolean disconnectOnBufferFull = true;
    /** {@code websocket.max_message_size} in bytes (64 MiB). */
    public int maxMessageSize = 64 * 1024 * 1024;
    /** {@code websocket.max_frame_size} in bytes (16 MiB). */
    public int maxFrameSize = 16 * 1024 * 1024;
    /** {@code websocket.write_buffer_size} in bytes (16 KiB). */
    public int writeBufferSize = 16 * 1024;
    /** {@code websocket.max_backpressure} in bytes (1 MiB). */
    public int maxBackpressure = 1024 * 1024;
    /** {@code websocket.auto_ping}. */
    public boolean autoPing = true;
    /** {@code websocket.ping_interval} in seconds. */
    public int pingIntervalSeconds = 30;
    /** {@code websocket.idle_timeout} in seconds; 0 turns it off. */
    public int idleTimeoutSeconds = 120;
    /** {@code websocket.compression}: only {@code disabled} is accepted (no permessage-deflate). */
    public String compression = "disabled";
}
