package io.sockudo.jvm.server.config;

/**
 * The {@code [idempotency]} section: repeated HTTP publishes with the same idempotency key within the TTL are
 * answered from the first response and not broadcast again.
 */
public final class IdempotencyConfig
{
    /** {@code idempotency.enabled}, env {@code IDEMPOTENCY_ENABLED}. */
    public boolean enabled = true;
    /** {@code idempotency.ttl_seconds}, env {@code IDEMPOTENCY_TTL_SECONDS}. */
    public int ttlSeconds = 120;
    /** {@code idempotency.max_key_length}, env {@code IDEMPOTENCY_MAX_KEY_LENGTH}. */
    public int maxKeyLength = 128;
}
