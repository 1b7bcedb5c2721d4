package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP routes at engine level (spec 5, tests 9.D1 to D9, 9.A8 to A10) and the frames they return (spec 6).
 */
@Timeout(10)
class AnnotationsHttpTest
{
    private static final String TOTAL = "reactions:total.v1";
    private static final String DISTINCT = "reactions:distinct.v1";

    private final Fixture f = new Fixture();

    @Test
    void shouldAnswer422WhenAnnotationsAreDisabledGlobally()
    {
        final Fixture off = new Fixture(false, 65_536, 16, new InMemoryJournal(), "n");
        final Reply reply = off.publish("{\"type\":\"" + TOTAL + "\"}");
        assertEquals(422, reply.status());
        assertEquals("{\"error\":\"Annotations are disabled globally for channel 'chat'\"," +
            "\"code\":\"feature_disabled\"," +
            "\"status\":422}", reply.body());
        assertEquals(422, off.delete("x").status());
        assertEquals(422, off.list(Map.of()).status());
    }

    @Test
    void shouldAnswer403WhenChannelPolicyIsOff()
    {
        f.policyEnabled = false;
        final Reply reply = f.publish("{\"type\":\"" + TOTAL + "\"}");
        assertEquals(403, reply.status());
        assertTrue(reply.body().contains("Annotations are disabled by channel policy for channel 'chat'"));
        assertEquals(403, f.delete("x").status());
        assertEquals(403, f.list(Map.of()).status());
    }

    @Test
    void shouldDenySocketWithoutAnnotationPublishCapability()
    {
        f.sockets.put("21.21", Fixture.v2("user-1", Map.of("publish", List.of(Fixture.CHANNEL))));
        final Reply reply = f.publish("{\"type\":\"" + DISTINCT + "\",\"name\":\"thumbsup\",\"clientId\":\"user-1\"," +
            "\"socketId\":\"21.21\"}");
        assertEquals(403, reply.status());
        assertTrue(reply.body().contains("annotation-publish capability is required for channel 'chat'"));
        assertTrue(f.journal.entries.isEmpty());
    }

    @Test
    void shouldPublishAsSocketUserWithCapability()
    {
        f.sockets.put("21.21", Fixture.v2("user-1", Map.of("annotation_publish", List.of("ch*"))));
        final Reply reply = f.publish("{\"type\":\"" + DISTINCT + "\",\"name\":\"thumbsup\",\"socketId\":\"21.21\"}");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("{\"thumbsup\":{\"total\":1,\"clientIds\":[\"user-1\"],\"clipped\":false}}", f.summary(DISTINCT));
    }

    @Test
    void shouldRejectSocketActorsThatAreUnknownV1OrMismatched()
    {
        f.sockets.put("1.1", new Actor(true, false, "user-1", Map.of()));
        f.sockets.put("2.2", new Actor(false, true, "user-1", Map.of()));
        f.sockets.put("3.3", Fixture.v2("user-1", Map.of("annotation_publish", List.of("*"))));
        final String type = "{\"type\":\"" + TOTAL + "\",";
        assertEquals("{\"error\":\"Annotation actor socket must use protocol V2\",\"code\":\"auth_failed\"," +
            "\"status\":401}", f.publish(type + "\"socketId\":\"1.1\"}").body());
        assertEquals(401, f.publish(type + "\"socketId\":\"2.2\"}").status());
        assertTrue(f.publish(type + "\"socketId\":\"9.9\"}").body()
            .contains("Annotation actor socket '9.9' is not connected"));
        assertEquals(400, f.publish(type + "\"socketId\":\"abc\"}").status());
        final Reply mismatch = f.publish(type + "\"socketId\":\"3.3\",\"clientId\":\"user-2\"}");
        assertEquals(401, mismatch.status());
        assertTrue(mismatch.body().contains("Requested client_id 'user-2' does not match authenticated actor"));
        assertEquals(200, f.publish(type + "\"socketId\":\"3.3\",\"clientId\":\"user-1\"}").status());
    }

