/**
 * JMH micro-benchmarks of the hot paths: WebSocket frame decode/encode, Pusher JSON scanning and the server's
 * encode-once broadcast to many local sockets. Built into {@code bench/target/benchmarks.jar}; run with
 * {@code -prof gc} to see the allocation per operation.
 */
package io.sockudo.jvm.bench.jmh;
