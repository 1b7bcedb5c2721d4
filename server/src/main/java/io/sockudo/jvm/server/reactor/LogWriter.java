package io.sockudo.jvm.server.reactor;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

import java.util.concurrent.locks.LockSupport;

/**
 * The log writer (DESIGN.md "Threads and data flow"): the one thread that appends to the event log. Every durable
 * write runs here as a task, in submission order: stamping serials, the append, the replay buffer, and the hand-off of
 * the frames to the reactors' inboxes; then the task hands the HTTP response back to the reactor that received the
 * request. Reactors never wait for it.
 */
final class LogWriter implements Runnable, AutoCloseable
{
    /** Frame buffers owned by this thread. */
    final FrameWriter frame = new FrameWriter(64 * 1024);
    final FrameWriter frameV2 = new FrameWriter(64 * 1024);
    /** An empty V1 frame: V1 sockets get nothing (mutations, annotation frames; spec protocol-v2 1.9). */
    final FrameWriter frameNone = new FrameWriter(16);

    private final ManyToOneConcurrentLinkedQueue<Runnable> tasks = new ManyToOneConcurrentLinkedQueue<>();
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private volatile boolean running = true;

    LogWriter(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        this.thread = new Thread(this, "log-writer");
        thread.setDaemon(true);
    }

    Thread thread()
    {
        return thread;
    }

    void start()
    {
        thread.start();
    }

    /**
     * Queues a task (any thread).
     *
     * @param task the task
     */
    void submit(final Runnable task)
    {
        tasks.offer(task);
        LockSupport.unpark(thread);
    }

    /**
     * Whether the caller is the writer thread.
     *
     * @return true on the writer
     */
    boolean onWriterThread()
    {
        return Thread.currentThread() == thread;
    }

    @Override
    public void run()
    {
        while (true)
        {
            final Runnable task = tasks.poll();
            if (task == null)
            {
                if (!running)
                {
                    return;
                }
                LockSupport.park(this);
                continue;
            }
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    /** Runs what is queued, then stops (after the reactors, at shutdown). */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
