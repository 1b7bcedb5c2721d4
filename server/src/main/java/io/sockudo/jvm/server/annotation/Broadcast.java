package io.sockudo.jvm.server.annotation;

/**
 * A frame to send on a channel. Summary frames ({@code raw == false}, event {@code sockudo_internal:message}) go to
 * every V2 subscriber of the channel, wildcard subscribers included; raw frames ({@code raw == true}, event
 * {@code sockudo_internal:annotation}) only to V2 subscribers of that exact channel that subscribed with mode
 * {@code ANNOTATION_SUBSCRIBE}. Nothing goes to V1 sockets. Both are ephemeral: never stored in history, no serial.
 * When a reply carries both, the summary comes first and must be sent first.
 *
 * @param channel the channel name.
 * @param json    the complete frame, compact JSON.
 * @param raw     true for a raw annotation event, false for a summary.
 */
public record Broadcast(String channel, String json, boolean raw)
{
}
