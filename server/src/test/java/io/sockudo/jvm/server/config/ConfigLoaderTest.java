package io.sockudo.jvm.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest
{
    private static final Map<String, String> NO_ENV = Map.of();

    private static String message(final String toml, final Map<String, String> env)
    {
        return assertThrows(ConfigException.class, () -> ConfigLoader.fromToml(toml, env)).getMessage();
    }

    @Test
    void emptyTomlGivesDefaultsAndTheDemoApp()
    {
        final ServerContext context = ConfigLoader.fromToml("", NO_ENV);

        assertEquals("0.0.0.0", context.host);
        assertEquals(6001, context.port);
        assertFalse(context.debug);
        assertEquals("production", context.mode);
        assertEquals(120, context.activityTimeoutSeconds);
        assertEquals(3600, context.userAuthenticationTimeoutSeconds);
        assertEquals(64, context.websocketMaxPayloadKb);
        assertEquals(10, context.shutdownGracePeriodSeconds);
        assertEquals(0, context.reactorThreads);
        assertEquals(Runtime.getRuntime().availableProcessors(), context.effectiveReactorThreads());
        assertNotNull(context.instanceProcessId);
        assertEquals(36, context.instanceProcessId.length());
        assertEquals("memory", context.appManagerDriver);
        assertEquals(64 * 1024, context.maxWebSocketMessageBytes());

        assertTrue(context.metrics.enabled);
        assertEquals("0.0.0.0", context.metrics.host);
        assertEquals(9601, context.metrics.port);
        assertEquals("sockudo_", context.metrics.prometheusPrefix);

        assertTrue(context.rateLimiter.enabled);
        assertEquals("memory", context.rateLimiter.driver);
        assertEquals(100, context.rateLimiter.api.maxRequests);
        assertEquals(60, context.rateLimiter.api.windowSeconds);
        assertEquals(0, context.rateLimiter.api.trustHops);
        assertEquals(20, context.rateLimiter.websocket.maxRequests);
        assertEquals(60, context.rateLimiter.websocket.windowSeconds);

        assertEquals(1000, context.websocket.maxMessages);
        assertEquals(0, context.websocket.maxBytes);
        assertTrue(context.websocket.disconnectOnBufferFull);
        assertEquals(64 * 1024 * 1024, context.websocket.maxMessageSize);
        assertEquals(16 * 1024 * 1024, context.websocket.maxFrameSize);
        assertEquals(16 * 1024, context.websocket.writeBufferSize);
        assertEquals(1024 * 1024, context.websocket.maxBackpressure);
        assertTrue(context.websocket.autoPing);
        assertEquals(30, context.websocket.pingIntervalSeconds);
        assertEquals(120, context.websocket.idleTimeoutSeconds);
        assertEquals("disabled", context.websocket.compression);

        assertEquals(10, context.httpApi.requestLimitInMb);
        assertTrue(context.httpApi.usageEnabled);
        assertEquals(List.of("*"), context.cors.origin);
        assertFalse(context.cors.credentials, "a wildcard origin turns credentials off");
        assertEquals(List.of("GET", "POST", "OPTIONS"), context.cors.methods);
        assertEquals(List.of("Authorization", "Content-Type", "X-Requested-With", "Accept"),
            context.cors.allowedHeaders);
        assertEquals(100, context.eventLimits.maxChannelsAtOnce);
        assertEquals(200, context.eventLimits.maxNameLength);
        assertEquals(100, context.eventLimits.maxPayloadInKb);
        assertEquals(10, context.eventLimits.maxBatchSize);
        assertEquals(100, context.presence.maxMembersPerChannel);
        assertEquals(2, context.presence.maxMemberSizeInKb);
        assertEquals(200, context.channelLimits.maxNameLength);
        assertEquals(3600, context.channelLimits.cacheTtlSeconds);
        assertTrue(context.sections.isEmpty());

        assertEquals(1, context.apps.size());
        final AppConfig demo = context.apps.get(0);
        assertEquals("app-id", demo.id);
        assertEquals("app-key", demo.key);
        assertEquals("app-secret", demo.secret);
        assertTrue(demo.enabled);
        assertTrue(demo.enableClientMessages);
        assertFalse(demo.enableUserAuthentication);
        assertEquals(0, demo.maxConnections);
        assertEquals(100, demo.maxPresenceMembersPerChannel);
        assertEquals(2, demo.maxPresenceMemberSizeInKb);
        assertEquals(200, demo.maxChannelNameLength);
        assertEquals(100, demo.maxEventChannelsAtOnce);
        assertEquals(200, demo.maxEventNameLength);
        assertEquals(100, demo.maxEventPayloadInKb);
        assertEquals(10, demo.maxEventBatchSize);
    }

    @Test
    void topLevelScalarsAreRead()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "host = \"127.0.0.1\"", "port = 0", "debug = true", "mode = \"development\"",
            "activity_timeout = 30", "user_authentication_timeout = 60", "websocket_max_payload_kb = 128",
            "shutdown_grace_period = 0", "reactor_threads = 3", "path_prefix = \"/\"",
            "[instance]", "process_id = \"node-1\""), NO_ENV);

        assertEquals("127.0.0.1", context.host);
        assertEquals(0, context.port);
        assertTrue(context.debug);
        assertEquals("development", context.mode);
        assertEquals(30, context.activityTimeoutSeconds);
        assertEquals(60, context.userAuthenticationTimeoutSeconds);
        assertEquals(128, context.websocketMaxPayloadKb);
        assertEquals(128 * 1024, context.maxWebSocketMessageBytes());
        assertEquals(0, context.shutdownGracePeriodSeconds);
        assertEquals(3, context.reactorThreads);
        assertEquals(3, context.effectiveReactorThreads());
        assertEquals("node-1", context.instanceProcessId);
    }

    @Test
    void sectionsAreRead()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[metrics]", "enabled = false", "driver = \"prometheus\"", "host = \"127.0.0.1\"", "port = 9999",
            "[metrics.prometheus]", "prefix = \"x_\"",
            "[rate_limiter]", "enabled = false", "driver = \"memory\"",
            "[rate_limiter.api_rate_limit]", "max_requests = 5", "window_seconds = 7", "trust_hops = 2",
            "identifier = \"api\"",
            "[rate_limiter.websocket_rate_limit]", "max_requests = 3", "window_seconds = 4", "trust_hops = 1",
            "[websocket]", "max_messages = 0", "max_bytes = 1048576", "disconnect_on_buffer_full = false",
            "max_message_size = 1000", "max_frame_size = 500", "write_buffer_size = 100", "max_backpressure = 200",
            "auto_ping = false", "ping_interval = 9", "idle_timeout = 0", "compression = \"disabled\"",
            "[http_api]", "request_limit_in_mb = 2", "usage_enabled = false",
            "[http_api.accept_traffic]", "memory_threshold = 0.9",
            "[cors]", "credentials = true", "origin = [\"https://a.example.com\", \"*.b.example.com\"]",
            "methods = [\"GET\"]", "allowed_headers = [\"X-Custom\"]",
            "[event_limits]", "max_channels_at_once = 7", "max_name_length = 8", "max_payload_in_kb = 9",
            "max_batch_size = 11",
            "[presence]", "max_members_per_channel = 12", "max_member_size_in_kb = 13",
            "[channel_limits]", "max_name_length = 14", "cache_ttl = 15"), NO_ENV);

        assertFalse(context.metrics.enabled);
        assertEquals("127.0.0.1", context.metrics.host);
        assertEquals(9999, context.metrics.port);
        assertEquals("x_", context.metrics.prometheusPrefix);
        assertFalse(context.rateLimiter.enabled);
        assertEquals(5, context.rateLimiter.api.maxRequests);
        assertEquals(7, context.rateLimiter.api.windowSeconds);
        assertEquals(2, context.rateLimiter.api.trustHops);
        assertEquals(3, context.rateLimiter.websocket.maxRequests);
        assertEquals(4, context.rateLimiter.websocket.windowSeconds);
        assertEquals(1, context.rateLimiter.websocket.trustHops);
        assertEquals(0, context.websocket.maxMessages);
        assertEquals(1048576, context.websocket.maxBytes);
        assertEquals(1048576, context.maxWebSocketMessageBytes(), "max_bytes overrides websocket_max_payload_kb");
        assertFalse(context.websocket.disconnectOnBufferFull);
        assertEquals(1000, context.websocket.maxMessageSize);
        assertEquals(500, context.websocket.maxFrameSize);
        assertEquals(100, context.websocket.writeBufferSize);
        assertEquals(200, context.websocket.maxBackpressure);
        assertFalse(context.websocket.autoPing);
        assertEquals(9, context.websocket.pingIntervalSeconds);
        assertEquals(0, context.websocket.idleTimeoutSeconds);
        assertEquals(2, context.httpApi.requestLimitInMb);
        assertFalse(context.httpApi.usageEnabled);
        assertTrue(context.cors.credentials, "explicit origins keep credentials");
        assertEquals(List.of("https://a.example.com", "*.b.example.com"), context.cors.origin);
        assertEquals(List.of("GET"), context.cors.methods);
        assertEquals(List.of("X-Custom"), context.cors.allowedHeaders);
        assertEquals(7, context.eventLimits.maxChannelsAtOnce);
        assertEquals(8, context.eventLimits.maxNameLength);
        assertEquals(9, context.eventLimits.maxPayloadInKb);
        assertEquals(11, context.eventLimits.maxBatchSize);
        assertEquals(12, context.presence.maxMembersPerChannel);
        assertEquals(13, context.presence.maxMemberSizeInKb);
        assertEquals(14, context.channelLimits.maxNameLength);
        assertEquals(15, context.channelLimits.cacheTtlSeconds);
    }

    @Test
    void canonicalAppWithEveryField()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[[app_manager.array.apps]]",
            "id = \"a1\"", "key = \"k1\"", "secret = \"s1\"", "enabled = false",
            "[app_manager.array.apps.policy.limits]",
            "max_connections = 1", "max_backend_events_per_second = 2", "max_client_events_per_second = 3",
            "max_read_requests_per_second = 4", "max_presence_members_per_channel = 5",
            "max_presence_member_size_in_kb = 6", "max_channel_name_length = 7", "max_event_channels_at_once = 8",
            "max_event_name_length = 9", "max_event_payload_in_kb = 10", "max_event_batch_size = 11",
            "decay_seconds = 12", "terminate_on_limit = true",
            "[app_manager.array.apps.policy.limits.message_rate_limit]",
            "enabled = true", "max_attempts = 13", "decay_seconds = 14", "terminate_on_limit = true",
            "[app_manager.array.apps.policy.features]",
            "enable_client_messages = true", "enable_user_authentication = true", "enable_watchlist_events = true",
            "[app_manager.array.apps.policy.channels]",
            "allowed_origins = [\"https://app.example.com\", \"*.example.org\"]", "annotations_enabled = true",
            "channel_delta_compression = { \"ticker:*\" = \"fossil\" }",
            "[[app_manager.array.apps.policy.channels.channel_namespaces]]",
            "name = \"chat\"", "channel_name_pattern = \"^chat:[a-z]+$\"", "max_channel_name_length = 50",
            "annotations_enabled = false", "allow_user_limited_channels = true", "allow_subscribe_for_client = true",
            "allow_publish_for_client = false", "allow_presence_for_client = true",
            "history = { rewind_enabled = true }",
            "[[app_manager.array.apps.policy.webhooks]]",
            "url = \"https://hooks.example.com/x\"", "event_types = [\"channel_occupied\"]",
            "headers = { Authorization = \"Bearer t\" }", "request_timeout_ms = 500",
            "[app_manager.array.apps.policy.idempotency]", "enabled = true", "ttl_seconds = 30",
            "[app_manager.array.apps.policy.history]", "enabled = true"), NO_ENV);

        assertEquals(1, context.apps.size());
        final AppConfig app = context.apps.get(0);
        assertEquals("a1", app.id);
        assertEquals("k1", app.key);
        assertEquals("s1", app.secret);
        assertFalse(app.enabled);
        assertEquals(1, app.maxConnections);
        assertEquals(2, app.maxBackendEventsPerSecond);
        assertEquals(3, app.maxClientEventsPerSecond);
        assertEquals(4, app.maxReadRequestsPerSecond);
        assertEquals(5, app.maxPresenceMembersPerChannel);
        assertEquals(6, app.maxPresenceMemberSizeInKb);
        assertEquals(7, app.maxChannelNameLength);
        assertEquals(8, app.maxEventChannelsAtOnce);
        assertEquals(9, app.maxEventNameLength);
        assertEquals(10, app.maxEventPayloadInKb);
        assertEquals(11, app.maxEventBatchSize);
        assertEquals(12, app.decaySeconds);
        assertTrue(app.terminateOnLimit);
        assertTrue(app.messageRateLimitEnabled);
        assertEquals(13, app.messageRateLimitMaxAttempts);
        assertEquals(14, app.messageRateLimitDecaySeconds);
        assertTrue(app.messageRateLimitTerminateOnLimit);
        assertTrue(app.enableClientMessages);
        assertTrue(app.enableUserAuthentication);
        assertTrue(app.enableWatchlistEvents);
        assertEquals(List.of("https://app.example.com", "*.example.org"), app.allowedOrigins);
        assertEquals(Boolean.TRUE, app.annotationsEnabled);

        assertEquals(1, app.channelNamespaces.size());
        final NamespaceConfig namespace = app.channelNamespaces.get(0);
        assertEquals("chat", namespace.name);
        assertEquals("^chat:[a-z]+$", namespace.channelNamePattern);
        assertTrue(namespace.compiledPattern.matcher("chat:room").matches());
        assertFalse(namespace.compiledPattern.matcher("chat:Room1").matches());
        assertEquals(50, namespace.maxChannelNameLength);
        assertEquals(Boolean.FALSE, namespace.annotationsEnabled);
        assertEquals(Boolean.TRUE, namespace.allowUserLimitedChannels);
        assertEquals(Boolean.TRUE, namespace.allowSubscribeForClient);
        assertEquals(Boolean.FALSE, namespace.allowPublishForClient);
        assertEquals(Boolean.TRUE, namespace.allowPresenceForClient);
        assertEquals(Map.of("history", Map.of("rewind_enabled", true)), namespace.extra);

        assertEquals(1, app.webhooks.size());
        final Map<String, Object> webhook = app.webhooks.get(0);
        assertEquals("https://hooks.example.com/x", webhook.get("url"));
        assertEquals(List.of("channel_occupied"), webhook.get("event_types"));
        assertEquals(Map.of("Authorization", "Bearer t"), webhook.get("headers"));
        assertEquals(500L, webhook.get("request_timeout_ms"));

        assertEquals(Map.of("enabled", true, "ttl_seconds", 30L), app.extra.get("idempotency"));
        assertEquals(Map.of("enabled", true), app.extra.get("history"));
        assertEquals(Map.of("ticker:*", "fossil"), app.extra.get("channel_delta_compression"));
    }

    @Test
    void flatAppWithEveryField()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[[app_manager.array.apps]]",
            "id = \"a1\"", "key = \"k1\"", "secret = \"s1\"",
            "max_connections = 1", "max_backend_events_per_second = 2", "max_client_events_per_second = 3",
            "max_read_requests_per_second = 4", "max_presence_members_per_channel = 5",
            "max_presence_member_size_in_kb = 6", "max_channel_name_length = 7", "max_event_channels_at_once = 8",
            "max_event_name_length = 9", "max_event_payload_in_kb = 10", "max_event_batch_size = 11",
            "decay_seconds = 12", "terminate_on_limit = true",
            "enable_client_messages = true", "enable_user_authentication = true", "enable_watchlist_events = true",
            "allowed_origins = [\"example.com\"]", "annotations_enabled = false",
            "message_rate_limit = { enabled = true, max_attempts = 13, decay_seconds = 14, terminate_on_limit = true }",
            "channel_namespaces = [{ name = \"news\", allow_publish_for_client = true }]",
            "webhooks = [{ url = \"https://h.example.com\", event_types = [\"member_added\"] }]",
            "connection_recovery = { enabled = true }"), NO_ENV);

        final AppConfig app = context.apps.get(0);
        assertTrue(app.enabled, "enabled defaults to true");
        assertEquals(1, app.maxConnections);
        assertEquals(2, app.maxBackendEventsPerSecond);
        assertEquals(3, app.maxClientEventsPerSecond);
        assertEquals(4, app.maxReadRequestsPerSecond);
        assertEquals(5, app.maxPresenceMembersPerChannel);
        assertEquals(6, app.maxPresenceMemberSizeInKb);
        assertEquals(7, app.maxChannelNameLength);
        assertEquals(8, app.maxEventChannelsAtOnce);
        assertEquals(9, app.maxEventNameLength);
        assertEquals(10, app.maxEventPayloadInKb);
        assertEquals(11, app.maxEventBatchSize);
        assertEquals(12, app.decaySeconds);
        assertTrue(app.terminateOnLimit);
        assertTrue(app.messageRateLimitEnabled);
        assertEquals(13, app.messageRateLimitMaxAttempts);
        assertEquals(14, app.messageRateLimitDecaySeconds);
        assertTrue(app.messageRateLimitTerminateOnLimit);
        assertTrue(app.enableClientMessages);
        assertTrue(app.enableUserAuthentication);
        assertTrue(app.enableWatchlistEvents);
        assertEquals(List.of("example.com"), app.allowedOrigins);
        assertEquals(Boolean.FALSE, app.annotationsEnabled);
        assertEquals("news", app.channelNamespaces.get(0).name);
        assertNull(app.channelNamespaces.get(0).compiledPattern);
        assertEquals(Boolean.TRUE, app.channelNamespaces.get(0).allowPublishForClient);
        assertNull(app.channelNamespaces.get(0).allowSubscribeForClient);
        assertEquals("https://h.example.com", app.webhooks.get(0).get("url"));
        assertEquals(Map.of("enabled", true), app.extra.get("connection_recovery"));
    }

    @Test
    void numericStringsAreAcceptedForAppLimits()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "[app_manager.array.apps.policy.limits]",
            "max_connections = \"100\"", "max_client_events_per_second = \" 20 \"", "max_event_batch_size = \"5\"",
            "message_rate_limit = { max_attempts = \"9\" }"), NO_ENV);

        final AppConfig app = context.apps.get(0);
        assertEquals(100, app.maxConnections);
        assertEquals(20, app.maxClientEventsPerSecond);
        assertEquals(5, app.maxEventBatchSize);
        assertEquals(9, app.messageRateLimitMaxAttempts);
    }

    @Test
    void policyWinsOverFlatFieldsWithAWarning()
    {
        final ConfigWarnings warnings = new ConfigWarnings();
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "max_connections = 5", "enable_client_messages = true",
            "[app_manager.array.apps.policy.limits]", "max_connections = 7"), NO_ENV, warnings);

        final AppConfig app = context.apps.get(0);
        assertEquals(7, app.maxConnections);
        assertFalse(app.enableClientMessages);
        assertTrue(warnings.messages().stream().anyMatch(
            (m) -> m.contains("app_manager.array.apps[0]") && m.contains("max_connections") &&
                m.contains("enable_client_messages") && m.contains("ignored")), warnings.messages().toString());
        assertFalse(warnings.messages().stream().anyMatch((m) -> m.startsWith("unknown config key")));
    }

    @Test
    void unsetAppLimitsFallBackToServerLevelValues()
    {
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[event_limits]", "max_channels_at_once = 7", "max_name_length = 8", "max_payload_in_kb = 9",
            "max_batch_size = 11",
            "[presence]", "max_members_per_channel = 12", "max_member_size_in_kb = 13",
            "[channel_limits]", "max_name_length = 14",
            "[[app_manager.array.apps]]", "id = \"unset\"", "key = \"k1\"", "secret = \"s\"",
            "[[app_manager.array.apps]]", "id = \"set\"", "key = \"k2\"", "secret = \"s\"",
            "policy.limits.max_event_batch_size = 3", "policy.limits.max_channel_name_length = 4"), NO_ENV);

        final AppConfig unset = context.apps.get(0);
        assertEquals(7, unset.maxEventChannelsAtOnce);
        assertEquals(8, unset.maxEventNameLength);
        assertEquals(9, unset.maxEventPayloadInKb);
        assertEquals(11, unset.maxEventBatchSize);
        assertEquals(12, unset.maxPresenceMembersPerChannel);
        assertEquals(13, unset.maxPresenceMemberSizeInKb);
        assertEquals(14, unset.maxChannelNameLength);
        assertEquals(-1, unset.maxBackendEventsPerSecond, "stored-only limits stay unset");
        assertEquals(-1, unset.maxReadRequestsPerSecond);

        final AppConfig set = context.apps.get(1);
        assertEquals(3, set.maxEventBatchSize);
        assertEquals(4, set.maxChannelNameLength);
        assertEquals(7, set.maxEventChannelsAtOnce);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port = \"abc\"|port: expected an integer in 0..65535 but was \"abc\"",
        "port = 70000|port: expected an integer in 0..65535 but was 70000",
        "port = 6001.0|port: expected an integer in 0..65535 but was 6001.0",
        "activity_timeout = true|activity_timeout: expected an integer in 1..",
        "activity_timeout = 0|activity_timeout: expected an integer in 1..",
        "websocket_max_payload_kb = 0|websocket_max_payload_kb: expected an integer in 1..",
        "reactor_threads = -1|reactor_threads: expected an integer in 0..64 but was -1",
        "host = 1|host: expected a string but was 1",
        "debug = \"yes\"|debug: expected a boolean but was \"yes\"",
        "metrics = 1|metrics: expected a table but was 1",
        "metrics.enabled = \"yes\"|metrics.enabled: expected a boolean but was \"yes\"",
        "metrics.port = -1|metrics.port: expected an integer in 0..65535 but was -1",
        "rate_limiter.api_rate_limit.max_requests = 0|rate_limiter.api_rate_limit.max_requests: expected an integer",
        "websocket.max_bytes = 1.5|websocket.max_bytes: expected an integer in 0..2147483647 but was 1.5",
        "websocket.compression = \"shared\"|websocket.compression: permessage-deflate is not supported",
        "cors.origin = \"*\"|cors.origin: expected an array of strings but was \"*\"",
        "cors.origin = [1]|cors.origin[0]: expected a string but was 1",
        "cors.origin = [\"\"]|cors.origin[0]: invalid origin pattern \"\": pattern cannot be empty",
        "cors.methods = [\"GE T\"]|cors.methods[0]: expected an HTTP token but was \"GE T\"",
        "rate_limiter.driver = \"bogus\"|rate_limiter.driver: expected one of",
        "metrics.driver = \"statsd\"|metrics.driver: only \"prometheus\" is supported",
        "app_manager.driver = \"mysql\"|app_manager.driver: only \"memory\" is supported by this server, got \"mysql\"",
        "adapter = 3|adapter: expected a table but was 3",
        "event_limits.max_batch_size = 0|event_limits.max_batch_size: expected an integer in 1..",
        "instance.process_id = 5|instance.process_id: expected a string but was 5",
        "app_manager.array.apps = 1|app_manager.array.apps: expected an array of tables but was 1",
    })
    void wrongTypeOrRangeNamesTheKey(final String toml, final String expectedStart)
    {
        final String message = message(toml, NO_ENV);
        assertTrue(message.startsWith(expectedStart), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max_connections = \"abc\"|app_manager.array.apps[0].max_connections: expected an integer in 0..",
        "max_connections = -1|app_manager.array.apps[0].max_connections: expected an integer in 0..",
        "policy.limits.max_event_batch_size = 0|app_manager.array.apps[0].policy.limits.max_event_batch_size:",
        "policy.limits.decay_seconds = true|app_manager.array.apps[0].policy.limits.decay_seconds:",
        "policy.features.enable_client_messages = 1|app_manager.array.apps[0].policy.features.enable_client_messages:",
        "enabled = \"true\"|app_manager.array.apps[0].enabled: expected a boolean but was \"true\"",
        "policy = 1|app_manager.array.apps[0].policy: expected a table but was 1",
        "webhooks = [1]|app_manager.array.apps[0].webhooks[0]: expected a table but was 1",
        "message_rate_limit = { max_attempts = \"x\" }|app_manager.array.apps[0].message_rate_limit.max_attempts:",
    })
    void wrongAppFieldNamesTheKey(final String field, final String expectedStart)
    {
        final String toml = String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"", field);
        final String message = message(toml, NO_ENV);
        assertTrue(message.startsWith(expectedStart), message);
    }

    @Test
    void missingAppCredentialsAreRejected()
    {
        assertTrue(message("[[app_manager.array.apps]]\nkey = \"k\"\nsecret = \"s\"", NO_ENV)
            .startsWith("app_manager.array.apps[0].id: expected a non-empty string"));
        assertTrue(message("[[app_manager.array.apps]]\nid = \"a\"\nkey = \"k\"\nsecret = \"\"", NO_ENV)
            .startsWith("app_manager.array.apps[0].secret: expected a non-empty string"));
    }

    @Test
    void unknownKeysAreIgnoredAndWarnedWithTheirFullPath()
    {
        final ConfigWarnings warnings = new ConfigWarnings();
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "bar = 1", "port = 7000",
            "[websocket]", "foo = 2", "max_messages = 5",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"", "colour = \"red\"",
            "[app_manager.array.apps.policy.limits]", "max_widgets = 3"), NO_ENV, warnings);

        assertEquals(7000, context.port);
        assertEquals(5, context.websocket.maxMessages);
        final List<String> messages = warnings.messages();
        assertTrue(messages.contains("unknown config key 'bar' ignored"), messages.toString());
        assertTrue(messages.contains("unknown config key 'websocket.foo' ignored"), messages.toString());
        assertTrue(messages.contains("unknown config key 'app_manager.array.apps[0].colour' ignored"),
            messages.toString());
        assertTrue(messages.contains(
            "unknown config key 'app_manager.array.apps[0].policy.limits.max_widgets' ignored"), messages.toString());
        assertEquals(4, messages.stream().filter((m) -> m.startsWith("unknown config key")).count(),
            messages.toString());
    }

    @Test
    void knownButUnimplementedSectionsAreKeptRawWithoutWarnings()
    {
        final ConfigWarnings warnings = new ConfigWarnings();
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[adapter]", "driver = \"local\"", "[adapter.cluster_health]", "enabled = true",
            "[queue]", "driver = \"memory\"", "[queue.redis]", "prefix = \"q:\"",
            "[ssl]", "enabled = false", "cert_path = \"\"",
            "[cleanup]", "worker_threads = \"auto\"", "[unix_socket]", "enabled = false",
            "[app_manager.cache]", "enabled = false", "[database.redis]", "port = 6379"), NO_ENV, warnings);

        assertEquals(Map.of("driver", "local", "cluster_health", Map.of("enabled", true)),
            context.sections.get("adapter"));
        assertNull(context.sections.get("queue"));
        assertEquals("memory", context.queue.driver);
        assertEquals(Map.of("redis", Map.of("prefix", "q:")), context.queue.drivers);
        assertEquals(Map.of("worker_threads", "auto"), context.sections.get("cleanup"));
        assertEquals(Map.of("enabled", false), context.sections.get("app_manager.cache"));
        assertEquals(Map.of("redis", Map.of("port", 6379L)), context.sections.get("database"));
        assertTrue(warnings.messages().stream().noneMatch((m) -> m.startsWith("unknown")),
            warnings.messages().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[ssl]\\nenabled = true|ssl.enabled: TLS is not supported",
        "[unix_socket]\\nenabled = true|unix_socket.enabled: unix sockets are not supported",
        "[ssl]\\nenabled = \"yes\"|ssl.enabled: expected a boolean but was \"yes\"",
        "[annotations]\\nenabled = true|annotations.enabled: requires versioned_messages.enabled",
    })
    void unsupportedSwitchesStopStartUp(final String toml, final String expectedStart)
    {
        final String message = message(toml.replace("\\n", "\n"), NO_ENV);
        assertTrue(message.startsWith(expectedStart), message);
    }

    @Test
    void annotationsWithVersionedMessagesAreAccepted()
    {
        final ServerContext context = ConfigLoader.fromToml(
            "[annotations]\nenabled = true\n[versioned_messages]\nenabled = true", NO_ENV);
        assertEquals(Map.of("enabled", true), context.sections.get("annotations"));
    }

    @Test
    void duplicateAppKeyOrIdIsRejected()
    {
        final String sameKey = String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "[[app_manager.array.apps]]", "id = \"b\"", "key = \"k\"", "secret = \"s\"");
        assertEquals("app_manager.array.apps[1].key: duplicate app key \"k\"", message(sameKey, NO_ENV));

        final String sameId = String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k1\"", "secret = \"s\"",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k2\"", "secret = \"s\"");
        assertEquals("app_manager.array.apps[1].id: duplicate app id \"a\"", message(sameId, NO_ENV));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|pattern cannot be empty",
        "*.*example.com|multiple wildcards not supported",
        "*.|domain part cannot be empty",
        "*..example.com|invalid domain in wildcard pattern",
        "://example.com|protocol cannot be empty",
        "https://|host part cannot be empty",
    })
    void invalidAllowedOriginsAreRejectedWithTheKey(final String pattern, final String reason)
    {
        final String toml = String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "policy.channels.allowed_origins = [\"https://ok.example.com\", \"" + pattern + "\"]");
        final String message = message(toml, NO_ENV);
        assertTrue(message.startsWith("app_manager.array.apps[0].policy.channels.allowed_origins[1]: " +
            "invalid origin pattern"), message);
        assertTrue(message.endsWith(reason) || message.contains(reason), message);
    }

    @Test
    void validAllowedOriginsAreAccepted()
    {
        final List<String> patterns = List.of("*", "any", "https://example.com", "*.example.com",
            "https://*.example.com", "example.com", "localhost:3000");
        final StringBuilder list = new StringBuilder();
        for (final String pattern : patterns)
        {
            list.append(list.length() == 0 ? "" : ", ").append('"').append(pattern).append('"');
        }
        final ServerContext context = ConfigLoader.fromToml(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "allowed_origins = [" + list + "]"), NO_ENV);
        assertEquals(patterns, context.apps.get(0).allowedOrigins);
    }

    @Test
    void namespaceRegexCompileErrorNamesTheKey()
    {
        final String message = message(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "[[app_manager.array.apps.policy.channels.channel_namespaces]]", "name = \"ok\"",
            "[[app_manager.array.apps.policy.channels.channel_namespaces]]", "name = \"bad\"",
            "channel_name_pattern = \"^([a-z]+$\""), NO_ENV);
        assertTrue(message.startsWith("app_manager.array.apps[0].policy.channels.channel_namespaces[1]" +
            ".channel_name_pattern: invalid regular expression \"^([a-z]+$\""), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name = \"a:b\"|.name: expected a non-empty namespace name",
        "name = \"\"|.name: expected a non-empty namespace name",
        "channel_name_pattern = \"x\"|.name: expected a non-empty namespace name",
        "name = \"n\"\\nmax_channel_name_length = 0|.max_channel_name_length: expected an integer in 1..",
    })
    void invalidNamespacesAreRejected(final String fields, final String expectedTail)
    {
        final String message = message(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "[[app_manager.array.apps.channel_namespaces]]", fields.replace("\\n", "\n")), NO_ENV);
        assertTrue(message.startsWith("app_manager.array.apps[0].channel_namespaces[0]" + expectedTail), message);
    }

    @Test
    void duplicateNamespaceNamesAreRejected()
    {
        final String message = message(String.join("\n",
            "[[app_manager.array.apps]]", "id = \"a\"", "key = \"k\"", "secret = \"s\"",
            "channel_namespaces = [{ name = \"n\" }, { name = \"n\" }]"), NO_ENV);
        assertEquals("app_manager.array.apps[0].channel_namespaces[1].name: duplicate namespace name \"n\"", message);
    }

    @Test
    void tomlSyntaxErrorIsReported()
    {
        final String message = message("port = = 1", NO_ENV);
        assertTrue(message.startsWith("config: TOML syntax error at line 1"), message);
    }

    @Test
    void configFileFromCommandLineIsLoaded(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("custom.toml");
        Files.writeString(file, "port = 7001\n", StandardCharsets.UTF_8);

        final ServerContext context = ConfigLoader.load(
            new String[]{ "--config", file.toString() }, NO_ENV, dir, new ConfigWarnings());
        assertEquals(7001, context.port);

        final ServerContext shortFlag = ConfigLoader.load(
            new String[]{ "-c", "custom.toml" }, NO_ENV, dir, new ConfigWarnings());
        assertEquals(7001, shortFlag.port);

        final ServerContext equalsForm = ConfigLoader.load(
            new String[]{ "--config=custom.toml" }, Map.of("PORT", "7002"), dir, new ConfigWarnings());
        assertEquals(7002, equalsForm.port, "env beats the file");
    }

    @Test
    void missingConfigFileFails(@TempDir final Path dir)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(
            new String[]{ "--config", "nope.toml" }, NO_ENV, dir, new ConfigWarnings()));
        assertTrue(ex.getMessage().startsWith("--config: cannot read config file"), ex.getMessage());
        assertTrue(ex.getMessage().contains("nope.toml"), ex.getMessage());
    }

    @Test
    void nonTomlConfigFileFails(@TempDir final Path dir) throws IOException
    {
        Files.writeString(dir.resolve("config.json"), "{}", StandardCharsets.UTF_8);
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(
            new String[]{ "--config", "config.json" }, NO_ENV, dir, new ConfigWarnings()));
        assertTrue(ex.getMessage().contains("only TOML config files are supported"), ex.getMessage());
    }

    @Test
    void badCommandLineFails(@TempDir final Path dir)
    {
        assertThrows(ConfigException.class, () -> ConfigLoader.load(
            new String[]{ "--config" }, NO_ENV, dir, new ConfigWarnings()));
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(
            new String[]{ "--port", "1" }, NO_ENV, dir, new ConfigWarnings()));
        assertTrue(ex.getMessage().contains("unknown command-line argument"), ex.getMessage());
    }

    @Test
    void unparseableConfigFileFails(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("bad.toml");
        Files.writeString(file, "port = \n", StandardCharsets.UTF_8);
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(
            new String[]{ "-c", file.toString() }, NO_ENV, dir, new ConfigWarnings()));
        assertTrue(ex.getMessage().contains("TOML syntax error"), ex.getMessage());
    }

    @Test
    void defaultConfigFileIsUsedWhenPresent(@TempDir final Path dir) throws IOException
    {
        assertEquals(6001, ConfigLoader.load(new String[0], NO_ENV, dir, new ConfigWarnings()).port,
            "no file gives the defaults");

        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config").resolve("config.toml"), "port = 7003\n", StandardCharsets.UTF_8);
        assertEquals(7003, ConfigLoader.load(new String[0], NO_ENV, dir, new ConfigWarnings()).port);

        Files.writeString(dir.resolve("config").resolve("config.toml"), "port = [\n", StandardCharsets.UTF_8);
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(new String[0], NO_ENV, dir, new ConfigWarnings()));
        assertTrue(ex.getMessage().startsWith("config/config.toml: TOML syntax error"), ex.getMessage());
    }

    @Test
    void rateLimiterRedisDriverFallsBackToMemoryWithAWarningAndNoneDisables()
    {
        final ConfigWarnings warnings = new ConfigWarnings();
        final ServerContext redis = ConfigLoader.fromToml("[rate_limiter]\ndriver = \"redis\"", NO_ENV, warnings);
        assertEquals("memory", redis.rateLimiter.driver);
        assertTrue(redis.rateLimiter.enabled);
        assertTrue(warnings.messages().stream().anyMatch((m) -> m.startsWith("rate_limiter.driver:")));

        final ServerContext none = ConfigLoader.fromToml("[rate_limiter]\ndriver = \"none\"", NO_ENV);
        assertEquals("none", none.rateLimiter.driver);
        assertFalse(none.rateLimiter.enabled);
    }

    @Test
    void corsCredentialsStayWithExplicitOriginsAndDropWithEmptyList()
    {
        final ServerContext empty = ConfigLoader.fromToml("[cors]\norigin = []", NO_ENV);
        assertFalse(empty.cors.credentials);
        final ServerContext any = ConfigLoader.fromToml(
            "[cors]\norigin = [\"https://x.example.com\", \"any\"]", NO_ENV);
        assertFalse(any.cors.credentials);
    }

    @Test
    void webhooksAndQueueDefaults()
    {
        final ServerContext context = ConfigLoader.fromToml("", NO_ENV);
        assertEquals("memory", context.queue.driver);
        assertNull(context.sections.get("webhooks"));
        final WebhooksConfig webhooks = context.webhooks;
        assertEquals(10_000, webhooks.requestTimeoutMs);
        assertTrue(webhooks.batchingEnabled);
        assertEquals(50, webhooks.batchingDurationMs);
        assertEquals(100, webhooks.batchingSize);
        assertEquals(3000, webhooks.removalDelayMs);
        assertTrue(webhooks.retry.enabled);
        assertEquals(0, webhooks.retry.maxAttempts);
        assertEquals(300_000, webhooks.retry.maxElapsedTimeMs);
        assertEquals(1000, webhooks.retry.initialBackoffMs);
        assertEquals(60_000, webhooks.retry.maxBackoffMs);
    }

    @Test
    void webhooksSectionIsReadAndEnvWins()
    {
        final ConfigWarnings warnings = new ConfigWarnings();
        final String toml = String.join("\n", "[queue]", "driver = \"NONE\"", "[webhooks]",
            "request_timeout_ms = 500", "removal_delay_ms = 0", "[webhooks.batching]", "enabled = false",
            "duration = 20", "size = 7", "[webhooks.retry]", "enabled = false", "max_attempts = 5",
            "max_elapsed_time_ms = 1000", "initial_backoff_ms = 10", "max_backoff_ms = 40");
        final ServerContext file = ConfigLoader.fromToml(toml, NO_ENV, warnings);
        assertEquals("none", file.queue.driver);
        assertEquals(500, file.webhooks.requestTimeoutMs);
        assertEquals(0, file.webhooks.removalDelayMs);
        assertFalse(file.webhooks.batchingEnabled);
        assertEquals(20, file.webhooks.batchingDurationMs);
        assertEquals(7, file.webhooks.batchingSize);
        assertFalse(file.webhooks.retry.enabled);
        assertEquals(5, file.webhooks.retry.maxAttempts);
        assertEquals(1000, file.webhooks.retry.maxElapsedTimeMs);
        assertEquals(10, file.webhooks.retry.initialBackoffMs);
        assertEquals(40, file.webhooks.retry.maxBackoffMs);
        assertTrue(warnings.messages().stream().noneMatch((m) -> m.startsWith("unknown")),
            warnings.messages().toString());

        final ServerContext env = ConfigLoader.fromToml(toml, Map.of("QUEUE_DRIVER", "memory",
            "WEBHOOK_BATCHING_ENABLED", "true", "WEBHOOK_BATCHING_DURATION", "75", "WEBHOOK_BATCHING_SIZE", "3"));
        assertEquals("memory", env.queue.driver);
        assertTrue(env.webhooks.batchingEnabled);
        assertEquals(75, env.webhooks.batchingDurationMs);
        assertEquals(3, env.webhooks.batchingSize);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[queue]~driver = \"redis\"|queue.driver: only \"memory\" and \"none\" are supported by this server, " +
            "got \"redis\"",
        "[queue]~driver = \"iggy\"|queue.driver: only \"memory\" and \"none\" are supported by this server, " +
            "got \"iggy\"",
        "[webhooks]~request_timeout_ms = 0|webhooks.request_timeout_ms: expected an integer in 1..2147483647 " +
            "but was 0",
        "[webhooks]~removal_delay_ms = -1|webhooks.removal_delay_ms: expected an integer in 0..2147483647 " +
            "but was -1",
        "[webhooks.batching]~size = 0|webhooks.batching.size: expected an integer in 1..2147483647 but was 0",
        "[webhooks.batching]~duration = \"50\"|webhooks.batching.duration: expected an integer in " +
            "1..2147483647 but was \"50\"",
        "[webhooks.retry]~max_attempts = 0|webhooks.retry.max_attempts: expected an integer in 1..2147483647 " +
            "but was 0",
        "[webhooks]~batching = 1|webhooks.batching: expected a table but was 1",
    })
    void badWebhooksOrQueueValuesNameTheKey(final String toml, final String expected)
    {
        assertEquals(expected, message(toml.replace('~', '\n'), NO_ENV));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "QUEUE_DRIVER|sqs|QUEUE_DRIVER: only \"memory\" and \"none\" are supported by this server, got \"sqs\"",
        "WEBHOOK_BATCHING_ENABLED|maybe|WEBHOOK_BATCHING_ENABLED: expected a boolean",
        "WEBHOOK_BATCHING_DURATION|0|WEBHOOK_BATCHING_DURATION: expected an integer in 1..2147483647 but was \"0\"",
        "WEBHOOK_BATCHING_SIZE|x|WEBHOOK_BATCHING_SIZE: expected an integer in 1..2147483647 but was \"x\"",
    })
    void badWebhooksOrQueueEnvNamesTheVariable(final String name, final String value, final String expectedStart)
    {
        final String message = message("", Map.of(name, value));
        assertTrue(message.startsWith(expectedStart), message);
    }

    @Test
    void historyAndVersionedMessagesSections()
    {
        final ServerContext ctx = ConfigLoader.fromToml("[history]\nenabled = true\nmax_page_size = 50\n" +
            "retention_window_seconds = 60\n[history.log]\ndirectory = \"/tmp/x\"\n" +
            "[versioned_messages]\nenabled = true\ndriver = \"memory\"\n", NO_ENV);
        assertTrue(ctx.history.enabled);
        assertEquals(50, ctx.history.maxPageSize);
        assertEquals(60, ctx.history.retentionWindowSeconds);
        assertEquals("/tmp/x", ctx.history.logDirectory);
        assertEquals("log", ctx.history.backend);
        assertTrue(ctx.versionedMessages.enabled);
        assertEquals("memory", ctx.versionedMessages.driver);
        final ServerContext env = ConfigLoader.fromToml("", Map.of("HISTORY_ENABLED", "true", "HISTORY_BACKEND",
            "MEMORY", "VERSIONED_MESSAGES_ENABLED", "1"));
        assertTrue(env.history.enabled);
        assertEquals("memory", env.history.backend);
        assertTrue(env.versionedMessages.enabled);
    }

    @ParameterizedTest
    @CsvSource({"postgres", "mysql", "dynamodb", "surrealdb", "scylladb", "redis"})
    void databaseHistoryBackendsStopStartUp(final String backend)
    {
        assertEquals("history.backend: '" + backend + "' is not supported by this server; use \"log\" (the durable " +
            "event log on local disk) or \"memory\"",
            message("[history]\nenabled = true\nbackend = \"" + backend + "\"\n", NO_ENV));
        assertTrue(message("[versioned_messages]\ndriver = \"" + backend + "\"\n", NO_ENV)
            .startsWith("versioned_messages.driver: "));
    }

    @Test
    void annotationsEnvSwitch()
    {
        final ServerContext ctx = ConfigLoader.fromToml("", Map.of("ANNOTATIONS_ENABLED", "true",
            "VERSIONED_MESSAGES_ENABLED", "true"));
        assertEquals(Map.of("enabled", true), ctx.sections.get("annotations"));
        assertEquals("annotations.enabled: requires versioned_messages.enabled = true",
            message("", Map.of("ANNOTATIONS_ENABLED", "yes")));
    }

    @Test
    void annotationsNeedVersionedMessages()
    {
        assertEquals("annotations.enabled: requires versioned_messages.enabled = true",
            message("[annotations]\nenabled = true\n", NO_ENV));
    }
}
