package io.sockudo.jvm.server.webhook;

import io.sockudo.jvm.server.channel.AppState;

/**
 * One thing that happened, as reported by a reactor (or decided by the dispatcher after a removal delay). Built on
 * the reporting thread and handed to the dispatcher through the inbox; never changed afterwards.
 */
final class WebhookEvent
{
    final AppState app;
    final WebhookEventType type;
    final String channel;
    final String userId;
    final String event;
    final String dataJson;
    final String socketId;
    final int count;
    final long timeMs;

    WebhookEvent(final AppState app, final WebhookEventType type, final String channel, final String userId,
        final String event, final String dataJson, final String socketId, final int count, final long timeMs)
    {
        this.app = app;
        this.type = type;
        this.channel = channel;
        this.userId = userId;
        this.event = event;
        this.dataJson = dataJson;
        this.socketId = socketId;
        this.count = count;
        this.timeMs = timeMs;
    }

    static WebhookEvent of(final AppState app, final WebhookEventType type, final String channel, final long timeMs)
    {
        return new WebhookEvent(app, type, channel, null, null, null, null, 0, timeMs);
    }

    static WebhookEvent member(
        final AppState app, final WebhookEventType type, final String channel, final String userId, final long timeMs)
    {
        return new WebhookEvent(app, type, channel, userId, null, null, null, 0, timeMs);
    }

    /** The same event stamped with another time (a delayed removal is stamped when it is decided). */
    WebhookEvent at(final long newTimeMs)
    {
        return new WebhookEvent(app, type, channel, userId, event, dataJson, socketId, count, newTimeMs);
    }
}
