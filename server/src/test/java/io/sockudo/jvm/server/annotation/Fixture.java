package io.sockudo.jvm.server.annotation;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The common fixture of spec section 9: app {@code app}, channel {@code chat}, message {@code msg:1}, annotations
 * enabled globally and by policy, serials {@code {ms:020}:node-a:{counter:020}} from a controllable clock.
 */
final class Fixture
{
    static final String APP = "app";
    static final String CHANNEL = "chat";
    static final String MSG = "msg:1";

    final InMemoryJournal journal;
    final Annotations annotations;
    final Map<String, Actor> sockets = new HashMap<>();
    long nowMs = 1_775_292_000_123L;
    long counter;
    boolean policyEnabled = true;
    int budget = -1;
    final String node;
    Set<String> messages = Set.of(MSG, "msg:2", "msg:3");

    Fixture()
    {
        this(true, 65_536, Annotations.DEFAULT_MAX_RESIDENT_PROJECTIONS, new InMemoryJournal(), "node-a");
    }

    Fixture(final boolean enabled, final int maxPayloadBytes, final int maxResident, final InMemoryJournal journal,
        final String node)
    {
        this.journal = journal;
        this.node = node;
        this.annotations = new Annotations(enabled, maxPayloadBytes, journal, this::nextSerial, () -> nowMs,
            Annotations.DEFAULT_MAX_PAGE_SIZE, maxResident);
    }

    String nextSerial()
    {
        return String.format("%020d:%s:%020d", nowMs, node, ++counter);
    }

    Request request(final String message, final String body, final Map<String, String> query)
    {
        return new Request(APP, CHANNEL, message, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
            query, policyEnabled, messages::contains, sockets::get, budget);
    }

    Reply publish(final String body)
    {
        return annotations.publish(request(MSG, body, Map.of()));
    }

    Reply publish(final String type, final String name, final String clientId)
    {
        final StringBuilder sb = new StringBuilder("{\"type\":\"").append(type).append('"');
        if (name != null)
        {
            sb.append(",\"name\":\"").append(name).append('"');
        }
        if (clientId != null)
        {
            sb.append(",\"clientId\":\"").append(clientId).append('"');
        }
        return publish(sb.append('}').toString());
    }

    String publishOk(final String type, final String name, final String clientId)
    {
        final Reply reply = publish(type, name, clientId);
        if (reply.status() != 200)
        {
            throw new AssertionError(reply.body());
        }
        return serialOf(reply);
    }

    Reply delete(final String serial)
    {
        return annotations.delete(request(MSG, null, Map.of()), serial);
    }

    Reply delete(final String serial, final String socketId)
    {
        return annotations.delete(request(MSG, null, Map.of("socket_id", socketId)), serial);
    }

    Reply list(final Map<String, String> query)
    {
        return annotations.list(request(MSG, null, query));
    }

    String summary(final String type)
    {
        return annotations.summary(APP, CHANNEL, MSG, type);
    }

    static String serialOf(final Reply reply)
    {
        final String body = reply.body();
        final int start = body.indexOf("\"annotationSerial\":\"") + "\"annotationSerial\":\"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    static Actor v2(final String userId, final Map<String, List<String>> capabilities)
    {
        return new Actor(true, true, userId, capabilities);
    }

    /** Encodes an event record as the engine journals it, for restore-based tests. */
    static byte[] record(final boolean delete, final String id, final String serial, final String type,
        final String target, final String name, final String clientId, final Long count)
    {
        return AnnotationRecord.encode(delete, id, serial, MSG, type, target, name, clientId, count != null,
            count == null ? 0 : count, null, null, 1L);
    }
}