    @Test
    void shouldRejectUnidentifiedOwnershipSummarizer()
    {
        final Reply reply = f.publish("reactions:flag.v1", null, null);
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("annotation client_id is required"));
        assertEquals(400, f.publish("reactions:distinct.v1", null, "c1").status());
        assertTrue(f.publish("reactions:distinct.v1", null, "c1").body().contains("annotation name is required"));
        assertTrue(f.publish("reactions:unique.v1", "like", " ").body().contains("annotation client_id is required"));
        assertTrue(f.journal.entries.isEmpty());
    }

    @Test
    void shouldRejectBlankClientIdForEveryType()
    {
        final Reply multiple = f.publish("{\"type\":\"r:multiple.v1\",\"name\":\"n\",\"clientId\":\"\\u00a0\"}");
        assertEquals(400, multiple.status());
        assertTrue(multiple.body().contains("annotation client_id must not be blank"));
        assertEquals(400, f.publish(TOTAL, null, "").status());
        assertTrue(f.journal.entries.isEmpty());
    }

    @Test
    void shouldValidateBodyAndCheckOrder()
    {
        assertEquals(400, f.publish("{").status());
        assertEquals(400, f.publish("").status());
        assertEquals(422, f.publish("{}").status());
        assertEquals(422, f.publish("[]").status());
        assertEquals(422, f.publish("{\"type\":1}").status());
        assertEquals(422, f.publish("{\"type\":\"" + TOTAL + "\",\"count\":-1}").status());
        assertEquals(422, f.publish("{\"type\":\"" + TOTAL + "\",\"count\":1.5}").status());
        assertEquals(422, f.publish("{\"type\":\"" + TOTAL + "\",\"count\":18446744073709551616}").status());
        assertEquals(422, f.publish("{\"type\":\"" + TOTAL + "\",\"name\":5}").status());
        final Reply zero = f.publish("{\"type\":\"bad\",\"count\":0}");
        assertEquals("{\"error\":\"Annotation count must be greater than 0\",\"code\":\"invalid_input\"," +
            "\"status\":400}", zero.body());
        final Reply missing = f.annotations.publish(f.request("msg:404", "{\"type\":\"bad\"}", Map.of()));
        assertEquals(404, missing.status());
        assertTrue(missing.body().contains("Message 'msg:404' was not found in channel 'chat'"));
        assertEquals(400, f.annotations.publish(f.request("a b", "{\"type\":\"bad\"}", Map.of())).status());
        final Reply badType = f.publish("{\"type\":\"reactions:nope.v1\",\"socketId\":\"9.9\"}");
        assertTrue(badType.body().contains("unsupported annotation summarizer: nope"));
        assertEquals(200, f.publish("{\"type\":\"" + TOTAL + "\",\"count\":18446744073709551615,\"unknown\":[1]," +
            "\"name\":null,\"data\":null}").status());
    }

    @Test
    void shouldPublishAndDeleteUpdatingTheProjection()
    {
        final Reply published = f.publish("{\"type\":\"" + TOTAL + "\",\"data\":{\"source\":\"button\"}}");
        assertEquals(200, published.status());
        final String serial = Fixture.serialOf(published);
        assertEquals("{\"annotationSerial\":\"" + serial + "\"}", published.body());
        assertEquals("{\"total\":1}", f.summary(TOTAL));
        final Reply deleted = f.delete(serial);
        assertEquals(200, deleted.status());
        final String deleteSerial = Fixture.serialOf(deleted);
        assertEquals("{\"annotationSerial\":\"" + deleteSerial + "\",\"deletedAnnotationSerial\":\"" + serial + "\"}",
            deleted.body());
        assertTrue(deleteSerial.compareTo(serial) > 0);
        assertEquals("{\"total\":0}", f.summary(TOTAL));
    }

    @Test
    void shouldReturnSummaryThenRawFrames()
    {
        final Reply published = f.publish("{\"type\":\"" + DISTINCT + "\",\"name\":\"like\",\"clientId\":\"user-1\"," +
            "\"count\":2,\"data\":{ \"raw\" : [1, 2] },\"encoding\":\"json\"}");
        final String serial = Fixture.serialOf(published);
        final List<Broadcast> frames = published.broadcasts();
        assertEquals(2, frames.size());
        assertEquals(new Broadcast("chat", "{\"event\":\"sockudo_internal:message\",\"channel\":\"chat\",\"data\":" +
            "{\"action\":\"message.summary\",\"serial\":\"msg:1\",\"annotations\":{\"summary\":" +
            "{\"reactions:distinct.v1\":{\"like\":{\"total\":1,\"clientIds\":[\"user-1\"],\"clipped\":false}}}}}," +
            "\"extras\":{\"ephemeral\":true}}", false), frames.get(0));
        final String raw = frames.get(1).json();
        assertTrue(frames.get(1).raw());
        final String id = raw.substring(raw.indexOf("\"id\":\"") + 6, raw.indexOf("\",\"serial\""));
        assertEquals(36, id.length());
        assertEquals("{\"event\":\"sockudo_internal:annotation\",\"channel\":\"chat\",\"data\":" +
            "{\"action\":\"annotation.create\",\"id\":\"" + id + "\",\"serial\":\"" + serial + "\"," +
            "\"messageSerial\":\"msg:1\",\"type\":\"reactions:distinct.v1\",\"name\":\"like\"," +
            "\"clientId\":\"user-1\"," +
            "\"count\":2,\"data\":{\"raw\":[1,2]},\"encoding\":\"json\",\"timestamp\":1775292000123}}", raw);
        assertFalse(raw.contains("message_id"));
        assertFalse(raw.contains("stream_id"));

        final Reply deleted = f.delete(serial);
        final String deleteSerial = Fixture.serialOf(deleted);
        assertEquals("{\"event\":\"sockudo_internal:message\",\"channel\":\"chat\",\"data\":" +
            "{\"action\":\"message.summary\",\"serial\":\"msg:1\",\"annotations\":{\"summary\":" +
            "{\"reactions:distinct.v1\":{}}}},\"extras\":{\"ephemeral\":true}}", deleted.broadcasts().get(0).json());
        assertEquals("{\"event\":\"sockudo_internal:annotation\",\"channel\":\"chat\",\"data\":" +
            "{\"action\":\"annotation.delete\",\"serial\":\"" + deleteSerial + "\"," +
            "\"messageSerial\":\"msg:1\",\"type\":\"reactions:distinct.v1\",\"name\":\"like\"," +
            "\"clientId\":\"user-1\"," +
            "\"count\":2,\"timestamp\":1775292000123}}", deleted.broadcasts().get(1).json());
    }

    @Test
    void shouldDeliverIncrementThenDecrement()
    {
        final Reply published = f.publish("{\"type\":\"" + TOTAL + "\"}");
        assertTrue(published.broadcasts().get(0).json().contains("{\"reactions:total.v1\":{\"total\":1}}"));
        final Reply deleted = f.delete(Fixture.serialOf(published));
        assertTrue(deleted.broadcasts().get(0).json().contains("{\"reactions:total.v1\":{\"total\":0}}"));
    }

    @Test
    void shouldAnswer404ForMissingAnnotationOrOtherMessage()
    {
        final Reply missing = f.delete("ann:missing");
        assertEquals(404, missing.status());
        assertTrue(missing.body().contains("Annotation 'ann:missing' was not found in channel 'chat'"));
        final String serial = f.publishOk(TOTAL, null, null);
        final Reply other = f.annotations.delete(f.request("msg:2", null, Map.of()), serial);
        assertEquals(404, other.status());
        assertTrue(other.body().contains("Annotation '" + serial + "' does not target message 'msg:2'"));
        assertEquals(400, f.delete("a b").status());
    }

    @Test
    void shouldRefuseToDeleteADeleteEvent()
    {
        final String serial = f.publishOk(TOTAL, null, null);
        final String deleteSerial = Fixture.serialOf(f.delete(serial));
        final Reply reply = f.delete(deleteSerial);
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("Only annotation.create events can be deleted"));
    }

    @Test
    void shouldTreatRepeatedDeleteAsIdempotent()
    {
        final String serial = f.publishOk(TOTAL, null, null);
        f.publishOk(TOTAL, null, null);
        assertEquals(200, f.delete(serial).status());
        final int records = f.journal.entries.size();
        final Reply again = f.delete(serial);
        assertEquals(200, again.status());
        assertEquals("{\"annotationSerial\":\"" + serial + "\",\"deletedAnnotationSerial\":\"" + serial + "\"}",
            again.body());
        assertTrue(again.broadcasts().isEmpty());
        assertEquals(records, f.journal.entries.size());
        assertEquals("{\"total\":1}", f.summary(TOTAL));
    }

    @Test
    void shouldDenyDeleteOwnOnIdentityMismatch()
    {
        final String serial = f.publishOk(DISTINCT, "thumbsup", "user-1");
        f.sockets.put("22.22", Fixture.v2("user-2", Map.of("annotation-delete-own", List.of("chat"))));
        final Reply reply = f.delete(serial, "22.22");
        assertEquals(403, reply.status());
        assertTrue(reply.body().contains(
            "annotation-delete-own or annotation-delete-any capability is required for channel 'chat'"));
    }

    @Test
    void shouldAllowDeleteOwnForOwner()
    {
        final String serial = f.publishOk(DISTINCT, "thumbsup", "user-1");
        f.sockets.put("22.22", Fixture.v2("user-1", Map.of("annotation_delete_own", List.of("chat"))));
        assertEquals(200, f.delete(serial, "22.22").status());
    }

    @Test
    void shouldAllowDeleteAnyForModerator()
    {
        final String serial = f.publishOk(DISTINCT, "thumbsup", "user-1");
        f.sockets.put("23.23", Fixture.v2("moderator", Map.of("annotation_delete_any", List.of("*"))));
        assertEquals(200, f.delete(serial, "23.23").status());
    }

    @Test
    void shouldRequireIdentifiedClientForDeleteAny()
    {
        final String serial = f.publishOk(TOTAL, null, null);
        f.sockets.put("24.24", Fixture.v2(null, Map.of("annotation_delete_any", List.of("*"))));
        f.sockets.put("25.25", Fixture.v2("u", null));
        assertTrue(f.delete(serial, "24.24").body().contains("annotation-delete-any requires an identified client"));
        assertEquals(403, f.delete(serial, "25.25").status());
        f.sockets.put("26.26", Fixture.v2("u", Map.of("annotation_delete_own", List.of("*"))));
        assertEquals(403, f.delete(serial, "26.26").status());
    }

    @Test
    void shouldListRawEventsWithPaging()
    {
        final String a = f.publishOk(TOTAL, null, null);
        final String b = f.publishOk(DISTINCT, "like", "c1");
        final String c = f.publishOk(TOTAL, null, "c2");
        final String d = Fixture.serialOf(f.delete(a));
        f.annotations.publish(f.request("msg:2", "{\"type\":\"" + TOTAL + "\"}", Map.of()));

        final Reply first = f.list(Map.of("limit", "2"));
        assertEquals(200, first.status());
        final String body = first.body();
        assertTrue(body.startsWith("{\"channel\":\"chat\",\"messageSerial\":\"msg:1\",\"limit\":2,\"hasMore\":true," +
            "\"nextCursor\":\"" + b + "\",\"items\":[{\"action\":\"annotation.create\",\"id\":\""), body);
        assertTrue(body.contains("\"serial\":\"" + a + "\""));
        final Reply second = f.list(Map.of("limit", "2", "from_serial", b));
        assertTrue(second.body().contains("\"hasMore\":false,\"nextCursor\":null"), second.body());
        assertTrue(second.body().contains("\"serial\":\"" + c + "\""));
        assertTrue(second.body().contains("{\"action\":\"annotation.delete\",\"serial\":\"" + d + "\""));

        final Reply typed = f.list(Map.of("type", TOTAL));
        assertTrue(typed.body().contains("\"limit\":100,\"hasMore\":false"));
        assertFalse(typed.body().contains(b));
        assertEquals(3, typed.body().split("\"action\"").length - 1);
        assertTrue(f.list(Map.of("type", "r:flag.v1")).body().endsWith("\"items\":[]}"));
        assertTrue(f.annotations.list(f.request("msg:unknown", null, Map.of())).body().endsWith("\"items\":[]}"));
        assertTrue(f.list(Map.of("limit", "1000")).body().contains("\"limit\":100,"));
    }

    @Test
    void shouldValidateListQuery()
    {
        assertTrue(f.list(Map.of("limit", "0")).body().contains("Annotation event limit must be greater than 0"));
        assertEquals(400, f.list(Map.of("limit", "x")).status());
        assertEquals(400, f.list(Map.of("limit", "-1")).status());
        assertEquals(400, f.list(Map.of("from_serial", "a b")).status());
        assertEquals(400, f.list(Map.of("type", "nope")).status());
        f.sockets.put("5.5", Fixture.v2("u", Map.of("subscribe", List.of("other"),
            "annotation_subscribe", List.of("*"))));
        f.sockets.put("6.6", Fixture.v2("u", Map.of("annotation_subscribe", List.of("chat"))));
        final Reply denied = f.list(Map.of("socket_id", "5.5"));
        assertEquals(403, denied.status());
        assertTrue(denied.body().contains("annotation-subscribe capability is required for channel 'chat'"));
        assertTrue(f.list(Map.of("socket_id", "7.7")).body().contains("Annotation subscriber socket '7.7'"));
        assertEquals(200, f.list(Map.of("socket_id", "6.6")).status());
    }

    @Test
    void shouldSkipEventsGoneFromTheJournalInLists()
    {
        final String a = f.publishOk(TOTAL, null, null);
        final String b = f.publishOk(TOTAL, null, null);
        f.journal.drop(0);
        final String body = f.list(Map.of()).body();
        assertEquals(1, body.split("\"action\"").length - 1);
        assertTrue(body.contains(b));
        assertEquals(404, f.delete(a).status());
    }

    @Test
    void shouldClipLiveSummaryToPayloadBudget()
    {
        final Fixture small = new Fixture(true, 400, 16, new InMemoryJournal(), "n");
        for (int i = 1; i <= 20; i++)
        {
            small.publishOk("reactions:flag.v1", null, "client-" + (100 + i));
        }
        final Reply reply = small.publish("reactions:flag.v1", null, "client-200");
        final String summary = reply.broadcasts().get(0).json();
        assertTrue(summary.length() <= 400, summary);
        assertTrue(summary.contains("\"total\":21,\"clientIds\":[\"client-101\","), summary);
        assertTrue(summary.contains("\"clipped\":true"));
        assertEquals(21, small.summary("reactions:flag.v1").split("client-").length - 1);
    }

    @Test
    void shouldDeliverZeroLimitCandidateWhenNothingFits()
    {
        final Fixture tiny = new Fixture(true, 10, 16, new InMemoryJournal(), "n");
        final Reply reply = tiny.publish("reactions:flag.v1", null, "client-1");
        assertTrue(reply.broadcasts().get(0).json().contains("{\"total\":1,\"clientIds\":[],\"clipped\":true}"));
        final Reply total = tiny.publish(TOTAL, null, null);
        assertTrue(total.broadcasts().get(0).json().contains("{\"total\":1}"));
    }
}
