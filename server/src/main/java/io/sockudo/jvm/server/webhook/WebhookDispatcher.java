package io.sockudo.jvm.server.webhook;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sockudo.jvm.protocol.pusher.PusherSignatures;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;

/**
 * The webhook logic between the reactors and the job queue, run by one thread (no locks): holds
 * {@code channel_vacated} and {@code member_removed} for the removal delay and cancels them (and the matching
 * {@code channel_occupied} / {@code member_added}) when the channel or member comes back; collects each app's events
 * for the batching window; selects, splits, writes and signs the requests of each target and offers them to the
 * {@link JobQueue}. Time is passed in, so tests drive it with their own clock.
 */
final class WebhookDispatcher
{
    /** Most events an app may collect in one window before they are sent early. */
    static final int MAX_BATCH_EVENTS = 10_000;

    private final Map<AppState, AppHooks> apps;
    private final JobQueue jobs;
    private final boolean batching;
    private final long batchingDurationMs;
    private final int batchSize;
    private final long removalDelayMs;
    private final ArrayDeque<Pending> removals = new ArrayDeque<>();
    private final ArrayDeque<BatchTimer> batchTimers = new ArrayDeque<>();
    private final WebhookPayload payload = new WebhookPayload();
    private final ArrayList<WebhookEvent> single = new ArrayList<>(1);
    private final ArrayList<WebhookEvent> selected = new ArrayList<>();
    private long suppressed;
    private long lastDueMs;
    private long jobsMade;

    /**
     * @param apps               every app with webhooks, with its targets.
     * @param jobs               where requests go.
     * @param batching           {@code batching.enabled}.
     * @param batchingDurationMs {@code batching.duration}.
     * @param batchSize          {@code batching.size}: most events per request.
     * @param removalDelayMs     the removal delay; 0 sends removals at once.
     */
    WebhookDispatcher(final Map<AppState, List<WebhookTarget>> apps, final JobQueue jobs, final boolean batching,
        final long batchingDurationMs, final int batchSize, final long removalDelayMs)
    {
        final Map<AppState, AppHooks> map = new HashMap<>();
        for (final Map.Entry<AppState, List<WebhookTarget>> entry : apps.entrySet())
        {
            map.put(entry.getKey(), new AppHooks(entry.getKey(), entry.getValue()));
        }
        this.apps = map;
        this.jobs = jobs;
        this.batching = batching;
        this.batchingDurationMs = batchingDurationMs;
        this.batchSize = Math.max(1, batchSize);
        this.removalDelayMs = removalDelayMs;
    }

    /**
     * Handles one reported event.
     *
     * @param e     the event.
     * @param nowMs the current time.
     */
    void onEvent(final WebhookEvent e, final long nowMs)
    {
        final AppHooks hooks = apps.get(e.app);
        if (null == hooks)
        {
            return;
        }
        switch (e.type)
        {
            case CHANNEL_OCCUPIED:
                if (null != hooks.vacated.remove(e.channel))
                {
                    suppressed++; // back within the delay: from outside, nothing happened
                    return;
                }
                emit(hooks, e, nowMs);
                return;
            case MEMBER_ADDED:
                if (null != hooks.removed.remove(memberKey(e.channel, e.userId)))
                {
                    suppressed++;
                    return;
                }
                emit(hooks, e, nowMs);
                return;
            case CHANNEL_VACATED:
                hold(hooks, hooks.vacated, e.channel, e, nowMs);
                return;
            case MEMBER_REMOVED:
                hold(hooks, hooks.removed, memberKey(e.channel, e.userId), e, nowMs);
                return;
            default:
                emit(hooks, e, nowMs);
        }
    }

    private void hold(final AppHooks hooks, final HashMap<String, Pending> map, final String key,
        final WebhookEvent e, final long nowMs)
    {
        if (removalDelayMs <= 0)
        {
            map.remove(key);
            emit(hooks, e, nowMs);
            return;
        }
        // due at the report's own time plus the delay; kept non-decreasing so that the FIFO stays ordered
        // (reports from different reactors may be stamped a little out of order)
        final long dueMs = Math.max(lastDueMs, e.timeMs + removalDelayMs);
        lastDueMs = dueMs;
        final Pending pending = new Pending(hooks, map, key, e, dueMs);
        map.put(key, pending);
        removals.addLast(pending);
    }

    /**
     * Sends the removals and batches that are due.
     *
     * @param nowMs the current time.
     */
    void onTimers(final long nowMs)
    {
        Pending pending;
        while (null != (pending = removals.peekFirst()) && pending.dueMs <= nowMs)
        {
            removals.pollFirst();
            if (pending.map.get(pending.key) != pending || pending.awaitingReturn)
            {
                continue; // cancelled, or replaced by a later removal
            }
            if (stillGone(pending.event))
            {
                pending.map.remove(pending.key);
                emit(pending.hooks, pending.event.at(nowMs), nowMs);
            }
            else
            {
                // the live state says it came back but its report is still on the way: it will cancel this entry
                pending.awaitingReturn = true;
                suppressed++;
            }
        }
        BatchTimer timer;
        while (null != (timer = batchTimers.peekFirst()) && timer.deadlineMs <= nowMs)
        {
            batchTimers.pollFirst();
            if (timer.hooks.batchTimer == timer)
            {
                flush(timer.hooks);
            }
        }
    }

