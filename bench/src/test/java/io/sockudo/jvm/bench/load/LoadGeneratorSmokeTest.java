package io.sockudo.jvm.bench.load;

import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.SockudoServer;
import io.sockudo.jvm.server.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seconds-long end-to-end run of the load generator against our server started in-process: every expected
 * message arrives, latencies are recorded, the idle and churn scenarios complete, and the publisher's signed
 * requests match the project's reference signing.
 */
@Timeout(120)
class LoadGeneratorSmokeTest
{
    private static final String TOML = String.join("\n",
        "port = 0",
        "host = \"127.0.0.1\"",
        "[metrics]",
        "enabled = false",
        "[rate_limiter]",
        "enabled = false",
        "");

    private static SockudoServer server;

    @BeforeAll
    static void startServer()
    {
        server = SockudoServer.start(ConfigLoader.fromToml(TOML, Map.of()));
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    private static LoadOptions options(final String scenario)
    {
        final LoadOptions o = new LoadOptions();
        o.scenario = scenario;
        o.label = "smoke";
        o.port = server.port();
        o.serverPid = ProcessHandle.current().pid();
        o.warmupSeconds = 0.3;
        o.durationSeconds = 1.5;
        o.drainSeconds = 3;
        o.settleSeconds = 0.2;
        o.connectTimeoutSeconds = 10;
        return o;
    }

    @Test
    void fanOutDeliversEveryMessageAndRecordsLatency() throws Exception
    {
        final LoadOptions o = options("fanout");
        o.subscribers = 5;
        o.rate = 500;
        o.payload = 64;
        o.hlogPath = Files.createTempFile("load-smoke", ".hlog").toString();

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertTrue(report.publishes >= 100, report.summary());
        assertEquals(report.publishes * 5, report.expected);
        assertEquals(report.expected, report.delivered);
        assertEquals(report.delivered, report.latency.getTotalCount());
        assertTrue(report.percentileMillis(99) > 0, report.summary());
        assertTrue(report.percentileMillis(100) >= report.percentileMillis(50));
        final String hlog = Files.readString(Path.of(o.hlogPath));
        assertTrue(hlog.contains("Interval_Compressed_Histogram") && hlog.contains("HIST"), hlog);
        if (Files.exists(Path.of("/proc/self/stat")))
        {
            assertTrue(report.serverCpuMicros >= 0 && report.rssAfterKiB > 0, report.summary());
        }
        Files.delete(Path.of(o.hlogPath));
    }

    @Test
    void idleConnectionsAreHeldAndMeasured() throws Exception
    {
        final LoadOptions o = options("idle");
        o.subscribers = 20;

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertTrue(report.connectSeconds > 0);
        assertEquals(Files.exists(Path.of("/proc/self/status")), !Double.isNaN(report.kibPerConnection()));
    }

    @Test
    void churnScenarioDeliversToSteadyAndChurningSubscribers() throws Exception
    {
        final LoadOptions o = options("churn");
        o.subscribers = 4;
        o.churners = 4;
        o.churnLifeMs = 100;
        o.publishRate = 50;

        final LoadReport report = LoadGenerator.run(o);

        assertEquals("", report.problems, report.summary());
        assertEquals(report.publishes * 4, report.delivered);
        assertTrue(report.deliveredChurn > 0, report.summary());
        assertEquals(report.delivered + report.deliveredChurn, report.latency.getTotalCount());
    }

    @ParameterizedTest
    @CsvSource({
        "app-id, app-key, app-secret, bench, 20, 0x0123456789abcdefL, 1700000000",
        "42, key-2, s3cr3t, private-x, 1024, 0x7fffffffffffffffL, 1799999999",
        "a, k, '', c, 17, 0, 1000000000",
    })
    void signedRequestMatchesReferenceSigning(
        final String appId,
        final String key,
        final String secret,
        final String channel,
        final int payload,
        final String markerText,
        final long timestamp)
    {
        final long marker = Long.decode(markerText.replace("L", ""));
        final ApiSigner signer = new ApiSigner("127.0.0.1:6001", appId, key, secret == null ? "" : secret, channel,
            "timed", payload);

        signer.build(marker, timestamp);
        final String request = signer.lastRequest();

        final String body = request.substring(request.indexOf("\r\n\r\n") + 4);
        assertEquals(request.length(), signer.requestLength());
        assertTrue(body.contains("\"channels\":[\"" + channel + "\"]"), body);
        final String data = body.substring(body.indexOf("\"data\":\"") + 8, body.lastIndexOf('"'));
        assertEquals(payload, data.length());
        assertEquals(marker, Long.parseUnsignedLong(data.substring(1, 17), 16));
        final String target = request.substring(5, request.indexOf(' ', 5));
        final String path = target.substring(0, target.indexOf('?'));
        assertEquals("/apps/" + appId + "/events", path);
        final List<String[]> pairs = new ArrayList<>();
        String signature = null;
        for (final String pair : target.substring(target.indexOf('?') + 1).split("&"))
        {
            final String[] kv = pair.split("=", 2);
            if ("auth_signature".equals(kv[0]))
            {
                signature = kv[1];
            }
            else
            {
                pairs.add(kv);
            }
        }
        assertTrue(target.contains("auth_timestamp=" + timestamp), target);
        assertTrue(target.contains("body_md5=" + PusherSignatures.md5Hex(body.getBytes(StandardCharsets.UTF_8))),
            target);
        assertEquals(PusherSignatures.apiSignature(secret == null ? "" : secret, "POST", path, pairs), signature);
        assertTrue(request.contains("Content-Length: " + body.length() + "\r\n"), request);
    }
}
