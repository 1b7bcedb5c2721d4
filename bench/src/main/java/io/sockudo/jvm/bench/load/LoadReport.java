package io.sockudo.jvm.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The outcome of one scenario run: what was offered, what arrived, latency percentiles and server cost.
 * Latencies are in nanoseconds in the histogram and printed in milliseconds.
 */
public final class LoadReport
{
    /** The scenario's name (fanout, fanout-v2, idle, churn, versioned, annotation). */
    public final String scenario;
    /** Which server was measured (a free label: ours, soketi, raw). */
    public final String label;
    /** Steady subscribers. */
    public final int subscribers;
    /** Target deliveries per second (fanout) or publishes per second (churn); 0 for idle. */
    public final double targetRate;
    /** Bytes in the data string of each message; for the annotation scenario the largest summary frame. */
    public final int payloadBytes;
    /** Length of the measured window in seconds. */
    public final double measuredSeconds;
    /** Publishes whose intended time fell in the measured window. */
    public final long publishes;
    /** Deliveries expected to steady subscribers: publishes times subscribers. */
    public final long expected;
    /** Measured deliveries to steady subscribers. */
    public final long delivered;
    /** Measured deliveries to churning subscribers (no expectation: they come and go). */
    public final long deliveredChurn;
    /** Latency of every measured delivery (steady and churning), in nanoseconds. */
    public final Histogram latency;
    /** Server CPU time over the measured window and drain, microseconds; -1 when unknown. */
    public final long serverCpuMicros;
    /** Load generator CPU time over the same span, microseconds. */
    public final long clientCpuMicros;
    /** Wall time of that span, microseconds. */
    public final long spanMicros;
    /** Server RSS before the subscribers connected, KiB; -1 when unknown. */
    public final long rssBeforeKiB;
    /** Server RSS with every subscriber connected, KiB; -1 when unknown. */
    public final long rssAfterKiB;
    /** Seconds it took to connect and subscribe every steady subscriber. */
    public final double connectSeconds;
    /** Failures and errors seen, or an empty string. */
    public final String problems;
    /** Publisher facts worth knowing (reconnects, lateness), or an empty string. */
    public final String notes;

    LoadReport(
        final String scenario,
        final String label,
        final int subscribers,
        final double targetRate,
        final int payloadBytes,
        final double measuredSeconds,
        final long publishes,
        final long expected,
        final long delivered,
        final long deliveredChurn,
        final Histogram latency,
        final long serverCpuMicros,
        final long clientCpuMicros,
        final long spanMicros,
        final long rssBeforeKiB,
        final long rssAfterKiB,
        final double connectSeconds,
        final String problems,
        final String notes)
    {
        this.scenario = scenario;
        this.label = label;
        this.subscribers = subscribers;
        this.targetRate = targetRate;
        this.payloadBytes = payloadBytes;
        this.measuredSeconds = measuredSeconds;
        this.publishes = publishes;
        this.expected = expected;
        this.delivered = delivered;
        this.deliveredChurn = deliveredChurn;
        this.latency = latency;
        this.serverCpuMicros = serverCpuMicros;
        this.clientCpuMicros = clientCpuMicros;
        this.spanMicros = spanMicros;
        this.rssBeforeKiB = rssBeforeKiB;
        this.rssAfterKiB = rssAfterKiB;
        this.connectSeconds = connectSeconds;
        this.problems = problems;
        this.notes = notes;
    }

    /**
     * Measured deliveries (steady and churning) per second of the measured window.
     *
     * @return deliveries per second.
     */
    public double deliveriesPerSecond()
    {
        return measuredSeconds <= 0 ? 0 : (delivered + deliveredChurn) / measuredSeconds;
    }

    /**
     * Server CPU per delivery.
     *
     * @return microseconds, or NaN when unknown or nothing was delivered.
     */
    public double serverCpuMicrosPerDelivery()
    {
        final long all = delivered + deliveredChurn;
        return serverCpuMicros < 0 || all == 0 ? Double.NaN : (double)serverCpuMicros / all;
    }

