/**
 * Per-IP rate limiting of the HTTP API and of WebSocket upgrades ({@code [rate_limiter]}), and the client IP
 * resolution it keys on.
 */
package io.sockudo.jvm.server.ratelimit;
