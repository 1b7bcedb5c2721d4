/**
 * RFC 6455 WebSocket codec, server side: frame decoder and encoder, close codes, strict UTF-8 validation and the
 * opening handshake accept key. Pure code over Agrona buffers: no I/O, threads or clocks, and no allocation per
 * frame in steady state.
 */
package io.sockudo.jvm.protocol.ws;
