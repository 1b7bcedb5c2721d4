package io.sockudo.jvm.server.webhook;

/**
 * The transport of webhook delivery jobs between the dispatcher that makes them and the sender that delivers them
 * ({@code [queue] driver}). {@link MemoryJobQueue} is the in-process driver; a broker driver (Iggy) implements the
 * same interface. Implementations are safe for one producer and one consumer thread and never block.
 */
public interface JobQueue extends AutoCloseable
{
    /**
     * Adds a job. Never blocks: a full queue drops a job (which one is up to the driver) and counts it.
     *
     * @param job the job.
     * @return true when the job was accepted (an older one may have been dropped for it).
     */
    boolean offer(DeliveryJob job);

    /**
     * Takes the oldest job.
     *
     * @return the job, or null when the queue is empty.
     */
    DeliveryJob poll();

    /**
     * Jobs waiting.
     *
     * @return the count.
     */
    int size();

    /**
     * Jobs dropped because the queue was full, since start.
     *
     * @return the count.
     */
    long dropped();

    /** Releases the driver's resources; the default does nothing. */
    @Override
    default void close()
    {
    }
}
