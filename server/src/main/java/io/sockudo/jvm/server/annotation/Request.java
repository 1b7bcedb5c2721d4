package io.sockudo.jvm.server.annotation;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One HTTP annotation call, after the signed-request check, the channel-name check and the versioned-messages check
 * (spec 5.1 checks 1 and 2) done by the caller.
 *
 * @param app                       app id.
 * @param channel                   channel name from the path.
 * @param messageSerial             message serial from the path.
 * @param body                      request body (publish), may be null or empty for delete and list.
 * @param query                     query parameters ({@code socket_id}, {@code type}, {@code from_serial},
 *                                  {@code limit}), never null.
 * @param channelAnnotationsEnabled resolved channel policy: namespace value, else app value, else false.
 * @param messageExists             whether a serial names a known versioned message on the channel.
 * @param actorBySocketId           the socket for a socket id, or null if unknown on this node.
 * @param maxPayloadBytes           clipping budget of the app ({@code limits.max_event_payload_in_kb} x 1024), or a
 *                                  negative value for the engine default; 0 disables clipping.
 */
public record Request(String app, String channel, String messageSerial, byte[] body, Map<String, String> query,
    boolean channelAnnotationsEnabled, Predicate<String> messageExists, Function<String, Actor> actorBySocketId,
    int maxPayloadBytes)
{
    /**
     * A request using the engine's default clipping budget.
     *
     * @param app                       app id.
     * @param channel                   channel name.
     * @param messageSerial             message serial.
     * @param body                      request body, may be null.
     * @param query                     query parameters.
     * @param channelAnnotationsEnabled resolved channel policy.
     * @param messageExists             message existence check.
     * @param actorBySocketId           socket lookup.
     */
    public Request(final String app, final String channel, final String messageSerial, final byte[] body,
        final Map<String, String> query, final boolean channelAnnotationsEnabled,
        final Predicate<String> messageExists, final Function<String, Actor> actorBySocketId)
    {
        this(app, channel, messageSerial, body, query, channelAnnotationsEnabled, messageExists, actorBySocketId, -1);
    }
}
