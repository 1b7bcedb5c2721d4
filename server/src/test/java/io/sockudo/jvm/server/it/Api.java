package io.sockudo.jvm.server.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signed calls to the HTTP API with the JDK {@link HttpClient} (signing per pusher-v1 §5.2, done here, not by the
 * server's code).
 */
public final class Api
{
    /** MD5 of the empty body. */
    public static final String EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    private final int port;
    private final String appId;
    private final String key;
    private final String secret;

    /**
     * An API client for one app.
     *
     * @param port   server port on 127.0.0.1.
     * @param appId  app id (used in {@code /apps/{appId}}).
     * @param key    app key.
     * @param secret app secret.
     */
    public Api(final int port, final String appId, final String key, final String secret)
    {
        this.port = port;
        this.appId = appId;
        this.key = key;
        this.secret = secret;
    }

    /**
     * The response of one call.
     *
     * @param status  HTTP status.
     * @param body    body text.
     * @param headers response headers, lower-case names, first value.
     */
    public record Response(int status, String body, Map<String, String> headers)
    {
        /**
         * Body parsed as a JSON object.
         *
         * @return the object.
         */
        public Map<String, Object> json()
        {
            return Json.parseObject(body);
        }

        /**
         * A header value.
         *
         * @param lowerCaseName lower-case header name.
         * @return the first value or {@code null}.
         */
        public String header(final String lowerCaseName)
        {
            return headers.get(lowerCaseName);
        }

        @Override
        public String toString()
        {
            return status + " " + body;
        }
    }

    /**
     * Signed POST to {@code /apps/{appId}} + {@code subPath} with a correct {@code body_md5}.
     *
     * @param subPath e.g. {@code /events}.
     * @param body    JSON body.
     * @return the response.
     */
    public Response post(final String subPath, final String body)
    {
        return request("POST", "/apps/" + appId + subPath).body(body).send();
    }

    /**
     * Signed GET of {@code /apps/{appId}} + {@code subPath}.
     *
     * @param subPath     e.g. {@code /channels}.
     * @param paramPairs  query parameters as name, value, name, value...
     * @return the response.
     */
    public Response get(final String subPath, final String... paramPairs)
    {
        final Request request = request("GET", "/apps/" + appId + subPath);
        for (int i = 0; i < paramPairs.length; i += 2)
        {
            request.param(paramPairs[i], paramPairs[i + 1]);
        }
        return request.send();
    }

    /**
     * Starts a request that can be tampered with before sending.
     *
     * @param method HTTP method.
     * @param path   full path, e.g. {@code /apps/app-id/events}.
     * @return the builder.
     */
    public Request request(final String method, final String path)
    {
        return new Request(method, path);
    }

    /**
     * Unsigned request with a raw target.
     *
     * @param port   server port.
     * @param method HTTP method.
     * @param target path and query.
     * @param body   body or {@code null}.
     * @return the response.
     */
    public static Response raw(final int port, final String method, final String target, final String body)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
            .timeout(Duration.ofSeconds(10));
        if (body == null)
        {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else
        {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(builder.build());
    }

    private static Response send(final HttpRequest request)
    {
        try
        {
            final HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            final Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach(
                (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.isEmpty() ? "" : values.get(0)));
            return new Response(response.statusCode(), response.body(), headers);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("HTTP call failed: " + request.uri(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }

    private static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * A signed request under construction; every field has a correct default that a test may break.
     */
    public final class Request
    {
        private final String method;
        private final String path;
        private final Map<String, String> params = new LinkedHashMap<>();
        private String body;
        private String authKey = key;
        private long timestamp = System.currentTimeMillis() / 1000;
        private boolean withMd5;
        private String md5Override;
        private String signatureOverride;
        private final java.util.Set<String> omitted = new java.util.HashSet<>();

        private Request(final String method, final String path)
        {
            this.method = method;
            this.path = path;
            this.withMd5 = "POST".equals(method);
        }

        /**
         * Adds an endpoint query parameter.
         *
         * @param name  parameter name.
         * @param value decoded value.
         * @return this.
         */
        public Request param(final String name, final String value)
        {
            params.put(name, value);
            return this;
        }

        /**
         * Leaves out one of the default auth parameters ({@code auth_timestamp}, {@code auth_version}...).
         *
         * @param name parameter name.
         * @return this.
         */
        public Request omit(final String name)
        {
            omitted.add(name);
            return this;
        }

        /**
         * Sets the body (POST).
         *
         * @param body JSON text.
         * @return this.
         */
        public Request body(final String body)
        {
            this.body = body;
            return this;
        }

        /**
         * Overrides {@code auth_key}.
         *
         * @param authKey the key to send.
         * @return this.
         */
        public Request authKey(final String authKey)
        {
            this.authKey = authKey;
            return this;
        }

        /**
         * Overrides {@code auth_timestamp}.
         *
         * @param epochSeconds the timestamp.
         * @return this.
         */
        public Request timestamp(final long epochSeconds)
        {
            this.timestamp = epochSeconds;
            return this;
        }

        /**
         * Whether to send a (correct) {@code body_md5}.
         *
         * @param withMd5 true to include it.
         * @return this.
         */
        public Request withMd5(final boolean withMd5)
        {
            this.withMd5 = withMd5;
            return this;
        }

        /**
         * Sends this exact {@code body_md5} value (still signed).
         *
         * @param md5 the value.
         * @return this.
         */
        public Request md5(final String md5)
        {
            this.withMd5 = true;
            this.md5Override = md5;
            return this;
        }

        /**
         * Sends this {@code auth_signature} instead of the correct one.
         *
         * @param signature the value.
         * @return this.
         */
        public Request signature(final String signature)
        {
            this.signatureOverride = signature;
            return this;
        }

        /**
         * The string to sign for the current settings.
         *
         * @return the string to sign.
         */
        public String stringToSign()
        {
            final TreeMap<String, String> signed = new TreeMap<>();
            for (final Map.Entry<String, String> e : queryParams().entrySet())
            {
                signed.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            }
            final StringBuilder query = new StringBuilder();
            for (final Map.Entry<String, String> e : signed.entrySet())
            {
                if (query.length() > 0)
                {
                    query.append('&');
                }
                query.append(e.getKey()).append('=').append(e.getValue());
            }
            return method + "\n" + path + "\n" + query;
        }

        /**
         * Signs and sends.
         *
         * @return the response.
         */
        public Response send()
        {
            return raw(port, method, target(), body);
        }

        /**
         * The signed request target (path and query), for tests that write the request themselves.
         *
         * @return the target.
         */
        public String target()
        {
            final String signature =
                signatureOverride != null ? signatureOverride : Sign.hmacHex(secret, stringToSign());
            final StringBuilder target = new StringBuilder(path).append('?');
            for (final Map.Entry<String, String> e : queryParams().entrySet())
            {
                target.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
            }
            target.append("auth_signature=").append(encode(signature));
            return target.toString();
        }

        private Map<String, String> queryParams()
        {
            final Map<String, String> all = new LinkedHashMap<>();
            all.put("auth_key", authKey);
            all.put("auth_timestamp", Long.toString(timestamp));
            all.put("auth_version", "1.0");
            if (withMd5)
            {
                all.put("body_md5", md5Override != null ? md5Override : Sign.md5Hex(body == null ? "" : body));
            }
            all.putAll(params);
            all.keySet().removeAll(omitted);
            return all;
        }
    }
}
