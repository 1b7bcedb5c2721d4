package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.ConfigLoader;
import io.sockudo.jvm.server.config.ServerContext;
import org.junit.jupiter.api.Test;

class WebhooksTest
{
    private static final String TOML = "[[app_manager.array.apps]]\nid = \"a\"\nkey = \"k\"\nsecret = \"s\"\n" +
        "[[app_manager.array.apps.policy.webhooks]]\nurl = \"http://127.0.0.1:1/h\"\n" +
        "event_types = [\"member_added\", \"client_event\"]\n" +
        "[[app_manager.array.apps]]\nid = \"b\"\nkey = \"k2\"\nsecret = \"s2\"\n";

    @Test
    void onlyReportsAnAppsWebhooksCanUseAreQueuedAndAFullInboxDrops()
    {
        final ServerContext context = ConfigLoader.fromToml(TOML, Map.of());
        final AppRegistry apps = new AppRegistry(context.apps, 1, context.idempotency);
        final AppState a = apps.byId("a");
        final AppState b = apps.byId("b");
        final Webhooks webhooks = new Webhooks(context, apps);

        webhooks.channelOccupied(a, "c");
        webhooks.subscriptionCount(a, "c", 1);
        webhooks.cacheMiss(a, "cache-c");
        webhooks.memberAdded(b, "presence-c", "u");
        assertEquals(0, webhooks.pendingReports());

        webhooks.memberAdded(a, "presence-c", "u");
        webhooks.memberRemoved(a, "presence-c", "u"); // needed to cancel a re-add
        webhooks.clientEvent(a, "private-c", "client-x", "{}", "1.1", null);
        assertEquals(3, webhooks.pendingReports());

        for (int i = 0; i < Webhooks.INBOX_CAPACITY; i++)
        {
            webhooks.clientEvent(a, "private-c", "client-x", "{}", "1.1", null);
        }
        assertEquals(Webhooks.INBOX_CAPACITY, webhooks.pendingReports());
        assertEquals(3, webhooks.dropped());
        webhooks.close();
    }
}
