package io.sockudo.jvm.server.metrics;

import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.protocol.pusher.ChannelType;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the Prometheus text format (0.0.4) at scrape time by summing every reactor's counters. Scrapes are
 * serialised (one metrics thread); interval histograms are drained per scrape into cumulative ones.
 */
public final class MetricsCollector
{
    /** Sockudo's end-to-end histogram buckets, in ms. */
    static final double[] E2E_BUCKETS_MS = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final long START_SECONDS = System.currentTimeMillis() / 1000;

    private final String prefix;
    private volatile io.sockudo.jvm.server.annotation.Annotations annotations;
    private final String port;
    private final List<AppState> apps;
    private final ReactorMetrics[] reactors;
    private final Histogram[] broadcastTotal;
    private final Histogram broadcastInterval = new Histogram(3);
    private final Histogram httpInterval = new Histogram(3);
    private io.sockudo.jvm.server.webhook.Webhooks webhooks;

    /**
     * @param prefix metric name prefix, e.g. {@code sockudo_}
     * @param port value of the {@code port} label (Sockudo uses the metrics port)
     * @param apps configured apps in registry order
     * @param reactors every reactor's counters
     */
    public MetricsCollector(final String prefix, final int port, final List<AppState> apps,
        final ReactorMetrics[] reactors)
    {
        this.prefix = prefix;
        this.port = Integer.toString(port);
        this.apps = apps;
        this.reactors = reactors;
        this.broadcastTotal = new Histogram[apps.size()];
        for (int i = 0; i < broadcastTotal.length; i++)
        {
            broadcastTotal[i] = new Histogram(3);
        }
    }

    /**
     * Adds the webhook delivery counters to the scrape.
     *
     * @param webhooks the webhook module
     */
    public void webhooks(final io.sockudo.jvm.server.webhook.Webhooks webhooks)
    {
        this.webhooks = webhooks;
    }

    /**
     * Renders every metric.
     *
     * @return the exposition text
     */
    public synchronized String scrape()
    {
        final StringBuilder sb = new StringBuilder(16 * 1024);
        final int slots = apps.size() + 2;
        final String[] labels = new String[slots];
        for (int i = 0; i < apps.size(); i++)
        {
            labels[i] = apps.get(i).config().id;
        }
        labels[slots - 2] = "system";
        labels[slots - 1] = "unknown";

        header(sb, "connected", "gauge", "WebSocket sessions connected now");
        for (int a = 0; a < apps.size(); a++)
        {
            sample(sb, "connected", labels[a], null, sum(a, ReactorMetrics.NEW_CONNECTIONS) -
                sum(a, ReactorMetrics.NEW_DISCONNECTIONS));
        }
        appCounter(sb, labels, "new_connections_total", ReactorMetrics.NEW_CONNECTIONS, "WebSocket sessions opened");
        appCounter(sb, labels, "new_disconnections_total", ReactorMetrics.NEW_DISCONNECTIONS,
            "WebSocket sessions closed");
        header(sb, "connection_errors_total", "counter", "WebSocket connection errors by type");
        for (int a = 0; a < slots; a++)
        {
            for (int e = 0; e < ReactorMetrics.ERROR_TYPES.length; e++)
            {
                final long v = sum(a, ReactorMetrics.ERRORS + e);
                if (v > 0)
                {
                    sample(sb, "connection_errors_total", labels[a], "error_type=\"" + ReactorMetrics.ERROR_TYPES[e] +
                        "\"", v);
                }
            }
        }
        appCounter(sb, labels, "socket_received_bytes", ReactorMetrics.SOCKET_RECEIVED_BYTES,
            "Inbound WebSocket message bytes");
        appCounter(sb, labels, "socket_transmitted_bytes", ReactorMetrics.SOCKET_TRANSMITTED_BYTES,
            "Outbound WebSocket bytes");
        appCounter(sb, labels, "ws_messages_received_total", ReactorMetrics.WS_RECEIVED, "Inbound WebSocket messages");
        appCounter(sb, labels, "ws_messages_sent_total", ReactorMetrics.WS_SENT, "Outbound WebSocket messages");
        appCounter(sb, labels, "http_received_bytes", ReactorMetrics.HTTP_RECEIVED_BYTES, "HTTP request body bytes");
        appCounter(sb, labels, "http_transmitted_bytes", ReactorMetrics.HTTP_TRANSMITTED_BYTES, "HTTP response bytes");
        appCounter(sb, labels, "http_calls_received_total", ReactorMetrics.HTTP_CALLS, "HTTP API calls and /up hits");
        typedCounter(sb, labels, "channel_subscriptions_total", ReactorMetrics.SUBSCRIPTIONS, "Channel subscriptions");
        typedCounter(sb, labels, "channel_unsubscriptions_total", ReactorMetrics.UNSUBSCRIPTIONS,
            "Channel unsubscriptions");
        activeChannels(sb, labels);
        appCounter(sb, labels, "slow_consumer_disconnections_total", ReactorMetrics.SLOW_CONSUMERS,
            "Sockets closed because they did not read fast enough (max_backpressure)");
        appCounter(sb, labels, "idempotency_publish_total", ReactorMetrics.IDEMPOTENCY_PUBLISH,
            "HTTP publishes that carried an idempotency key");
        appCounter(sb, labels, "idempotency_duplicates_total", ReactorMetrics.IDEMPOTENCY_DUPLICATES,
            "HTTP publishes answered from the idempotency cache");
        appCounter(sb, labels, "history_writes_total", ReactorMetrics.HISTORY_WRITES, "History rows written");
        labelledCounter(sb, labels, "history_recovery_success_total", ReactorMetrics.RECOVERY_SUCCESS, "source",
            ReactorMetrics.RECOVERY_SOURCES, "Channels recovered by resume");
        labelledCounter(sb, labels, "history_recovery_failures_total", ReactorMetrics.RECOVERY_FAILURES, "code",
            ReactorMetrics.RECOVERY_CODES, "Channels that failed to resume");
        labelledCounter(sb, labels, "versioned_message_mutations_total", ReactorMetrics.VERSION_MUTATIONS, "action",
            ReactorMetrics.VERSION_ACTIONS, "Versioned-message writes (result=\"applied\")");
        labelledCounter(sb, labels, "versioned_history_substitution_total", ReactorMetrics.SUBSTITUTIONS, "result",
            ReactorMetrics.SUBSTITUTION_RESULTS, "History items and their latest-visible substitution");
        rateLimits(sb, labels);
        broadcastLatency(sb, labels);
        httpLatency(sb);
        webhookCounters(sb);
        annotationFamilies(sb);
        jvm(sb);
        process(sb);
        return sb.toString();
    }

