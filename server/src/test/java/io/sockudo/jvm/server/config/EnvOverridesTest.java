package io.sockudo.jvm.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvOverridesTest
{
    private static final String ONE_APP = String.join("\n",
        "port = 7000", "activity_timeout = 50", "[metrics]", "port = 9000",
        "[[app_manager.array.apps]]", "id = \"file\"", "key = \"file-key\"", "secret = \"s\"");

    private static String message(final String toml, final Map<String, String> env)
    {
        return assertThrows(ConfigException.class, () -> ConfigLoader.fromToml(toml, env)).getMessage();
    }

    @Test
    void envBeatsTheFile()
    {
        final Map<String, String> env = Map.of(
            "HOST", "127.0.0.2", "PORT", "7100", "ACTIVITY_TIMEOUT", "15", "METRICS_PORT", "9100",
            "RATE_LIMITER_ENABLED", "false", "ENVIRONMENT", "staging", "INSTANCE_PROCESS_ID", "node-9",
            "REACTOR_THREADS", "2", "WEBSOCKET_MAX_PAYLOAD_KB", "32", "SHUTDOWN_GRACE_PERIOD", "1");
        final ServerContext context = ConfigLoader.fromToml(ONE_APP, env);

        assertEquals("127.0.0.2", context.host);
        assertEquals(7100, context.port);
        assertEquals(15, context.activityTimeoutSeconds);
        assertEquals(9100, context.metrics.port);
        assertFalse(context.rateLimiter.enabled);
        assertEquals("staging", context.mode);
        assertEquals("node-9", context.instanceProcessId);
        assertEquals(2, context.reactorThreads);
        assertEquals(32 * 1024, context.maxWebSocketMessageBytes());
        assertEquals(1, context.shutdownGracePeriodSeconds);
    }

    @Test
    void withoutEnvTheFileValuesStay()
    {
        final ServerContext context = ConfigLoader.fromToml(ONE_APP, Map.of());
        assertEquals(7000, context.port);
        assertEquals(50, context.activityTimeoutSeconds);
        assertEquals(9000, context.metrics.port);
        assertTrue(context.rateLimiter.enabled);
    }

    @ParameterizedTest
    @CsvSource({
        "true,true", "TRUE,true", "1,true", "yes,true", "On,true", " on ,true",
        "false,false", "False,false", "0,false", "no,false", "OFF,false",
    })
    void booleanSpellings(final String value, final boolean expected)
    {
        final ServerContext context = ConfigLoader.fromToml(
            "[rate_limiter]\nenabled = " + !expected, Map.of("RATE_LIMITER_ENABLED", value));
        assertEquals(expected, context.rateLimiter.enabled);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORT|abc|PORT: expected an integer in 0..65535 but was \"abc\"",
        "PORT|70000|PORT: expected an integer in 0..65535 but was \"70000\"",
        "ACTIVITY_TIMEOUT|0|ACTIVITY_TIMEOUT: expected an integer in 1..",
        "METRICS_PORT|9601x|METRICS_PORT: expected an integer in 0..65535",
        "RATE_LIMITER_ENABLED|maybe|RATE_LIMITER_ENABLED: expected a boolean",
        "DEBUG|sure|DEBUG: expected a boolean",
        "HOST|'  '|HOST: expected a non-empty host name or address",
        "APP_MANAGER_DRIVER|postgres|APP_MANAGER_DRIVER: only \"memory\" is supported by this server, got \"postgres\"",
        "WEBSOCKET_COMPRESSION|shared|WEBSOCKET_COMPRESSION: permessage-deflate is not supported",
        "CORS_ORIGINS|https://ok.com,*.*x.com|CORS_ORIGINS[1]: invalid origin pattern",
        "SSL_ENABLED|true|SSL_ENABLED: TLS is not supported",
        "UNIX_SOCKET_ENABLED|yes|UNIX_SOCKET_ENABLED: unix sockets are not supported",
        "RATE_LIMITER_DRIVER|etcd|RATE_LIMITER_DRIVER: expected one of",
    })
    void malformedEnvNamesTheVariable(final String name, final String value, final String expectedStart)
    {
        final String message = message("", Map.of(name, value));
        assertTrue(message.startsWith(expectedStart), message);
    }

    @Test
    void debugForcesOnButDebugModeDecides()
    {
        assertTrue(ConfigLoader.fromToml("", Map.of("DEBUG_MODE", "yes")).debug);
        assertFalse(ConfigLoader.fromToml("debug = true", Map.of("DEBUG_MODE", "off")).debug);
        assertTrue(ConfigLoader.fromToml("", Map.of("DEBUG_MODE", "false", "DEBUG", "true")).debug);
        assertTrue(ConfigLoader.fromToml("debug = true", Map.of("DEBUG", "false")).debug);
    }

    @Test
    void websocketAndCorsAndHttpVariables()
    {
        final Map<String, String> env = new HashMap<>();
        env.put("WEBSOCKET_MAX_MESSAGES", "none");
        env.put("WEBSOCKET_MAX_BYTES", "2048");
        env.put("WEBSOCKET_DISCONNECT_ON_BUFFER_FULL", "false");
        env.put("WEBSOCKET_MAX_MESSAGE_SIZE", "100");
        env.put("WEBSOCKET_MAX_FRAME_SIZE", "50");
        env.put("WEBSOCKET_WRITE_BUFFER_SIZE", "10");
        env.put("WEBSOCKET_MAX_BACKPRESSURE", "20");
        env.put("WEBSOCKET_AUTO_PING", "no");
        env.put("WEBSOCKET_PING_INTERVAL", "5");
        env.put("WEBSOCKET_IDLE_TIMEOUT", "0");
        env.put("WEBSOCKET_COMPRESSION", "Disabled");
        env.put("CORS_ORIGINS", "https://a.example.com, *.b.example.com");
        env.put("CORS_METHODS", "GET,PUT");
        env.put("CORS_HEADERS", "X-One, X-Two");
        env.put("CORS_CREDENTIALS", "true");
        env.put("HTTP_API_USAGE_ENABLED", "0");
        env.put("METRICS_ENABLED", "false");
        env.put("METRICS_HOST", "127.0.0.1");
        env.put("METRICS_PROMETHEUS_PREFIX", "p_");
        env.put("RATE_LIMITER_API_MAX_REQUESTS", "1");
        env.put("RATE_LIMITER_API_WINDOW_SECONDS", "2");
        env.put("RATE_LIMITER_API_TRUST_HOPS", "3");
        env.put("RATE_LIMITER_WS_MAX_REQUESTS", "4");
        env.put("RATE_LIMITER_WS_WINDOW_SECONDS", "5");
        env.put("CACHE_TTL_SECONDS", "6");
        env.put("SSL_ENABLED", "false");
        env.put("USER_AUTHENTICATION_TIMEOUT", "7");
        final ServerContext context = ConfigLoader.fromToml("[websocket]\nmax_messages = 10", env);

        assertEquals(0, context.websocket.maxMessages);
        assertEquals(2048, context.websocket.maxBytes);
        assertEquals(2048, context.maxWebSocketMessageBytes());
        assertFalse(context.websocket.disconnectOnBufferFull);
        assertEquals(100, context.websocket.maxMessageSize);
        assertEquals(50, context.websocket.maxFrameSize);
        assertEquals(10, context.websocket.writeBufferSize);
        assertEquals(20, context.websocket.maxBackpressure);
        assertFalse(context.websocket.autoPing);
        assertEquals(5, context.websocket.pingIntervalSeconds);
        assertEquals(0, context.websocket.idleTimeoutSeconds);
        assertEquals("disabled", context.websocket.compression);
        assertEquals(List.of("https://a.example.com", "*.b.example.com"), context.cors.origin);
        assertEquals(List.of("GET", "PUT"), context.cors.methods);
        assertEquals(List.of("X-One", "X-Two"), context.cors.allowedHeaders);
        assertTrue(context.cors.credentials);
        assertFalse(context.httpApi.usageEnabled);
        assertFalse(context.metrics.enabled);
        assertEquals("127.0.0.1", context.metrics.host);
        assertEquals("p_", context.metrics.prometheusPrefix);
        assertEquals(1, context.rateLimiter.api.maxRequests);
        assertEquals(2, context.rateLimiter.api.windowSeconds);
        assertEquals(3, context.rateLimiter.api.trustHops);
        assertEquals(4, context.rateLimiter.websocket.maxRequests);
        assertEquals(5, context.rateLimiter.websocket.windowSeconds);
        assertEquals(6, context.channelLimits.cacheTtlSeconds);
        assertEquals(Map.of("enabled", false), context.sections.get("ssl"));
        assertEquals(7, context.userAuthenticationTimeoutSeconds);
    }

    @Test
    void sslEnvCanTurnOffTheFileSwitch()
    {
        final ServerContext context = ConfigLoader.fromToml(
            "[ssl]\nenabled = true\ncert_path = \"/c\"", Map.of("SSL_ENABLED", "off"));
        assertEquals(Map.of("enabled", false, "cert_path", "/c"), context.sections.get("ssl"));
    }

    @Test
    void defaultAppFromEnvReplacesTheDemoAppWithLimitsOf100()
    {
        final ServerContext context = ConfigLoader.fromToml("", Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "env-id", "SOCKUDO_DEFAULT_APP_KEY", "env-key",
            "SOCKUDO_DEFAULT_APP_SECRET", "env-secret"));

        assertEquals(1, context.apps.size());
        final AppConfig app = context.apps.get(0);
        assertEquals("env-id", app.id);
        assertEquals("env-key", app.key);
        assertEquals("env-secret", app.secret);
        assertTrue(app.enabled);
        assertEquals(100, app.maxConnections);
        assertEquals(100, app.maxBackendEventsPerSecond);
        assertEquals(100, app.maxClientEventsPerSecond);
        assertEquals(100, app.maxReadRequestsPerSecond);
        assertEquals(100, app.maxPresenceMembersPerChannel);
        assertEquals(100, app.maxPresenceMemberSizeInKb);
        assertEquals(100, app.maxChannelNameLength);
        assertEquals(100, app.maxEventChannelsAtOnce);
        assertEquals(100, app.maxEventNameLength);
        assertEquals(100, app.maxEventPayloadInKb);
        assertEquals(100, app.maxEventBatchSize);
        assertFalse(app.enableClientMessages);
        assertFalse(app.enableUserAuthentication);
        assertFalse(app.enableWatchlistEvents);
        assertEquals(Boolean.FALSE, app.annotationsEnabled);
        assertEquals(List.of(), app.allowedOrigins);
    }

    @Test
    void defaultAppFromEnvIsAppendedToFileAppsWithOverrides()
    {
        final Map<String, String> env = new HashMap<>();
        env.put("SOCKUDO_DEFAULT_APP_ID", "env-id");
        env.put("SOCKUDO_DEFAULT_APP_KEY", "env-key");
        env.put("SOCKUDO_DEFAULT_APP_SECRET", "env-secret");
        env.put("SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS", "5");
        env.put("SOCKUDO_DEFAULT_APP_MAX_EVENT_BATCH_SIZE", "6");
        env.put("SOCKUDO_DEFAULT_APP_MAX_PRESENCE_MEMBER_SIZE_IN_KB", "7");
        env.put("SOCKUDO_ENABLE_CLIENT_MESSAGES", "true");
        env.put("SOCKUDO_DEFAULT_APP_ENABLE_USER_AUTHENTICATION", "yes");
        env.put("SOCKUDO_DEFAULT_APP_ENABLE_WATCHLIST_EVENTS", "1");
        env.put("SOCKUDO_DEFAULT_APP_ANNOTATIONS_ENABLED", "on");
        env.put("SOCKUDO_DEFAULT_APP_ALLOWED_ORIGINS", "https://a.example.com, *.b.example.com");
        final ServerContext context = ConfigLoader.fromToml(ONE_APP, env);

        assertEquals(2, context.apps.size());
        assertEquals("file", context.apps.get(0).id);
        final AppConfig app = context.apps.get(1);
        assertEquals("env-id", app.id);
        assertEquals(5, app.maxConnections);
        assertEquals(6, app.maxEventBatchSize);
        assertEquals(7, app.maxPresenceMemberSizeInKb);
        assertTrue(app.enableClientMessages, "SOCKUDO_ENABLE_CLIENT_MESSAGES is the fallback");
        assertTrue(app.enableUserAuthentication);
        assertTrue(app.enableWatchlistEvents);
        assertEquals(Boolean.TRUE, app.annotationsEnabled);
        assertEquals(List.of("https://a.example.com", "*.b.example.com"), app.allowedOrigins);

        env.put("SOCKUDO_DEFAULT_APP_ENABLE_CLIENT_MESSAGES", "false");
        assertFalse(ConfigLoader.fromToml(ONE_APP, env).apps.get(1).enableClientMessages,
            "the app-specific variable beats SOCKUDO_ENABLE_CLIENT_MESSAGES");
    }

    @Test
    void defaultAppNeedsAllThreeCredentialsAndCanBeDisabled()
    {
        final ServerContext partial = ConfigLoader.fromToml("", Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "env-id", "SOCKUDO_DEFAULT_APP_KEY", "env-key"));
        assertEquals("app-id", partial.apps.get(0).id, "demo app stays");

        final ServerContext disabled = ConfigLoader.fromToml(ONE_APP, Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "env-id", "SOCKUDO_DEFAULT_APP_KEY", "env-key",
            "SOCKUDO_DEFAULT_APP_SECRET", "s", "SOCKUDO_DEFAULT_APP_ENABLED", "false"));
        assertEquals(1, disabled.apps.size());
        assertEquals("file", disabled.apps.get(0).id);
    }

    @Test
    void defaultAppWithTheSameIdReplacesTheFileAppButADuplicateKeyFails()
    {
        final ServerContext replaced = ConfigLoader.fromToml(ONE_APP, Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "file", "SOCKUDO_DEFAULT_APP_KEY", "new-key",
            "SOCKUDO_DEFAULT_APP_SECRET", "s"));
        assertEquals(1, replaced.apps.size());
        assertEquals("new-key", replaced.apps.get(0).key);

        final String message = message(ONE_APP, Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "other", "SOCKUDO_DEFAULT_APP_KEY", "file-key",
            "SOCKUDO_DEFAULT_APP_SECRET", "s"));
        assertEquals("SOCKUDO_DEFAULT_APP_KEY: duplicate app key \"file-key\"", message);
    }

    @Test
    void malformedDefaultAppLimitNamesTheVariable()
    {
        final String message = message("", Map.of(
            "SOCKUDO_DEFAULT_APP_ID", "i", "SOCKUDO_DEFAULT_APP_KEY", "k", "SOCKUDO_DEFAULT_APP_SECRET", "s",
            "SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS", "lots"));
        assertTrue(message.startsWith("SOCKUDO_DEFAULT_APP_MAX_CONNECTIONS: expected an integer"), message);
    }
}
