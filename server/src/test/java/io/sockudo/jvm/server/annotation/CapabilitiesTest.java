package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Capability patterns and grants (spec 5.1, tests 9.E websocket.rs).
 */
@Timeout(10)
class CapabilitiesTest
{
    @Test
    void shouldMatchPatterns()
    {
        assertTrue(Capabilities.matches("*", "anything"));
        assertTrue(Capabilities.matches("chat", "chat"));
        assertTrue(Capabilities.matches("chat:*", "chat:room-1"));
        assertFalse(Capabilities.matches("chat:*", "news:room-1"));
        assertTrue(Capabilities.matches("*:room", "chat:room"));
        assertTrue(Capabilities.matches("a*b", "axxb"));
        assertTrue(Capabilities.matches("ab*bc", "abc"));
        assertFalse(Capabilities.matches("a*b*c", "abc"));
        assertTrue(Capabilities.matches("a*b*", "a*bc"));
        assertFalse(Capabilities.matches("a*b*", "axbc"));
        assertFalse(Capabilities.matches("Chat", "chat"));
    }

    @Test
    void shouldParseHyphenatedAnnotationGrants()
    {
        final Map<String, List<String>> caps = Map.of("annotation-publish", List.of("chat:*"),
            "annotation-delete-own", List.of("chat:*"), "annotation-delete-any", List.of("admin:*"),
            "annotation-subscribe", List.of("chat:*"));
        assertTrue(Capabilities.canPublish(caps, "chat:room-1"));
        assertTrue(Capabilities.canDeleteOwn(caps, "chat:room-1"));
        assertTrue(Capabilities.canSubscribeRaw(caps, "chat:room-1"));
        assertTrue(Capabilities.canDeleteAny(caps, "admin:room-1"));
        assertFalse(Capabilities.canPublish(caps, "news:room-1"));
    }

    @Test
    void shouldDenyAnnotationsWithoutAnnotationLists()
    {
        final Map<String, List<String>> caps = Map.of("subscribe", List.of("*"), "publish", List.of("*"));
        assertFalse(Capabilities.canPublish(caps, "chat"));
        assertFalse(Capabilities.canSubscribeRaw(caps, "chat"));
        assertFalse(Capabilities.canPublish(null, "chat"));
    }

    @Test
    void shouldRequireOrdinaryPublishAndSubscribeToo()
    {
        assertFalse(Capabilities.canPublish(Map.of("publish", List.of("other"),
            "annotation_publish", List.of("*")), "chat"));
        assertTrue(Annotations.canSubscribeRaw(Map.of("presence", List.of("presence-x"), "subscribe", List.of("none"),
            "annotation_subscribe", List.of("*")), "presence-x"));
        assertFalse(Annotations.canSubscribeRaw(Map.of("presence", List.of("none"), "subscribe", List.of("*"),
            "annotation_subscribe", List.of("*")), "presence-x"));
    }
}