    private long sum(final int app, final int metric)
    {
        long total = 0;
        for (final ReactorMetrics r : reactors)
        {
            total += r.get(app, metric);
        }
        return total;
    }

    private void header(final StringBuilder sb, final String name, final String type, final String help)
    {
        sb.append("# HELP ").append(prefix).append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(prefix).append(name).append(' ').append(type).append('\n');
    }

    private void sample(final StringBuilder sb, final String name, final String app, final String extra,
        final double value)
    {
        sb.append(prefix).append(name).append("{app_id=\"").append(escape(app)).append("\",port=\"").append(port)
            .append('"');
        if (extra != null)
        {
            sb.append(',').append(extra);
        }
        sb.append("} ").append(format(value)).append('\n');
    }

    private void appCounter(final StringBuilder sb, final String[] labels, final String name, final int metric,
        final String help)
    {
        header(sb, name, "counter", help);
        for (int a = 0; a < labels.length; a++)
        {
            final long v = sum(a, metric);
            if (a < apps.size() || v > 0)
            {
                sample(sb, name, labels[a], null, v);
            }
        }
    }

    /** A counter with one extra label whose values map to consecutive slots; only non-zero samples. */
    private void labelledCounter(final StringBuilder sb, final String[] labels, final String name, final int base,
        final String label, final String[] values, final String help)
    {
        header(sb, name, "counter", help);
        for (int a = 0; a < labels.length; a++)
        {
            for (int i = 0; i < values.length; i++)
            {
                final long v = sum(a, base + i);
                if (v > 0)
                {
                    final String extra = label + "=\"" + values[i] + "\"" +
                        ("versioned_message_mutations_total".equals(name) ? ",result=\"applied\"" : "");
                    sample(sb, name, labels[a], extra, v);
                }
            }
        }
    }

    private void typedCounter(final StringBuilder sb, final String[] labels, final String name, final int base,
        final String help)
    {
        header(sb, name, "counter", help);
        for (int a = 0; a < apps.size(); a++)
        {
            for (int t = 0; t < ReactorMetrics.CHANNEL_TYPES.length; t++)
            {
                sample(sb, name, labels[a], "channel_type=\"" + ReactorMetrics.CHANNEL_TYPES[t] + "\"",
                    sum(a, base + t));
            }
        }
    }

    private void activeChannels(final StringBuilder sb, final String[] labels)
    {
        header(sb, "active_channels", "gauge", "Occupied channels by type");
        for (int a = 0; a < apps.size(); a++)
        {
            final long[] counts = new long[ReactorMetrics.CHANNEL_TYPES.length];
            for (final Channel ch : apps.get(a).channels())
            {
                if (ch.subscriptionCount() > 0)
                {
                    counts[channelTypeSlot(ch.name())]++;
                }
            }
            for (int t = 0; t < counts.length; t++)
            {
                sample(sb, "active_channels", labels[a], "channel_type=\"" + ReactorMetrics.CHANNEL_TYPES[t] + "\"",
                    counts[t]);
            }
        }
    }

