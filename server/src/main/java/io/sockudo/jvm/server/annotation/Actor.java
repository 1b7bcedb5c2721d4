package io.sockudo.jvm.server.annotation;

import java.util.List;
import java.util.Map;

/**
 * What the HTTP layer knows of the socket named by {@code socketId} / {@code socket_id}.
 *
 * @param connected    whether the socket is connected to this node.
 * @param protocolV2   whether the socket speaks protocol V2.
 * @param userId       the signed-in user id, or null.
 * @param capabilities sign-in capabilities by key in underscore spelling ({@code annotation_publish},
 *                     {@code annotation_delete_own}...), or null when the socket signed in without capabilities or
 *                     did not sign in.
 */
public record Actor(boolean connected, boolean protocolV2, String userId, Map<String, List<String>> capabilities)
{
}