    /**
     * When {@link #onTimers} next has work.
     *
     * @return the earliest due time, or {@link Long#MAX_VALUE} when nothing waits.
     */
    long nextDeadlineMs()
    {
        long next = Long.MAX_VALUE;
        final Pending pending = removals.peekFirst();
        if (null != pending)
        {
            next = pending.dueMs;
        }
        final BatchTimer timer = batchTimers.peekFirst();
        if (null != timer)
        {
            next = Math.min(next, timer.deadlineMs);
        }
        return next;
    }

    /** Sends every open batch now (shutdown). */
    void flushAll()
    {
        for (final AppHooks hooks : apps.values())
        {
            if (!hooks.batch.isEmpty())
            {
                flush(hooks);
            }
        }
        batchTimers.clear();
    }

    /** Events suppressed because the channel or member came back within the delay. */
    long suppressed()
    {
        return suppressed;
    }

    /** Jobs offered to the queue. */
    long jobsMade()
    {
        return jobsMade;
    }

    private static boolean stillGone(final WebhookEvent e)
    {
        final Channel channel = e.app.channel(e.channel);
        if (null == channel)
        {
            return true;
        }
        if (WebhookEventType.CHANNEL_VACATED == e.type)
        {
            return 0 == channel.subscriptionCount();
        }
        return !channel.hasMember(e.userId);
    }

    private void emit(final AppHooks hooks, final WebhookEvent e, final long nowMs)
    {
        if (!batching)
        {
            single.clear();
            single.add(e);
            send(hooks, single);
            single.clear();
            return;
        }
        if (hooks.batch.isEmpty())
        {
            final BatchTimer timer = new BatchTimer(hooks, nowMs + batchingDurationMs);
            hooks.batchTimer = timer;
            batchTimers.addLast(timer);
        }
        hooks.batch.add(e);
        if (hooks.batch.size() >= MAX_BATCH_EVENTS)
        {
            flush(hooks);
        }
    }

    private void flush(final AppHooks hooks)
    {
        hooks.batchTimer = null;
        send(hooks, hooks.batch);
        hooks.batch.clear();
    }

    private void send(final AppHooks hooks, final List<WebhookEvent> events)
    {
        for (int t = 0, n = hooks.targets.size(); t < n; t++)
        {
            final WebhookTarget target = hooks.targets.get(t);
            selected.clear();
            for (int i = 0, m = events.size(); i < m; i++)
            {
                final WebhookEvent e = events.get(i);
                if (target.wants(e.type, e.channel))
                {
                    selected.add(e);
                }
            }
            for (int from = 0; from < selected.size(); from += batchSize)
            {
                final int to = Math.min(selected.size(), from + batchSize);
                jobs.offer(job(target, payload.body(selected, from, to)));
                jobsMade++;
            }
        }
        selected.clear();
    }

    /**
     * A signed request for one target.
     *
     * @param target the target.
     * @param body   the JSON body.
     * @return the job.
     */
    static DeliveryJob job(final WebhookTarget target, final String body)
    {
        final Map<String, String> headers = new LinkedHashMap<>(target.headers.size() + 3);
        for (final Map.Entry<String, String> header : target.headers.entrySet())
        {
            final String name = header.getKey();
            if (!"content-type".equalsIgnoreCase(name) && !"x-pusher-key".equalsIgnoreCase(name) &&
                !"x-pusher-signature".equalsIgnoreCase(name))
            {
                headers.put(name, header.getValue());
            }
        }
        headers.put("Content-Type", "application/json");
        headers.put("X-Pusher-Key", target.appKey);
        headers.put("X-Pusher-Signature", PusherSignatures.hmacSha256Hex(target.appSecret, body));
        return new DeliveryJob(target.appId, target.urlText, body, java.util.Collections.unmodifiableMap(headers),
            target.timeoutMs, target.retry);
    }

    private static String memberKey(final String channel, final String userId)
    {
        return channel + '\u0000' + userId;
    }

    /** Per-app state of the dispatcher. */
    static final class AppHooks
    {
        final AppState app;
        final List<WebhookTarget> targets;
        final HashMap<String, Pending> vacated = new HashMap<>();
        final HashMap<String, Pending> removed = new HashMap<>();
        final ArrayList<WebhookEvent> batch = new ArrayList<>();
        BatchTimer batchTimer;

        AppHooks(final AppState app, final List<WebhookTarget> targets)
        {
            this.app = app;
            this.targets = List.copyOf(targets);
        }
    }

    /** A held removal. */
    static final class Pending
    {
        final AppHooks hooks;
        final HashMap<String, Pending> map;
        final String key;
        final WebhookEvent event;
        final long dueMs;
        boolean awaitingReturn;

        Pending(final AppHooks hooks, final HashMap<String, Pending> map, final String key, final WebhookEvent event,
            final long dueMs)
        {
            this.hooks = hooks;
            this.map = map;
            this.key = key;
            this.event = event;
            this.dueMs = dueMs;
        }
    }

    /** The end of one app's batching window. */
    static final class BatchTimer
    {
        final AppHooks hooks;
        final long deadlineMs;

        BatchTimer(final AppHooks hooks, final long deadlineMs)
        {
            this.hooks = hooks;
            this.deadlineMs = deadlineMs;
        }
    }
}
