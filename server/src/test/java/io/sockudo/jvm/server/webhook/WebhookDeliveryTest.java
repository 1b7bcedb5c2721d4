package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class WebhookDeliveryTest
{
    /** Requests sent, each with the future the test completes. */
    private final List<DeliveryJob> sent = new ArrayList<>();
    private final List<CompletableFuture<Integer>> futures = new ArrayList<>();
    private final ArrayDeque<Runnable> timerTasks = new ArrayDeque<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private long now = 1000;

    private final WebhookDelivery delivery = new WebhookDelivery(
        (job) ->
        {
            final CompletableFuture<Integer> future = new CompletableFuture<>();
            sent.add(job);
            futures.add(future);
            return future;
        },
        (task, delayMs) ->
        {
            timerTasks.add(task);
            timerDelays.add(delayMs);
        },
        () -> now, 4, 3);

    private static DeliveryJob job(final String url, final RetryPolicy retry)
    {
        return new DeliveryJob("app", url, "{}", Map.of(), 1000, retry);
    }

    private void runTimers()
    {
        Runnable task;
        while (null != (task = timerTasks.poll()))
        {
            task.run();
        }
    }

    @Test
    void atMostFourInFlightPerUrlAndOtherUrlsAreNotDelayed()
    {
        for (int i = 0; i < 6; i++)
        {
            delivery.submit(job("http://slow/", RetryPolicy.NEVER));
        }
        delivery.submit(job("http://fast/", RetryPolicy.NEVER));
        assertEquals(5, sent.size());
        assertEquals("http://fast/", sent.get(4).url());
        assertEquals(4, delivery.inFlight("http://slow/"));
        assertEquals(2, delivery.waiting("http://slow/"));

        futures.get(4).complete(200);
        assertEquals(1, delivery.delivered());
        assertEquals(0, delivery.inFlight("http://fast/"));

        futures.get(0).complete(204);
        assertEquals(6, sent.size());
        assertEquals(4, delivery.inFlight("http://slow/"));
        assertEquals(1, delivery.waiting("http://slow/"));
    }

    @Test
    void aFullLaneDropsItsOldestWaitingJob()
    {
        final List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final DeliveryJob job = job("http://slow/", RetryPolicy.NEVER);
            jobs.add(job);
            delivery.submit(job);
        }
        assertEquals(1, delivery.dropped());
        assertEquals(3, delivery.waiting("http://slow/"));
        for (int i = 0; i < 4; i++)
        {
            futures.get(i).complete(200);
        }
        assertEquals(List.of(jobs.get(5), jobs.get(6), jobs.get(7)), sent.subList(4, 7));
    }

    @Test
    void retryableFailuresAreRetriedWithBackoffUntilSuccess()
    {
        delivery.submit(job("http://h/", new RetryPolicy(true, 0, 300_000, 10, 15)));
        futures.get(0).complete(500);
        assertEquals(List.of(10L), timerDelays);
        now += 10;
        runTimers();
        assertEquals(2, sent.size());
        futures.get(1).completeExceptionally(new HttpTimeoutException("timed out"));
        assertEquals(List.of(10L, 15L), timerDelays);
        now += 15;
        runTimers();
        futures.get(2).complete(429);
        now += 15;
        runTimers();
        futures.get(3).complete(200);
        assertEquals(4, sent.size());
        assertEquals(4, sent.get(3).attempts());
        assertEquals(1, delivery.delivered());
        assertEquals(3, delivery.retried());
        assertEquals(0, delivery.failed());
        assertEquals(0, delivery.inFlight("http://h/"));
    }

    @Test
    void nonRetryableOutcomesGiveUpAtOnce()
    {
        final RetryPolicy retry = new RetryPolicy(true, 0, 300_000, 10, 15);
        delivery.submit(job("http://a/", retry));
        delivery.submit(job("http://b/", retry));
        delivery.submit(job("http://c/", retry));
        futures.get(0).complete(404);
        futures.get(1).complete(302);
        futures.get(2).completeExceptionally(new IllegalStateException("bug"));
        assertEquals(3, delivery.failed());
        assertEquals(0, delivery.retried());
        assertEquals(List.of(), timerDelays);
    }

    @Test
    void retriesStopAtMaxAttemptsAndMaxElapsed()
    {
        delivery.submit(job("http://a/", new RetryPolicy(true, 2, 300_000, 10, 15)));
        futures.get(0).completeExceptionally(new IOException("refused"));
        runTimers();
        futures.get(1).completeExceptionally(new IOException("refused"));
        assertEquals(2, sent.size());
        assertEquals(1, delivery.failed());

        delivery.submit(job("http://b/", new RetryPolicy(true, 0, 100, 60, 60)));
        futures.get(2).complete(503);
        now += 60;
        runTimers();
        futures.get(3).complete(503); // a third attempt would start 120 ms after the first
        assertEquals(4, sent.size());
        assertEquals(2, delivery.failed());
        assertEquals(0, delivery.inFlight("http://b/"));
    }
}
