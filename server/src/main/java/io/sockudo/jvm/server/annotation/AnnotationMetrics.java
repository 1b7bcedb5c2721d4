package io.sockudo.jvm.server.annotation;

import java.util.Map;
import java.util.TreeMap;

/**
 * The six annotation metrics of spec 8.2, rendered in the Prometheus text format. Labels are channel (and type);
 * there is no app label, as in 4.4.0. Updated under the engine's lock; read at scrape time.
 */
final class AnnotationMetrics
{
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final Map<String, long[]> published = new TreeMap<>();
    private final Map<String, long[]> deleted = new TreeMap<>();
    private final Map<String, long[]> deliveries = new TreeMap<>();
    private final Map<String, long[]> clipped = new TreeMap<>();
    private final Map<String, long[]> rebuilds = new TreeMap<>();
    private final Map<String, Histogram> rebuildSeconds = new TreeMap<>();

    /** One histogram series: cumulative later, per-bucket counts here. */
    private static final class Histogram
    {
        final long[] counts = new long[BUCKETS.length];
        long count;
        double sum;
    }

    void published(final String channel, final String type)
    {
        increment(published, channelType(channel, type), 1);
    }

    void deleted(final String channel, final String type)
    {
        increment(deleted, channelType(channel, type), 1);
    }

    void delivered(final String channel, final long n)
    {
        increment(deliveries, channel(channel), n);
    }

    void clipped(final String channel, final String type)
    {
        increment(clipped, channelType(channel, type), 1);
    }

    void rebuilt(final String channel, final long n, final double seconds)
    {
        final String labels = channel(channel);
        increment(rebuilds, labels, n);
        final Histogram h = rebuildSeconds.computeIfAbsent(labels, k -> new Histogram());
        for (int i = 0; i < BUCKETS.length; i++)
        {
            if (seconds <= BUCKETS[i])
            {
                h.counts[i]++;
                break;
            }
        }
        h.count++;
        h.sum += seconds;
    }

    void render(final StringBuilder sb, final String prefix)
    {
        counter(sb, prefix, "annotations_published_total", "Total number of annotation.create events published",
            published);
        counter(sb, prefix, "annotations_deleted_total", "Total number of annotation.delete events published",
            deleted);
        counter(sb, prefix, "annotation_summary_deliveries_total",
            "Total number of annotation summary messages delivered", deliveries);
        counter(sb, prefix, "annotation_summary_clipped_total", "Total number of clipped annotation summaries",
            clipped);
        counter(sb, prefix, "annotation_projection_rebuild_total",
            "Total number of full annotation projection rebuilds", rebuilds);
        final String name = prefix + "annotation_projection_rebuild_duration_seconds";
        sb.append("# HELP ").append(name).append(" Full annotation projection rebuild latency in seconds\n");
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (final Map.Entry<String, Histogram> e : rebuildSeconds.entrySet())
        {
            final Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++)
            {
                cumulative += h.counts[i];
                sb.append(name).append("_bucket{").append(e.getKey()).append(",le=\"").append(format(BUCKETS[i]))
                    .append("\"} ").append(cumulative).append('\n');
            }
            sb.append(name).append("_bucket{").append(e.getKey()).append(",le=\"+Inf\"} ").append(h.count)
                .append('\n');
            sb.append(name).append("_sum{").append(e.getKey()).append("} ").append(h.sum).append('\n');
            sb.append(name).append("_count{").append(e.getKey()).append("} ").append(h.count).append('\n');
        }
    }

    private static void counter(final StringBuilder sb, final String prefix, final String metric, final String help,
        final Map<String, long[]> series)
    {
        final String name = prefix + metric;
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        for (final Map.Entry<String, long[]> e : series.entrySet())
        {
            sb.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue()[0]).append('\n');
        }
    }

    private static void increment(final Map<String, long[]> series, final String labels, final long n)
    {
        series.computeIfAbsent(labels, k -> new long[1])[0] += n;
    }

    private static String channel(final String channel)
    {
        return "channel=\"" + escape(channel) + "\"";
    }

    private static String channelType(final String channel, final String type)
    {
        return "channel=\"" + escape(channel) + "\",type=\"" + escape(type) + "\"";
    }

    private static String format(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }

    /** Label value escaping of the text exposition format: backslash, double quote and line feed. */
    static String escape(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '\\' || c == '"')
            {
                sb.append('\\').append(c);
            }
            else if (c == '\n')
            {
                sb.append("\\n");
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
