package io.sockudo.jvm.bench.load;

import io.sockudo.jvm.protocol.pusher.PusherSignatures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Set-up of the annotation scenario, off the measured path: publishes one message to a versioned channel with a
 * signed {@code POST /apps/{id}/events}, then reads its message serial from
 * {@code GET /apps/{id}/channels/{channel}/history} (the newest item's {@code message.message_serial}; the publish
 * response does not carry it, spec protocol-v2 3.2). Uses the JDK HTTP client and the project's reference signing.
 */
final class SeedMessage
{
    private static final String SERIAL_KEY = "\"message_serial\":\"";

    private SeedMessage()
    {
    }

    /**
     * Publishes the seed message and returns its serial.
     *
     * @param o the options (host, port, app, channel).
     * @return the message serial.
     * @throws IOException          on an HTTP failure or when no serial shows up within 5 s.
     * @throws InterruptedException if interrupted.
     */
    static String publish(final LoadOptions o) throws IOException, InterruptedException
    {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        final String body = "{\"name\":\"seed\",\"channels\":[\"" + o.channel + "\"],\"data\":\"annotate me\"}";
        final HttpResponse<String> posted = client.send(
            request(o, "POST", "/apps/" + o.appId + "/events", body), HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() != 200)
        {
            throw new IOException("seed publish answered " + posted.statusCode() + ": " + posted.body());
        }
        final long deadline = System.nanoTime() + 5_000_000_000L;
        String last = "";
        while (System.nanoTime() - deadline < 0)
        {
            final HttpResponse<String> history = client.send(
                request(o, "GET", "/apps/" + o.appId + "/channels/" + o.channel + "/history", null),
                HttpResponse.BodyHandlers.ofString());
            last = history.statusCode() + ": " + history.body();
            final int at = history.statusCode() == 200 ? history.body().indexOf(SERIAL_KEY) : -1;
            if (at >= 0)
            {
                final int from = at + SERIAL_KEY.length();
                return history.body().substring(from, history.body().indexOf('"', from));
            }
            LockSupport.parkNanos(50_000_000L);
        }
        throw new IOException("no message serial in the history of " + o.channel + " (versioned messages on?): " +
            (last.length() > 300 ? last.substring(0, 300) : last));
    }

    private static HttpRequest request(final LoadOptions o, final String method, final String path, final String body)
    {
        final List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[]{"auth_key", o.appKey});
        pairs.add(new String[]{"auth_timestamp", Long.toString(System.currentTimeMillis() / 1000)});
        pairs.add(new String[]{"auth_version", "1.0"});
        if (body != null)
        {
            pairs.add(new String[]{"body_md5", PusherSignatures.md5Hex(body.getBytes(StandardCharsets.UTF_8))});
        }
        if ("GET".equals(method))
        {
            pairs.add(new String[]{"limit", "1"});
        }
        final StringBuilder query = new StringBuilder();
        for (final String[] pair : pairs)
        {
            query.append(query.length() == 0 ? "" : "&").append(pair[0]).append('=').append(pair[1]);
        }
        query.append("&auth_signature=").append(PusherSignatures.apiSignature(o.appSecret, method, path, pairs));
        final HttpRequest.Builder builder = HttpRequest.newBuilder(
            URI.create("http://" + o.host + ":" + o.port + path + "?" + query)).timeout(Duration.ofSeconds(5));
        if (body == null)
        {
            return builder.GET().build();
        }
        return builder.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }
}
