package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MemoryJobQueueTest
{
    private static DeliveryJob job(final String body)
    {
        return new DeliveryJob("app", "http://127.0.0.1/hook", body, Map.of(), 1000, RetryPolicy.NEVER);
    }

    @Test
    void fifoUntilFullThenDropsTheOldest()
    {
        final MemoryJobQueue queue = new MemoryJobQueue(3);
        for (int i = 1; i <= 5; i++)
        {
            assertTrue(queue.offer(job("j" + i)));
        }
        assertEquals(3, queue.size());
        assertEquals(2, queue.dropped());
        assertEquals("j3", queue.poll().body());
        assertEquals("j4", queue.poll().body());
        assertEquals("j5", queue.poll().body());
        assertNull(queue.poll());
        assertEquals(0, queue.size());
    }

    @Test
    void defaultBoundIsOneHundredThousand()
    {
        final MemoryJobQueue queue = new MemoryJobQueue();
        for (int i = 0; i < MemoryJobQueue.DEFAULT_CAPACITY; i++)
        {
            queue.offer(job("x"));
        }
        assertEquals(0, queue.dropped());
        queue.offer(job("last"));
        assertEquals(1, queue.dropped());
        assertEquals(MemoryJobQueue.DEFAULT_CAPACITY, queue.size());
    }
}
