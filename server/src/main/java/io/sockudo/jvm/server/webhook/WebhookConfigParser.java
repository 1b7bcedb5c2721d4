package io.sockudo.jvm.server.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.ConfigException;
import io.sockudo.jvm.server.config.WebhooksConfig;

/**
 * Reads the raw {@code policy.webhooks} entries of one app (plain maps from the TOML file) into
 * {@link WebhookTarget}s, collapsing entries with the same URL. Every wrong value is a {@link ConfigException}
 * naming its key; unknown keys are logged and ignored.
 */
final class WebhookConfigParser
{
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.config");
    private static final Set<String> KEYS = Set.of(
        "url", "lambda", "lambda_function", "event_types", "filter", "headers", "retry", "request_timeout_ms");
    private static final Set<String> FILTER_KEYS = Set.of(
        "channel_prefix", "channel_suffix", "channel_pattern", "channel_namespace", "channel_namespaces");
    private static final Set<String> RETRY_KEYS = Set.of(
        "enabled", "max_attempts", "max_elapsed_time_ms", "initial_backoff_ms", "max_backoff_ms");
    private static final int MAX = Integer.MAX_VALUE;

    private WebhookConfigParser()
    {
    }

    /**
     * Parses one app's webhooks.
     *
     * @param app      the app record.
     * @param index    the app's position (for messages when the record was built in code).
     * @param defaults the {@code [webhooks]} section.
     * @return one target per distinct URL, in order of first appearance.
     */
    static List<WebhookTarget> parse(final AppConfig app, final int index, final WebhooksConfig defaults)
    {
        final List<Map<String, Object>> entries = null == app.webhooks ? List.of() : app.webhooks;
        if (entries.isEmpty())
        {
            return List.of();
        }
        final String base = WebhooksConfig.webhooksKey(app, index);
        final Map<String, Builder> byUrl = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++)
        {
            final String key = base + "[" + i + "]";
            final Map<String, Object> entry = entries.get(i);
            if (null == entry)
            {
                throw new ConfigException(key + ": expected a table but was nothing");
            }
            warnUnknown(key, entry, KEYS);
            if (entry.containsKey("lambda") || entry.containsKey("lambda_function"))
            {
                final String which = entry.containsKey("lambda") ? "lambda" : "lambda_function";
                throw new ConfigException(key + "." + which + ": AWS Lambda webhooks are not supported by this " +
                    "server; use an HTTP url");
            }
            final URI url = url(key + ".url", entry.get("url"));
            final WebhookTarget.Selector selector = new WebhookTarget.Selector(
                eventTypes(key + ".event_types", entry.get("event_types")),
                filter(key + ".filter", entry.get("filter")));
            final Builder existing = byUrl.get(url.toString());
            if (null != existing)
            {
                existing.selectors.add(selector);
                continue;
            }
            final Builder builder = new Builder();
            builder.url = url;
            builder.selectors.add(selector);
            builder.headers = headers(key + ".headers", entry.get("headers"));
            builder.retry = retry(key + ".retry", entry.get("retry"), defaults.retry);
            builder.timeoutMs = integer(key + ".request_timeout_ms", entry.get("request_timeout_ms"),
                defaults.requestTimeoutMs, 1, MAX);
            byUrl.put(url.toString(), builder);
        }
        final List<WebhookTarget> targets = new ArrayList<>(byUrl.size());
        for (final Builder builder : byUrl.values())
        {
            targets.add(new WebhookTarget(app.id, app.key, app.secret, builder.url, builder.selectors,
                builder.headers, builder.retry, builder.timeoutMs));
        }
        return List.copyOf(targets);
    }

    /**
     * The retry policy of the {@code [webhooks] retry} section.
     *
     * @param retry the section.
     * @return the policy.
     */
    static RetryPolicy policy(final WebhooksConfig.Retry retry)
    {
        return new RetryPolicy(retry.enabled, retry.maxAttempts, retry.maxElapsedTimeMs, retry.initialBackoffMs,
            retry.maxBackoffMs);
    }

    private static URI url(final String key, final Object value)
    {
        if (!(value instanceof String) || ((String)value).isBlank())
        {
            throw expected(key, "an http or https URL", value);
        }
        final String text = ((String)value).trim();
        final URI uri;
        try
        {
            uri = new URI(text);
        }
        catch (final URISyntaxException ex)
        {
            throw expected(key, "an http or https URL", value);
        }
        final String scheme = null == uri.getScheme() ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || null == uri.getHost() || uri.getHost().isEmpty())
        {
            throw expected(key, "an http or https URL", value);
        }
        return uri;
    }

    private static int eventTypes(final String key, final Object value)
    {
        if (null == value)
        {
            return WebhookEventType.ALL;
        }
        if (!(value instanceof List))
        {
            throw expected(key, "an array of event type names", value);
        }
        final List<?> list = (List<?>)value;
        if (list.isEmpty())
        {
            return WebhookEventType.ALL;
        }
        int mask = 0;
        for (int i = 0; i < list.size(); i++)
        {
            final Object item = list.get(i);
            final WebhookEventType type = item instanceof String ? WebhookEventType.byWireName((String)item) : null;
            if (null == type)
            {
                throw expected(key + "[" + i + "]", "one of channel_occupied, channel_vacated, member_added, " +
                    "member_removed, client_event, cache_miss, subscription_count", item);
            }
            mask |= type.mask();
        }
        return mask;
    }

    private static WebhookFilter filter(final String key, final Object value)
    {
        if (null == value)
        {
            return WebhookFilter.ALL;
        }
        final Map<String, Object> table = table(key, value);
        warnUnknown(key, table, FILTER_KEYS);
        final String prefix = string(key + ".channel_prefix", table.get("channel_prefix"));
        final String suffix = string(key + ".channel_suffix", table.get("channel_suffix"));
        final String regex = string(key + ".channel_pattern", table.get("channel_pattern"));
        final String namespace = string(key + ".channel_namespace", table.get("channel_namespace"));
        final List<String> namespaces = strings(key + ".channel_namespaces", table.get("channel_namespaces"));
        Pattern pattern = null;
        if (null != regex)
        {
            try
            {
                pattern = Pattern.compile(regex);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new ConfigException(key + ".channel_pattern: invalid regular expression " + describe(regex) +
                    ": " + ex.getDescription() + " near index " + ex.getIndex());
            }
        }
        if (null == prefix && null == suffix && null == pattern && null == namespace && null == namespaces)
        {
            return WebhookFilter.ALL;
        }
        return new WebhookFilter(prefix, suffix, pattern, namespace, namespaces);
    }

    private static Map<String, String> headers(final String key, final Object value)
    {
        if (null == value)
        {
            return Map.of();
        }
        final Map<String, Object> table = table(key, value);
        final Map<String, String> headers = new LinkedHashMap<>();
        final HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1/"));
        for (final Map.Entry<String, Object> entry : table.entrySet())
        {
            final String name = entry.getKey();
            final Object headerValue = entry.getValue();
            if (!(headerValue instanceof String))
            {
                throw expected(key + "." + name, "a string", headerValue);
            }
            try
            {
                probe.header(name, (String)headerValue);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(key + "." + name + ": header not allowed: " + ex.getMessage());
            }
            headers.put(name, (String)headerValue);
        }
        return Collections.unmodifiableMap(headers);
    }

    private static RetryPolicy retry(final String key, final Object value, final WebhooksConfig.Retry defaults)
    {
        if (null == value)
        {
            return policy(defaults);
        }
        final Map<String, Object> table = table(key, value);
        warnUnknown(key, table, RETRY_KEYS);
        final Object enabled = table.get("enabled");
        if (null != enabled && !(enabled instanceof Boolean))
        {
            throw expected(key + ".enabled", "a boolean", enabled);
        }
        return new RetryPolicy(
            null == enabled ? defaults.enabled : (Boolean)enabled,
            integer(key + ".max_attempts", table.get("max_attempts"), defaults.maxAttempts, 1, MAX),
            integer(key + ".max_elapsed_time_ms", table.get("max_elapsed_time_ms"), defaults.maxElapsedTimeMs, 0, MAX),
            integer(key + ".initial_backoff_ms", table.get("initial_backoff_ms"), defaults.initialBackoffMs, 1, MAX),
            integer(key + ".max_backoff_ms", table.get("max_backoff_ms"), defaults.maxBackoffMs, 1, MAX));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(final String key, final Object value)
    {
        if (!(value instanceof Map))
        {
            throw expected(key, "a table", value);
        }
        return (Map<String, Object>)value;
    }

    private static String string(final String key, final Object value)
    {
        if (null == value)
        {
            return null;
        }
        if (!(value instanceof String))
        {
            throw expected(key, "a string", value);
        }
        return (String)value;
    }

    private static List<String> strings(final String key, final Object value)
    {
        if (null == value)
        {
            return null;
        }
        if (!(value instanceof List))
        {
            throw expected(key, "an array of strings", value);
        }
        final List<?> list = (List<?>)value;
        final List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            result.add(string(key + "[" + i + "]", list.get(i)));
            if (null == result.get(i))
            {
                throw expected(key + "[" + i + "]", "a string", null);
            }
        }
        return result;
    }

    private static int integer(final String key, final Object value, final int defaultValue, final int min,
        final int max)
    {
        if (null == value)
        {
            return defaultValue;
        }
        if (!(value instanceof Long) || (Long)value < min || (Long)value > max)
        {
            throw expected(key, "an integer in " + min + ".." + max, value);
        }
        return (int)(long)(Long)value;
    }

    private static void warnUnknown(final String key, final Map<String, Object> table, final Set<String> known)
    {
        for (final String name : table.keySet())
        {
            if (!known.contains(name))
            {
                LOG.log(System.Logger.Level.WARNING, "unknown config key '" + key + "." + name + "' ignored");
            }
        }
    }

    private static ConfigException expected(final String key, final String what, final Object actual)
    {
        return ConfigException.expected(key, what, actual);
    }

    private static String describe(final Object value)
    {
        return ConfigException.describe(value);
    }

    private static final class Builder
    {
        URI url;
        final List<WebhookTarget.Selector> selectors = new ArrayList<>();
        Map<String, String> headers;
        RetryPolicy retry;
        long timeoutMs;
    }
}
