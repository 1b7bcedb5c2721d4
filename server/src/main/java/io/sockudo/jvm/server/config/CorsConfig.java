package io.sockudo.jvm.server.config;

import java.util.List;

/**
 * The {@code [cors]} section for the HTTP API.
 */
public final class CorsConfig
{
    /**
     * {@code cors.credentials}, env {@code CORS_CREDENTIALS}. After conclude this is the effective value: it is forced
     * to false when {@link #origin} allows any origin or is empty (as 4.4.0 does).
     */
    public boolean credentials = true;
    /** {@code cors.origin}, env {@code CORS_ORIGINS} (comma-separated): origin patterns, {@code *} or {@code any}. */
    public List<String> origin = List.of("*");
    /** {@code cors.methods}, env {@code CORS_METHODS}. */
    public List<String> methods = List.of("GET", "POST", "OPTIONS");
    /** {@code cors.allowed_headers}, env {@code CORS_HEADERS}. */
    public List<String> allowedHeaders = List.of("Authorization", "Content-Type", "X-Requested-With", "Accept");
}
