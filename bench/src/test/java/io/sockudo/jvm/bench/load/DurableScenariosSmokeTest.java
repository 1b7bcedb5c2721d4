package io.sockudo.jvm.bench.load;

import io.sockudo.jvm.server.SockudoServer;
import io.sockudo.jvm.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seconds-long run of the versioned and annotation scenarios against our server started in-process with the
 * event log in a temporary directory, configured like {@code bench/scripts/sockudo-bench-durable.toml}: Protocol V2
 * subscribers get every versioned create (with its message serial header), a plain V2 channel still works, and
 * every annotation publish yields one summary per subscriber.
 */
@Timeout(120)
class DurableScenariosSmokeTest
{
    @TempDir
    static Path dir;

    private static SockudoServer server;

    @BeforeAll
    static void startServer()
    {
        final String toml = String.join("\n",
            "port = 0",
            "host = \"127.0.0.1\"",
            "[metrics]",
            "enabled = false",
            "[rate_limiter]",
            "enabled = false",
            "[history]",
            "enabled = false",
            "backend = \"log\"",
            "[history.log]",
            "directory = \"" + dir.resolve("data").toString().replace("\\", "/") + "\"",
            "[versioned_messages]",
            "enabled = true",
            "[annotations]",
            "enabled = true",
            "[[app_manager.array.apps]]",
            "id = \"app-id\"",
            "key = \"app-key\"",
            "secret = \"app-secret\"",
            "[[app_manager.array.apps.policy.channels.channel_namespaces]]",
            "name = \"chat\"",
            "channel_name_pattern = \"^chat:[a-z0-9-]+$\"",
            "annotations_enabled = true",
            "");
        server = SockudoServer.start(ConfigLoader.fromToml(toml, Map.of()));
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    private static LoadOptions options(final String scenario, final String channel)
    {
        final LoadOptions o = new LoadOptions();
        o.scenario = scenario;
        o.channel = channel;
        o.label = "smoke";
        o.port = server.port();
        o.serverPid = ProcessHandle.current().pid();
        o.subscribers = 4;
        o.warmupSeconds = 0.3;
        o.durationSeconds = 1.2;
        o.drainSeconds = 3;
        o.connectTimeoutSeconds = 10;
        return o;
    }

    @Test
    void versionedScenarioDeliversVersionedCreatesToV2Subscribers() throws Exception
    {
        final LoadOptions o = options("versioned", "chat:bench");
        o.rate = 400;

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertEquals("versioned", report.scenario);
        assertTrue(report.publishes >= 100, report.summary());
        assertEquals(report.publishes * 4, report.delivered);
        assertEquals(report.delivered, report.latency.getTotalCount());
        assertTrue(report.notes.contains("4 of 4 subscribers got versioned creates"), report.notes);
    }

    @Test
    void plainV2FanOutHasNoVersionHeaders() throws Exception
    {
        final LoadOptions o = options("fanout", "bench");
        o.protocol = "v2";
        o.rate = 400;

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertEquals("fanout-v2", report.scenario);
        assertEquals(report.publishes * 4, report.delivered);
        assertTrue(report.notes.contains("0 of 4 subscribers got versioned creates"), report.notes);
    }

    @Test
    void annotationScenarioMatchesOneSummaryPerPublishAndSubscriber() throws Exception
    {
        final LoadOptions o = options("annotation", "chat:ann-smoke");
        o.rate = 200;
        o.annotationClients = 10;

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertTrue(report.publishes >= 50, report.summary());
        assertEquals(report.publishes * 4, report.delivered);
        assertEquals(report.delivered, report.latency.getTotalCount());
        assertTrue(report.payloadBytes > 100, "largest summary frame " + report.payloadBytes);
        assertTrue(report.notes.contains("0 snapshot summaries"), report.notes);
    }
}