    /**
     * The channel_type label slot of a channel name (cache channels count as cache).
     *
     * @param name channel name
     * @return slot in {@link ReactorMetrics#CHANNEL_TYPES}
     */
    public static int channelTypeSlot(final String name)
    {
        if (ChannelName.isCache(name))
        {
            return 4;
        }
        final ChannelType type = ChannelName.type(name);
        switch (type)
        {
            case PRIVATE:
                return 1;
            case PRESENCE:
                return 2;
            case PRIVATE_ENCRYPTED:
                return 3;
            default:
                return 0;
        }
    }

    private void rateLimits(final StringBuilder sb, final String[] labels)
    {
        for (int kind = 0; kind < 2; kind++)
        {
            final String name = kind == 0 ? "rate_limit_checks_total" : "rate_limit_triggered_total";
            final int base = kind == 0 ? ReactorMetrics.RATE_LIMIT_CHECKS : ReactorMetrics.RATE_LIMIT_TRIGGERED;
            header(sb, name, "counter", kind == 0 ? "Rate limit checks" : "Requests refused by a rate limit");
            for (int l = 0; l < ReactorMetrics.LIMITERS.length; l++)
            {
                final String extra = "limiter_type=\"" + ReactorMetrics.LIMITERS[l][0] + "\",request_context=\"" +
                    ReactorMetrics.LIMITERS[l][1] + "\"";
                if (l < 2)
                {
                    sample(sb, name, "global", extra, sum(labels.length - 2, base + l));
                }
                else
                {
                    for (int a = 0; a < apps.size(); a++)
                    {
                        sample(sb, name, labels[a], extra, sum(a, base + l));
                    }
                }
            }
        }
    }

    private void broadcastLatency(final StringBuilder sb, final String[] labels)
    {
        header(sb, "broadcast_latency_ms", "histogram",
            "Publish to last local socket write, per broadcast with at least one recipient");
        final StringBuilder quantiles = new StringBuilder();
        for (int a = 0; a < apps.size(); a++)
        {
            broadcastInterval.reset();
            for (final ReactorMetrics r : reactors)
            {
                broadcastInterval.add(r.broadcastRecorder(a).getIntervalHistogram());
            }
            final Histogram total = broadcastTotal[a];
            total.add(broadcastInterval);
            for (final double bucket : E2E_BUCKETS_MS)
            {
                sample(sb, "broadcast_latency_ms_bucket", labels[a], "le=\"" + format(bucket) + "\"",
                    total.getCountBetweenValues(0, (long)(bucket * 1000)));
            }
            sample(sb, "broadcast_latency_ms_bucket", labels[a], "le=\"+Inf\"", total.getTotalCount());
            sample(sb, "broadcast_latency_ms_sum", labels[a], null, total.getMean() * total.getTotalCount() / 1000.0);
            sample(sb, "broadcast_latency_ms_count", labels[a], null, total.getTotalCount());
            for (final double q : QUANTILES)
            {
                sample(quantiles, "broadcast_latency_quantile_ms", labels[a], "quantile=\"" + format(q) + "\"",
                    broadcastInterval.getValueAtPercentile(q * 100) / 1000.0);
            }
        }
        header(sb, "broadcast_latency_quantile_ms", "gauge",
            "Broadcast latency percentiles over the last scrape interval (HdrHistogram)");
        sb.append(quantiles);
    }

    private void httpLatency(final StringBuilder sb)
    {
        httpInterval.reset();
        for (final ReactorMetrics r : reactors)
        {
            httpInterval.add(r.httpRecorder().getIntervalHistogram());
        }
        header(sb, "http_api_latency_quantile_ms", "gauge",
            "HTTP API request handling time percentiles over the last scrape interval (HdrHistogram)");
        for (final double q : QUANTILES)
        {
            sb.append(prefix).append("http_api_latency_quantile_ms{port=\"").append(port).append("\",quantile=\"")
                .append(format(q)).append("\"} ").append(format(httpInterval.getValueAtPercentile(q * 100) / 1000.0))
                .append('\n');
        }
        sb.append(prefix).append("http_api_requests_measured{port=\"").append(port).append("\"} ")
            .append(httpInterval.getTotalCount()).append('\n');
    }

