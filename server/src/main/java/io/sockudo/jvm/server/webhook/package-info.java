/**
 * Webhooks (Pusher protocol, Sockudo 4.4.0 {@code policy.webhooks}): reactors report channel transitions and
 * client events to a {@link io.sockudo.jvm.server.webhook.WebhookSink}; {@link io.sockudo.jvm.server.webhook.Webhooks}
 * moves them through a lock-free queue to one dispatcher thread (removal delays, batching, filters, signing), which
 * puts delivery jobs on a {@link io.sockudo.jvm.server.webhook.JobQueue}; jobs are sent with
 * {@code java.net.http.HttpClient}, at most a few at a time per target URL, with retries on a timer.
 */
package io.sockudo.jvm.server.webhook;
