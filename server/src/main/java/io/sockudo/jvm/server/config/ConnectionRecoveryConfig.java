package io.sockudo.jvm.server.config;

/**
 * The {@code [connection_recovery]} section: the per-channel in-memory replay buffer that V2 sockets resume from.
 */
public final class ConnectionRecoveryConfig
{
    /** {@code connection_recovery.enabled}, env {@code CONNECTION_RECOVERY_ENABLED}: creates the replay buffer. */
    public boolean enabled;
    /** {@code connection_recovery.buffer_ttl_seconds}, env {@code CONNECTION_RECOVERY_BUFFER_TTL}. */
    public int bufferTtlSeconds = 120;
    /** {@code connection_recovery.max_buffer_size}, env {@code CONNECTION_RECOVERY_MAX_BUFFER_SIZE}: per channel. */
    public int maxBufferSize = 100;
}
