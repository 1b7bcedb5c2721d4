/**
 * Prometheus metrics with Sockudo 4.4.0's names. Reactors count into their own {@link
 * io.sockudo.jvm.server.metrics.ReactorMetrics} (single writer, release stores, HdrHistogram recorders); the
 * scrape thread sums them in {@link io.sockudo.jvm.server.metrics.MetricsCollector}. Nothing on a reactor calls
 * into a metrics library or allocates to count.
 */
package io.sockudo.jvm.server.metrics;
