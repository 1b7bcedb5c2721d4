/**
 * The end-to-end load rig: a load generator that drives a Pusher-compatible server (ours, soketi, or the raw
 * baseline) with raw NIO WebSocket subscribers and an open-loop signed HTTP publisher, measuring delivery latency
 * from each message's intended send time with HdrHistogram, plus server CPU per delivery and memory per connection
 * read from {@code /proc}. {@link io.sockudo.jvm.bench.load.RawFanoutServer} is the no-protocol ceiling.
 * Scripts that run it side by side live in {@code bench/scripts/}.
 */
package io.sockudo.jvm.bench.load;