    private void webhookCounters(final StringBuilder sb)
    {
        if (webhooks == null)
        {
            return;
        }
        final String[][] families = {{"webhooks_delivered_total", "Webhook requests answered 2xx"},
            {"webhooks_failed_total", "Webhook requests given up after retries or a non-retryable status"},
            {"webhooks_dropped_total", "Webhook events or jobs dropped because a bounded queue was full"},
            {"webhooks_retries_total", "Webhook request retries"}};
        final long[] values = {webhooks.delivered(), webhooks.failed(), webhooks.dropped(), webhooks.retried()};
        for (int i = 0; i < families.length; i++)
        {
            header(sb, families[i][0], "counter", families[i][1]);
            sb.append(prefix).append(families[i][0]).append("{port=\"").append(port).append("\"} ")
                .append(values[i]).append('\n');
        }
    }

    /**
     * Connects the annotation engine, whose six families replace the empty declarations.
     *
     * @param engine the engine
     */
    public void annotations(final io.sockudo.jvm.server.annotation.Annotations engine)
    {
        this.annotations = engine;
    }

    /** The annotation families of Sockudo 4.4: from the engine, or declared without samples. */
    private void annotationFamilies(final StringBuilder sb)
    {
        final io.sockudo.jvm.server.annotation.Annotations engine = annotations;
        if (engine != null)
        {
            sb.append(engine.metricsText(prefix));
            return;
        }
        header(sb, "annotations_published_total", "counter", "Annotations published, by channel and type");
        header(sb, "annotations_deleted_total", "counter", "Annotations deleted, by channel and type");
        header(sb, "annotation_summary_deliveries_total", "counter", "Annotation summaries delivered, by channel");
        header(sb, "annotation_summary_clipped_total", "counter", "Clipped annotation summaries, by channel and type");
        header(sb, "annotation_projection_rebuild_total", "counter", "Annotation projection rebuilds, by channel");
        header(sb, "annotation_projection_rebuild_duration_seconds", "histogram",
            "Annotation projection rebuild time, by channel");
    }

    private static void jvm(final StringBuilder sb)
    {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        final MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        sb.append("# HELP jvm_memory_bytes_used Used bytes of a JVM memory area\n# TYPE jvm_memory_bytes_used gauge\n");
        sb.append("jvm_memory_bytes_used{area=\"heap\"} ").append(heap.getUsed()).append('\n');
        sb.append("jvm_memory_bytes_used{area=\"nonheap\"} ").append(nonHeap.getUsed()).append('\n');
        sb.append("# HELP jvm_memory_bytes_max Max bytes of a JVM memory area\n# TYPE jvm_memory_bytes_max gauge\n");
        sb.append("jvm_memory_bytes_max{area=\"heap\"} ").append(heap.getMax()).append('\n');
        sb.append("# HELP jvm_gc_collection_seconds Time spent in a given JVM garbage collector\n");
        sb.append("# TYPE jvm_gc_collection_seconds summary\n");
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            final String name = escape(gc.getName());
            sb.append("jvm_gc_collection_seconds_count{gc=\"").append(name).append("\"} ")
                .append(Math.max(0, gc.getCollectionCount())).append('\n');
            sb.append("jvm_gc_collection_seconds_sum{gc=\"").append(name).append("\"} ")
                .append(format(Math.max(0, gc.getCollectionTime()) / 1000.0)).append('\n');
        }
        sb.append("# HELP jvm_threads_current Current thread count\n# TYPE jvm_threads_current gauge\n");
        sb.append("jvm_threads_current ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
    }

    private static void process(final StringBuilder sb)
    {
        long rss = -1;
        long vsz = -1;
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    rss = kb(line) * 1024;
                }
                else if (line.startsWith("VmSize:"))
                {
                    vsz = kb(line) * 1024;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: leave the process memory metrics out
        }
        if (rss >= 0)
        {
            gauge(sb, "process_resident_memory_bytes", "Resident memory size in bytes", rss);
            gauge(sb, "process_virtual_memory_bytes", "Virtual memory size in bytes", vsz);
        }
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean)
        {
            final com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean)os;
            gauge(sb, "process_cpu_seconds_total", "Total user and system CPU time in seconds",
                unix.getProcessCpuTime() / 1e9);
            gauge(sb, "process_open_fds", "Open file descriptors", unix.getOpenFileDescriptorCount());
            gauge(sb, "process_max_fds", "Maximum open file descriptors", unix.getMaxFileDescriptorCount());
        }
        gauge(sb, "process_start_time_seconds", "Start time of the process since the epoch in seconds", START_SECONDS);
    }

    private static long kb(final String line)
    {
        final String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    private static void gauge(final StringBuilder sb, final String name, final String help, final double value)
    {
        // Process metrics carry no prefix and are gauges, as in Sockudo 4.4.0.
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(format(value)).append('\n');
    }

    private static String format(final double v)
    {
        if (v == Math.rint(v) && Math.abs(v) < 1e15)
        {
            return Long.toString((long)v);
        }
        return Double.toString(v); // shortest exact text; Prometheus parses the E notation

    }

    private static String escape(final String s)
    {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
