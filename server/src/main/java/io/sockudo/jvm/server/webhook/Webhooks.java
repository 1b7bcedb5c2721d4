package io.sockudo.jvm.server.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.AppConfig;
import io.sockudo.jvm.server.config.ServerContext;
import io.sockudo.jvm.server.config.WebhooksConfig;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The webhook service: the {@link WebhookSink} the reactors report to, and the threads that turn reports into
 * signed HTTP requests.
 * <p>
 * A report only puts a small event object on a bounded lock-free queue (dropped and counted when full), and only
 * when one of the app's webhooks can want it. The {@code webhook-dispatcher} thread drains that queue and runs a
 * {@link WebhookDispatcher} (removal delay, batching, filters, signing), which offers jobs to the {@link JobQueue}
 * of {@code [queue] driver}; the same thread takes jobs off the queue and hands them to per-target lanes that send
 * them with {@link HttpClient#sendAsync} (at most 4 in flight per URL). Retries wait on the
 * {@code webhook-retry} timer thread.
 */
public final class Webhooks implements WebhookSink, AutoCloseable
{
    /** Capacity of the reactors' inbox. */
    static final int INBOX_CAPACITY = 65_536;
    private static final int DRAIN_LIMIT = 4096;
    private static final long MAX_IDLE_MS = 5;
    private static final long MAX_IDLE_NS = TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MS);
    private static final long CLOSE_WAIT_MS = 2000;
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.webhook");

    private final boolean queueEnabled;
    private final Map<AppState, AppFilter> filters = new HashMap<>();
    private final ManyToOneConcurrentArrayQueue<WebhookEvent> inbox =
        new ManyToOneConcurrentArrayQueue<>(INBOX_CAPACITY);
    private final AtomicLong inboxDropped = new AtomicLong();
    private final RateLimitedLog inboxDropLog = new RateLimitedLog(10_000);
    private final RateLimitedLog errorLog = new RateLimitedLog(10_000);
    private final JobQueue jobQueue;
    private final WebhookDispatcher dispatcher;
    private final Consumer<WebhookEvent> handler = this::handle;
    private volatile boolean running;
    private long loopNowMs;
    private long inboxDropsLogged;
    private Thread thread;
    private ScheduledExecutorService retryTimer;
    private HttpClient client;
    private volatile WebhookDelivery delivery;

    /**
     * Reads every app's {@code policy.webhooks} and the {@code [webhooks]} and {@code [queue]} sections.
     *
     * @param context the concluded configuration.
     * @param apps    the apps.
     * @throws io.sockudo.jvm.server.config.ConfigException naming the key of a bad value.
     */
    public Webhooks(final ServerContext context, final AppRegistry apps)
    {
        final WebhooksConfig config = context.webhooks;
        this.queueEnabled = !"none".equals(context.queue.driver);
        final Map<AppState, List<WebhookTarget>> targets = new LinkedHashMap<>();
        int index = 0;
        for (final AppState app : apps.apps())
        {
            final AppConfig appConfig = app.config();
            final List<WebhookTarget> list = WebhookConfigParser.parse(appConfig, index++, config);
            if (queueEnabled && !list.isEmpty())
            {
                targets.put(app, list);
                filters.put(app, new AppFilter(list));
            }
        }
        this.jobQueue = new MemoryJobQueue();
        this.dispatcher = new WebhookDispatcher(targets, jobQueue, config.batchingEnabled,
            config.batchingDurationMs, config.batchingSize, config.removalDelayMs);
    }

    /**
     * Whether anything is reported to webhooks for an app.
     *
     * @param app the app.
     * @return true when the app has at least one webhook and the queue driver is not {@code none}.
     */
    public boolean enabledFor(final AppState app)
    {
        return filters.containsKey(app);
    }

    /** Starts the dispatcher and retry-timer threads (and the HTTP client). Does nothing when no app has webhooks. */
    public synchronized void start()
    {
        if (null != thread || filters.isEmpty())
        {
            return;
        }
        client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        retryTimer = Executors.newSingleThreadScheduledExecutor((r) ->
        {
            final Thread t = new Thread(r, "webhook-retry");
            t.setDaemon(true);
            return t;
        });
        final HttpClient http = client;
        final ScheduledExecutorService timer = retryTimer;
        delivery = new WebhookDelivery((job) -> send(http, job), (task, delayMs) ->
        {
            try
            {
                timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            }
            catch (final RejectedExecutionException ignore)
            {
                // shutting down
            }
        }, System::currentTimeMillis, WebhookDelivery.MAX_IN_FLIGHT, WebhookDelivery.LANE_CAPACITY);
        running = true;
        thread = new Thread(this::run, "webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the threads, waiting at most 2 s; requests in flight are abandoned. Never hangs. */
    @Override
    public synchronized void close()
    {
        final Thread t = thread;
        if (null == t)
        {
            return;
        }
        running = false;
        LockSupport.unpark(t);
        try
        {
            t.join(CLOSE_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final WebhookDelivery d = delivery;
        if (null != d)
        {
            d.close();
        }
        retryTimer.shutdownNow();
        jobQueue.close();
        thread = null;
    }

    /**
     * Requests answered with 2xx.
     *
     * @return the count.
     */
    public long delivered()
    {
        final WebhookDelivery d = delivery;
        return null == d ? 0 : d.delivered();
    }

    /**
     * Requests given up (non-retryable status, or retries exhausted).
     *
     * @return the count.
     */
    public long failed()
    {
        final WebhookDelivery d = delivery;
        return null == d ? 0 : d.failed();
    }

    /**
     * Events and requests dropped because a queue was full (the reactors' inbox, the job queue, a target's lane).
     *
     * @return the count.
     */
    public long dropped()
    {
        final WebhookDelivery d = delivery;
        return inboxDropped.get() + jobQueue.dropped() + (null == d ? 0 : d.dropped());
    }

    /**
     * Retries scheduled.
     *
     * @return the count.
     */
    public long retried()
    {
        final WebhookDelivery d = delivery;
        return null == d ? 0 : d.retried();
    }

    /** Reports waiting in the inbox (tests). */
    int pendingReports()
    {
        return inbox.size();
    }

    // ---------------------------------------------------------------- WebhookSink (reactor threads)

    @Override
    public void channelOccupied(final AppState app, final String channel)
    {
        report(app, WebhookEventType.CHANNEL_OCCUPIED, channel, null, null, null, null, 0);
    }

    @Override
    public void channelVacated(final AppState app, final String channel)
    {
        report(app, WebhookEventType.CHANNEL_VACATED, channel, null, null, null, null, 0);
    }

    @Override
    public void memberAdded(final AppState app, final String channel, final String userId)
    {
        report(app, WebhookEventType.MEMBER_ADDED, channel, userId, null, null, null, 0);
    }

    @Override
    public void memberRemoved(final AppState app, final String channel, final String userId)
    {
        report(app, WebhookEventType.MEMBER_REMOVED, channel, userId, null, null, null, 0);
    }

    @Override
    public void subscriptionCount(final AppState app, final String channel, final int count)
    {
        report(app, WebhookEventType.SUBSCRIPTION_COUNT, channel, null, null, null, null, count);
    }

    @Override
    public void clientEvent(final AppState app, final String channel, final String event, final String dataJson,
        final String socketId, final String userId)
    {
        report(app, WebhookEventType.CLIENT_EVENT, channel, userId, event, dataJson, socketId, 0);
    }

    @Override
    public void cacheMiss(final AppState app, final String channel)
    {
        report(app, WebhookEventType.CACHE_MISS, channel, null, null, null, null, 0);
    }

    private void report(final AppState app, final WebhookEventType type, final String channel, final String userId,
        final String event, final String dataJson, final String socketId, final int count)
    {
        try
        {
            final AppFilter filter = filters.get(app);
            if (null == filter || 0 == (filter.mask & type.mask()) || null == channel)
            {
                return;
            }
            final WebhookEvent e = new WebhookEvent(app, type, channel, userId, event, dataJson, socketId, count,
                System.currentTimeMillis());
            if (!inbox.offer(e))
            {
                inboxDropped.incrementAndGet();
            }
        }
        catch (final RuntimeException ex)
        {
            inboxDropped.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- dispatcher thread

    private void run()
    {
        while (running)
        {
            try
            {
                final int work = doWork();
                if (0 == work)
                {
                    final long now = System.currentTimeMillis();
                    final long untilDeadlineMs = dispatcher.nextDeadlineMs() - now;
                    final long parkNs = untilDeadlineMs <= 0 ? 0 :
                        Math.min(MAX_IDLE_NS, TimeUnit.MILLISECONDS.toNanos(Math.min(untilDeadlineMs, MAX_IDLE_MS)));
                    if (parkNs > 0)
                    {
                        LockSupport.parkNanos(parkNs);
                    }
                }
            }
            catch (final RuntimeException | Error ex)
            {
                errorLog.warn("webhook dispatcher error: " + ex);
            }
        }
        try
        {
            doWork();
            dispatcher.flushAll();
            submitJobs();
        }
        catch (final RuntimeException ex)
        {
            errorLog.warn("webhook dispatcher error while stopping: " + ex);
        }
    }

    private int doWork()
    {
        loopNowMs = System.currentTimeMillis();
        int work = inbox.drain(handler, DRAIN_LIMIT);
        dispatcher.onTimers(loopNowMs);
        work += submitJobs();
        final long drops = inboxDropped.get();
        if (drops != inboxDropsLogged)
        {
            inboxDropLog.warn("webhook inbox full (" + INBOX_CAPACITY + " events): " + (drops - inboxDropsLogged) +
                " events dropped");
            inboxDropsLogged = drops;
        }
        return work;
    }

    private void handle(final WebhookEvent e)
    {
        dispatcher.onEvent(e, loopNowMs);
    }

    private int submitJobs()
    {
        final WebhookDelivery d = delivery;
        int n = 0;
        DeliveryJob job;
        while (n < DRAIN_LIMIT && null != (job = jobQueue.poll()))
        {
            d.submit(job);
            n++;
        }
        return n;
    }

    private static CompletableFuture<Integer> send(final HttpClient client, final DeliveryJob job)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(job.url()))
            .timeout(Duration.ofMillis(job.timeoutMs()))
            .POST(HttpRequest.BodyPublishers.ofString(job.body(), StandardCharsets.UTF_8));
        for (final Map.Entry<String, String> header : job.headers().entrySet())
        {
            builder.setHeader(header.getKey(), header.getValue());
        }
        return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.discarding())
            .thenApply(HttpResponse::statusCode);
    }

    /** The event types an app's webhooks can want, with removal and return types paired. */
    private static final class AppFilter
    {
        final int mask;

        AppFilter(final List<WebhookTarget> targets)
        {
            int m = 0;
            for (final WebhookTarget target : targets)
            {
                m |= target.eventMask;
            }
            // a removal is only cancelled by its return, and a return only suppressed by a held removal
            if (0 != (m & (WebhookEventType.CHANNEL_OCCUPIED.mask() | WebhookEventType.CHANNEL_VACATED.mask())))
            {
                m |= WebhookEventType.CHANNEL_OCCUPIED.mask() | WebhookEventType.CHANNEL_VACATED.mask();
            }
            if (0 != (m & (WebhookEventType.MEMBER_ADDED.mask() | WebhookEventType.MEMBER_REMOVED.mask())))
            {
                m |= WebhookEventType.MEMBER_ADDED.mask() | WebhookEventType.MEMBER_REMOVED.mask();
            }
            this.mask = m;
        }
    }
}