    /**
     * Server RSS growth per connected subscriber.
     *
     * @return KiB, or NaN when unknown.
     */
    public double kibPerConnection()
    {
        return rssBeforeKiB < 0 || rssAfterKiB < 0 || subscribers == 0 ?
            Double.NaN : (double)(rssAfterKiB - rssBeforeKiB) / subscribers;
    }

    /**
     * A latency percentile.
     *
     * @param percentile 0..100.
     * @return milliseconds.
     */
    public double percentileMillis(final double percentile)
    {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e6;
    }

    /**
     * The mean latency.
     *
     * @return milliseconds.
     */
    public double meanMillis()
    {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMean() / 1e6;
    }

    /**
     * The Markdown table header matching {@link #markdownRow()}.
     *
     * @return two lines.
     */
    public static String markdownHeader()
    {
        return "| server | scenario | N | target/s | payload B | deliveries/s | delivered / expected | p50 ms | " +
            "p90 ms | p95 ms | p99 ms | p99.9 ms | max ms | mean ms | server CPU % | server CPU µs/delivery | " +
            "client CPU % | KiB/conn |\n" +
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    /**
     * One Markdown table row. KiB per connection is shown for the idle scenario only: in the others the RSS
     * delta mixes in garbage and heap growth left by earlier scenarios on the same process.
     *
     * @return the row.
     */
    public String markdownRow()
    {
        final String deliveredText = "churn".equals(scenario) ?
            delivered + " / " + expected + " (+" + deliveredChurn + " churn)" : delivered + " / " + expected;
        return String.format(Locale.ROOT,
            "| %s | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
            label, scenario, subscribers, targetRate == 0 ? "–" : String.format(Locale.ROOT, "%.0f", targetRate),
            payloadBytes, fmt(deliveriesPerSecond(), 0), deliveredText,
            fmt(percentileMillis(50), 2), fmt(percentileMillis(90), 2), fmt(percentileMillis(95), 2),
            fmt(percentileMillis(99), 2), fmt(percentileMillis(99.9), 2), fmt(percentileMillis(100), 2),
            fmt(meanMillis(), 2),
            fmt(serverCpuMicros < 0 || spanMicros == 0 ? Double.NaN : 100.0 * serverCpuMicros / spanMicros, 0),
            fmt(serverCpuMicrosPerDelivery(), 2),
            fmt(spanMicros == 0 ? Double.NaN : 100.0 * clientCpuMicros / spanMicros, 0),
            "idle".equals(scenario) ? fmt(kibPerConnection(), 2) : "–");
    }

    /**
     * A human-readable multi-line summary.
     *
     * @return text.
     */
    public String summary()
    {
        return String.format(Locale.ROOT,
            "%s %s N=%d target=%s payload=%dB connect=%.2fs%n" +
            "  publishes(measured)=%d delivered=%d/%d (+%d churn) %.0f deliveries/s%n" +
            "  latency ms: p50=%s p90=%s p95=%s p99=%s p99.9=%s max=%s mean=%s%n" +
            "  server CPU %s µs/delivery (%d µs over %d µs), client CPU %d µs%n" +
            "  server RSS %d KiB -> %d KiB = %s KiB/connection%n" +
            "  publisher: %s%n" +
            "  problems: %s",
            label, scenario, subscribers, fmt(targetRate, 0), payloadBytes, connectSeconds,
            publishes, delivered, expected, deliveredChurn, deliveriesPerSecond(),
            fmt(percentileMillis(50), 3), fmt(percentileMillis(90), 3), fmt(percentileMillis(95), 3),
            fmt(percentileMillis(99), 3), fmt(percentileMillis(99.9), 3), fmt(percentileMillis(100), 3),
            fmt(meanMillis(), 3),
            fmt(serverCpuMicrosPerDelivery(), 2), serverCpuMicros, spanMicros, clientCpuMicros,
            rssBeforeKiB, rssAfterKiB, fmt(kibPerConnection(), 2), notes.isEmpty() ? "-" : notes,
            problems.isEmpty() ? "none" : problems);
    }

    private static String fmt(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
