package io.sockudo.jvm.server.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerContextTest
{
    private static AppConfig app(final String id, final String key)
    {
        final AppConfig app = new AppConfig();
        app.id = id;
        app.key = key;
        app.secret = "secret";
        return app;
    }

    @Test
    void concludeInCodeAppliesFallbacksAndIsRepeatable()
    {
        final ServerContext context = new ServerContext();
        context.port = 0;
        context.eventLimits.maxBatchSize = 4;
        final AppConfig app = app("a", "k");
        app.maxEventNameLength = 50;
        context.apps.add(app);

        assertSame(context, context.conclude());
        assertEquals(1, context.apps.size(), "no demo app when an app exists");
        assertEquals(4, app.maxEventBatchSize);
        assertEquals(50, app.maxEventNameLength);
        assertEquals(100, app.maxPresenceMembersPerChannel);
        assertNotNull(context.instanceProcessId);

        final String processId = context.instanceProcessId;
        context.conclude();
        assertEquals(4, app.maxEventBatchSize);
        assertEquals(processId, context.instanceProcessId);
    }

    @Test
    void concludeInCodeRejectsBadValuesByKey()
    {
        final ServerContext badPort = new ServerContext();
        badPort.port = -5;
        assertEquals("port: expected an integer in 0..65535 but was -5",
            assertThrows(ConfigException.class, badPort::conclude).getMessage());

        final ServerContext zeroLimit = new ServerContext();
        final AppConfig app = app("a", "k");
        app.maxEventBatchSize = 0;
        zeroLimit.apps.add(app);
        assertTrue(assertThrows(ConfigException.class, zeroLimit::conclude).getMessage()
            .startsWith("apps[0].max_event_batch_size: expected an integer in 1.."));

        final ServerContext badNamespace = new ServerContext();
        final AppConfig withNamespace = app("a", "k");
        final NamespaceConfig namespace = new NamespaceConfig();
        namespace.name = "n";
        namespace.channelNamePattern = "[";
        withNamespace.channelNamespaces = List.of(namespace);
        badNamespace.apps.add(withNamespace);
        assertTrue(assertThrows(ConfigException.class, badNamespace::conclude).getMessage()
            .startsWith("apps[0].channel_namespaces[0].channel_name_pattern: invalid regular expression"));

        final ServerContext dupKey = new ServerContext();
        dupKey.apps.add(app("a", "k"));
        dupKey.apps.add(app("b", "k"));
        assertEquals("apps[1].key: duplicate app key \"k\"",
            assertThrows(ConfigException.class, dupKey::conclude).getMessage());

        final ServerContext badDriver = new ServerContext();
        badDriver.appManagerDriver = "dynamodb";
        assertEquals("app_manager.driver: only \"memory\" is supported by this server, got \"dynamodb\"",
            assertThrows(ConfigException.class, badDriver::conclude).getMessage());

        final ServerContext badCompression = new ServerContext();
        badCompression.websocket.compression = "dedicated";
        assertTrue(assertThrows(ConfigException.class, badCompression::conclude).getMessage()
            .startsWith("websocket.compression: permessage-deflate is not supported"));
    }

    @Test
    void inboundLimitPrefersMaxBytes()
    {
        final ServerContext context = new ServerContext();
        assertEquals(64 * 1024, context.maxWebSocketMessageBytes());
        context.websocketMaxPayloadKb = 1;
        assertEquals(1024, context.maxWebSocketMessageBytes());
        context.websocket.maxBytes = 4096;
        assertEquals(4096, context.maxWebSocketMessageBytes());
    }

    @Test
    void reactorThreadsDefaultToTheCoreCount()
    {
        final ServerContext context = new ServerContext();
        assertEquals(Runtime.getRuntime().availableProcessors(), context.effectiveReactorThreads());
        context.reactorThreads = 7;
        assertEquals(7, context.effectiveReactorThreads());
    }
}
