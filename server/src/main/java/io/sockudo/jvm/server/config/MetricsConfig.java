package io.sockudo.jvm.server.config;

/**
 * The {@code [metrics]} section: the separate Prometheus listener.
 */
public final class MetricsConfig
{
    /** {@code metrics.enabled}, env {@code METRICS_ENABLED}: with metrics disabled there is no listener. */
    public boolean enabled = true;
    /** {@code metrics.driver}, env {@code METRICS_DRIVER}: only {@code prometheus} exists. */
    public String driver = "prometheus";
    /** {@code metrics.host}, env {@code METRICS_HOST}. */
    public String host = "0.0.0.0";
    /** {@code metrics.port}, env {@code METRICS_PORT}; 0 picks an ephemeral port. */
    public int port = 9601;
    /** {@code metrics.prometheus.prefix}, env {@code METRICS_PROMETHEUS_PREFIX}. */
    public String prometheusPrefix = "sockudo_";
}
