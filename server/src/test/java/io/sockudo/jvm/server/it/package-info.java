/**
 * Black-box integration tests (failsafe, {@code *IT}) of the server over real sockets: raw WebSocket frames,
 * signed HTTP API calls, the official Pusher Java clients and a 1,000-connection fan-out.
 * <p>
 * Support classes: {@link io.sockudo.jvm.server.it.TestServer} starts a server from TOML,
 * {@link io.sockudo.jvm.server.it.RawWebSocket} is a blocking frame-level client,
 * {@link io.sockudo.jvm.server.it.PusherSocket} speaks the Pusher protocol over it,
 * {@link io.sockudo.jvm.server.it.Api} signs HTTP API requests and {@link io.sockudo.jvm.server.it.Json}
 * parses JSON for assertions.
 */
package io.sockudo.jvm.server.it;
