package io.sockudo.jvm.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /usage} and {@code /stats} (spec ops-config 3.2). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpsEndpointsIT
{
    @Test
    @SuppressWarnings("unchecked")
    void shouldReportMemoryAndNodeLocalCounts() throws Exception
    {
        try (TestServer server = TestServer.start(); PusherSocket a = server.connect(); PusherSocket b = server.connect())
        {
            a.subscribe("my-channel");
            a.subscribePresence("presence-room", "{\"user_id\":\"u1\"}");
            b.subscribePresence("presence-room", "{\"user_id\":\"u2\"}");
            a.expectEvent("pusher_internal:member_added");
            b.signin("{\"id\":\"u2\"}");

            final Api.Response usage = Api.raw(server.port(), "GET", "/usage", null);
            assertEquals(200, usage.status(), usage.toString());
            final Map<String, Object> memory = (Map<String, Object>)usage.json().get("memory");
            final long total = ((Number)memory.get("total")).longValue();
            assertTrue(total > 0 && ((Number)memory.get("used")).longValue() <= total, usage.toString());

            final Api.Response stats = Api.raw(server.port(), "GET", "/stats", null);
            assertEquals(200, stats.status(), stats.toString());
            final Map<String, Object> totals = (Map<String, Object>)stats.json().get("totals");
            assertEquals(2L, ((Number)totals.get("apps")).longValue());
            assertEquals(2L, ((Number)totals.get("connections")).longValue());
            assertEquals(1L, ((Number)totals.get("authenticated_connections")).longValue());
            assertEquals(2L, ((Number)totals.get("users")).longValue());
            assertEquals(Map.of("channels", 2L, "subscriptions", 3L, "presence_channels", 1L,
                "presence_subscriptions", 2L, "presence_members", 2L), totals.get("occupancy"));
            final List<Map<String, Object>> apps = (List<Map<String, Object>>)stats.json().get("apps");
            assertEquals(List.of("app-id", "disabled-id"), List.of(apps.get(0).get("app_id"), apps.get(1).get("app_id")));
        }
    }

    @Test
    void shouldNotServeUsageWhenDisabled()
    {
        try (TestServer server = TestServer.start("[http_api]\nusage_enabled = false\n" + TestServer.FIXTURE))
        {
            assertEquals(404, Api.raw(server.port(), "GET", "/usage", null).status());
            assertEquals(404, Api.raw(server.port(), "GET", "/stats", null).status());
        }
    }
}
