package io.sockudo.jvm.server.webhook;

import java.util.Map;

/**
 * One signed webhook request, ready to send: the URL, the exact body, every header (the custom ones, then
 * {@code Content-Type}, {@code X-Pusher-Key} and {@code X-Pusher-Signature}), the attempt timeout and the retry
 * policy. A job is what a {@link JobQueue} carries; its attempt counters belong to whoever delivers it.
 */
public final class DeliveryJob
{
    private final String appId;
    private final String url;
    private final String body;
    private final Map<String, String> headers;
    private final long timeoutMs;
    private final RetryPolicy retry;
    int attempts;
    long firstAttemptMs;

    /**
     * Creates a job.
     *
     * @param appId     the app the events belong to (for logs).
     * @param url       the target URL.
     * @param body      the JSON body, sent as UTF-8.
     * @param headers   every request header, in order.
     * @param timeoutMs timeout of one attempt.
     * @param retry     when to try again.
     */
    public DeliveryJob(final String appId, final String url, final String body, final Map<String, String> headers,
        final long timeoutMs, final RetryPolicy retry)
    {
        this.appId = appId;
        this.url = url;
        this.body = body;
        this.headers = headers;
        this.timeoutMs = timeoutMs;
        this.retry = retry;
    }

    /**
     * The app id.
     *
     * @return the id.
     */
    public String appId()
    {
        return appId;
    }

    /**
     * The target URL.
     *
     * @return the URL text.
     */
    public String url()
    {
        return url;
    }

    /**
     * The request body.
     *
     * @return the JSON text.
     */
    public String body()
    {
        return body;
    }

    /**
     * The request headers.
     *
     * @return name to value, unmodifiable.
     */
    public Map<String, String> headers()
    {
        return headers;
    }

    /**
     * The timeout of one attempt.
     *
     * @return ms.
     */
    public long timeoutMs()
    {
        return timeoutMs;
    }

    /**
     * The retry policy.
     *
     * @return the policy.
     */
    public RetryPolicy retry()
    {
        return retry;
    }

    /**
     * Attempts started so far.
     *
     * @return the count.
     */
    public int attempts()
    {
        return attempts;
    }
}
