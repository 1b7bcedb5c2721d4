/**
 * Zero-allocation JSON handling for inbound Pusher frames and HTTP API bodies.
 * <p>
 * {@link io.sockudo.jvm.protocol.json.JsonScanner} validates one document strictly against RFC 8259 and records a
 * token tape in reusable {@code int} arrays; {@link io.sockudo.jvm.protocol.json.JsonWriter} writes escaped JSON
 * string literals and compact re-serialisations of scanned values. Both are owned by a single thread and allocate
 * nothing in steady state (the tape only grows when a larger document than any before arrives).
 */
package io.sockudo.jvm.protocol.json;
