/**
 * Pusher Channels protocol rules that need no I/O: error codes, channel-name classification and validation, the
 * HMAC signatures of channel auth, user sign-in and the signed HTTP API (Sockudo 4.4.0, spec {@code pusher-v1.md}
 * sections 3 and 5).
 */
package io.sockudo.jvm.protocol.pusher;
