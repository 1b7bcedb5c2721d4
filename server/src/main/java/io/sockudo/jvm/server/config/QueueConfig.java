package io.sockudo.jvm.server.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code [queue]} section: the transport of webhook delivery jobs.
 */
public final class QueueConfig
{
    /** Sub-tables of 4.4.0's queue drivers: accepted and kept raw in {@link #drivers}. */
    static final String[] DRIVER_SECTIONS =
    {
        "redis", "redis_cluster", "nats", "pulsar", "rabbitmq", "google_pubsub", "kafka", "iggy", "sqs", "sns"
    };

    /**
     * {@code driver}, env {@code QUEUE_DRIVER}: {@code memory} (the default here) or {@code none} (webhooks off).
     * Any other driver stops start-up.
     */
    public String driver = "memory";
    /** The driver sub-tables ({@code redis}, {@code iggy}, ...), raw, by name. */
    public final Map<String, Object> drivers = new LinkedHashMap<>();
}
