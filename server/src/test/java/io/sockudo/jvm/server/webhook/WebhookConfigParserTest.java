package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.config.ConfigException;
import io.sockudo.jvm.server.config.ConfigLoader;
import io.sockudo.jvm.server.config.ServerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookConfigParserTest
{
    private static final String APP = "[[app_manager.array.apps]]\nid = \"a\"\nkey = \"k\"\nsecret = \"s\"\n" +
        "[[app_manager.array.apps]]\nid = \"b\"\nkey = \"k2\"\nsecret = \"s2\"\n";

    private static Webhooks webhooks(final String toml)
    {
        final ServerContext context = ConfigLoader.fromToml(toml, Map.of());
        return new Webhooks(context, new AppRegistry(context.apps, 1, context.idempotency));
    }

    private static List<WebhookTarget> targets(final String toml, final int app)
    {
        final ServerContext context = ConfigLoader.fromToml(toml, Map.of());
        return WebhookConfigParser.parse(context.apps.get(app), app, context.webhooks);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "url = 5|app_manager.array.apps[1].policy.webhooks[1].url: expected an http or https URL but was 5",
        "event_types = []|NONE",
        "url = \"ftp://x/y\"|app_manager.array.apps[1].policy.webhooks[1].url: expected an http or https URL " +
            "but was \"ftp://x/y\"",
        "lambda_function = \"f\"|app_manager.array.apps[1].policy.webhooks[1].lambda_function: AWS Lambda " +
            "webhooks are not supported by this server; use an HTTP url",
        "lambda = { function_name = \"f\", region = \"r\" }|app_manager.array.apps[1].policy.webhooks[1].lambda: " +
            "AWS Lambda webhooks are not supported by this server; use an HTTP url",
        "event_types = [\"channel_occupied\", \"nope\"]|app_manager.array.apps[1].policy.webhooks[1]" +
            ".event_types[1]: expected one of channel_occupied, channel_vacated, member_added, member_removed, " +
            "client_event, cache_miss, subscription_count but was \"nope\"",
        "filter = { channel_pattern = \"(\" }|app_manager.array.apps[1].policy.webhooks[1].filter.channel_pattern: " +
            "invalid regular expression \"(\": Unclosed group near index 1",
        "filter = { channel_prefix = 1 }|app_manager.array.apps[1].policy.webhooks[1].filter.channel_prefix: " +
            "expected a string but was 1",
        "headers = { Host = \"x\" }|app_manager.array.apps[1].policy.webhooks[1].headers.Host: header not allowed: " +
            "restricted header name: \"Host\"",
        "retry = { max_attempts = 0 }|app_manager.array.apps[1].policy.webhooks[1].retry.max_attempts: expected " +
            "an integer in 1..2147483647 but was 0",
        "retry = { enabled = \"yes\" }|app_manager.array.apps[1].policy.webhooks[1].retry.enabled: expected a " +
            "boolean but was \"yes\"",
        "request_timeout_ms = 0|app_manager.array.apps[1].policy.webhooks[1].request_timeout_ms: expected an " +
            "integer in 1..2147483647 but was 0",
    })
    void badValuesNameTheirKey(final String line, final String message)
    {
        final String toml = APP + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://h/ok\"\n" +
            "[[app_manager.array.apps.policy.webhooks]]\n" + (line.startsWith("url") ? "" : "url = \"http://h/2\"\n") +
            line + "\n";
        if ("NONE".equals(message))
        {
            assertEquals(2, targets(toml, 1).size());
            return;
        }
        final ConfigException ex = assertThrows(ConfigException.class, () -> webhooks(toml));
        assertEquals(message, ex.getMessage());
    }

    @Test
    void flatFormIsNamedToo()
    {
        final String toml = "[[app_manager.array.apps]]\nid = \"a\"\nkey = \"k\"\nsecret = \"s\"\n" +
            "webhooks = [{ url = \"nope\" }]\n";
        final ConfigException ex = assertThrows(ConfigException.class, () -> webhooks(toml));
        assertEquals("app_manager.array.apps[0].webhooks[0].url: expected an http or https URL but was \"nope\"",
            ex.getMessage());
    }

    @Test
    void defaultsComeFromTheWebhooksSectionAndSameUrlsCollapse()
    {
        final String toml = APP + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://h/a\"\n" +
            "event_types = [\"member_added\"]\n" +
            "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://h/a\"\n" +
            "event_types = [\"channel_occupied\"]\nfilter = { channel_suffix = \"-x\" }\n" +
            "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://h/b\"\nrequest_timeout_ms = 77\n" +
            "retry = { max_attempts = 2, initial_backoff_ms = 5 }\n" +
            "[webhooks]\nrequest_timeout_ms = 1234\nretry = { max_elapsed_time_ms = 99, initial_backoff_ms = 7 }\n";
        final List<WebhookTarget> list = targets(toml, 1);
        assertEquals(2, list.size());
        final WebhookTarget a = list.get(0);
        assertEquals("http://h/a", a.urlText);
        assertEquals(1234, a.timeoutMs);
        assertEquals(7, a.retry.backoffMs(1));
        assertEquals(-1, a.retry.nextDelayMs(1, 93));
        assertTrue(a.wants(WebhookEventType.MEMBER_ADDED, "presence-r"));
        assertTrue(a.wants(WebhookEventType.CHANNEL_OCCUPIED, "a-x"));
        assertFalse(a.wants(WebhookEventType.CHANNEL_OCCUPIED, "a-y"));
        assertFalse(a.wants(WebhookEventType.CHANNEL_VACATED, "a-x"));
        final WebhookTarget b = list.get(1);
        assertEquals(77, b.timeoutMs);
        assertEquals(2, b.retry.maxAttempts());
        assertEquals(5, b.retry.backoffMs(1));
        for (final WebhookEventType type : WebhookEventType.values())
        {
            assertTrue(b.wants(type, "any"));
        }
    }

    @Test
    void enabledOnlyForAppsWithWebhooksAndNotWithTheNoneDriver()
    {
        final String toml = APP + "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://h/a\"\n";
        final ServerContext context = ConfigLoader.fromToml(toml, Map.of());
        final AppRegistry apps = new AppRegistry(context.apps, 1, context.idempotency);
        final Webhooks on = new Webhooks(context, apps);
        assertFalse(on.enabledFor(apps.byId("a")));
        assertTrue(on.enabledFor(apps.byId("b")));

        final ServerContext none = ConfigLoader.fromToml(toml, Map.of("QUEUE_DRIVER", "none"));
        final AppRegistry noneApps = new AppRegistry(none.apps, 1, none.idempotency);
        assertFalse(new Webhooks(none, noneApps).enabledFor(noneApps.byId("b")));
    }
}
