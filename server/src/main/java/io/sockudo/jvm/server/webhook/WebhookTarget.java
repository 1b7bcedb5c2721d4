package io.sockudo.jvm.server.webhook;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One receiving URL of one app: every {@code policy.webhooks} entry of the app with that URL, collapsed. An event
 * goes to the target when any of the entries selects it (its {@code event_types} and its {@code filter}); headers,
 * retry policy and timeout come from the first entry. Immutable.
 */
final class WebhookTarget
{
    final String appId;
    final String appKey;
    final String appSecret;
    final URI url;
    final String urlText;
    final List<Selector> selectors;
    final Map<String, String> headers;
    final RetryPolicy retry;
    final long timeoutMs;
    final int eventMask;

    WebhookTarget(final String appId, final String appKey, final String appSecret, final URI url,
        final List<Selector> selectors, final Map<String, String> headers, final RetryPolicy retry,
        final long timeoutMs)
    {
        this.appId = appId;
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.url = url;
        this.urlText = url.toString();
        this.selectors = List.copyOf(selectors);
        this.headers = headers;
        this.retry = retry;
        this.timeoutMs = timeoutMs;
        int mask = 0;
        for (final Selector selector : this.selectors)
        {
            mask |= selector.eventMask;
        }
        this.eventMask = mask;
    }

    /**
     * Whether this target receives an event.
     *
     * @param type    the event type.
     * @param channel the channel name.
     * @return true when some entry selects both the type and the channel.
     */
    boolean wants(final WebhookEventType type, final String channel)
    {
        if (0 == (eventMask & type.mask()))
        {
            return false;
        }
        for (int i = 0, n = selectors.size(); i < n; i++)
        {
            final Selector selector = selectors.get(i);
            if (0 != (selector.eventMask & type.mask()) && selector.filter.matches(channel))
            {
                return true;
            }
        }
        return false;
    }

    /** One entry's {@code event_types} (as a mask; all types when absent or empty) and {@code filter}. */
    static final class Selector
    {
        final int eventMask;
        final WebhookFilter filter;

        Selector(final int eventMask, final WebhookFilter filter)
        {
            this.eventMask = eventMask;
            this.filter = filter;
        }
    }
}
