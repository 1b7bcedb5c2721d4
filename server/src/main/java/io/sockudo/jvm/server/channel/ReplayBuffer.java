package io.sockudo.jvm.server.channel;

import java.util.List;

/**
 * The connection-recovery replay buffer of one channel (spec protocol-v2 2.2): the last {@code max_buffer_size}
 * V2 frames published on this node with their delivery serial (1, 2, 3...), each kept at most
 * {@code buffer_ttl_seconds}. Publishers hold the buffer's monitor from taking a serial until the broadcast is
 * handed to the reactors, so serials reach every subscriber in order.
 */
public final class ReplayBuffer
{
    private final long[] serials;
    private final long[] insertedAtMs;
    private final byte[][] frames;
    private final long ttlMs;
    private int head;
    private int size;
    private long nextSerial = 1;
    private volatile String streamId;

    /**
     * @param maxSize entries kept
     * @param ttlMs maximum age of an entry
     */
    public ReplayBuffer(final int maxSize, final long ttlMs)
    {
        this.serials = new long[maxSize];
        this.insertedAtMs = new long[maxSize];
        this.frames = new byte[maxSize][];
        this.ttlMs = ttlMs;
    }

    /**
     * Takes the next delivery serial. Caller holds the monitor.
     *
     * @return the serial
     */
    public long takeSerial()
    {
        return nextSerial++;
    }

    /**
     * The serial the next publish will get.
     *
     * @return next serial
     */
    public synchronized long nextSerial()
    {
        return nextSerial;
    }

    /**
     * Stores a published V2 frame (the JSON text). Caller holds the monitor.
     *
     * @param serial its delivery serial
     * @param frameJson the V2 JSON bytes
     * @param nowMs insertion time
     * @param streamId the message's stream id, null in recovery-only mode
     */
    public void add(final long serial, final byte[] frameJson, final long nowMs, final String streamId)
    {
        this.streamId = streamId;
        nextSerial = Math.max(nextSerial, serial + 1);
        final int capacity = serials.length;
        final int slot = (head + size) % capacity;
        serials[slot] = serial;
        insertedAtMs[slot] = nowMs;
        frames[slot] = frameJson;
        if (size == capacity)
        {
            head = (head + 1) % capacity;
        }
        else
        {
            size++;
        }
    }

    /**
     * Drops entries older than the TTL.
     *
     * @param nowMs current time
     */
    public synchronized void prune(final long nowMs)
    {
        while (size > 0 && nowMs - insertedAtMs[head] > ttlMs)
        {
            frames[head] = null;
            head = (head + 1) % serials.length;
            size--;
        }
    }

    /**
     * Whether nothing is buffered.
     *
     * @return true when empty
     */
    public synchronized boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * Serial of the oldest entry, 0 when empty.
     *
     * @return serial
     */
    public synchronized long oldest()
    {
        return size == 0 ? 0 : serials[head];
    }

    /**
     * Serial of the newest entry, 0 when empty.
     *
     * @return serial
     */
    public synchronized long newest()
    {
        return size == 0 ? 0 : serials[(head + size - 1) % serials.length];
    }

    /**
     * Copies the frames with a serial above {@code serial}, oldest first.
     *
     * @param serial last serial the client saw
     * @param out receives the frames
     */
    public synchronized void after(final long serial, final List<byte[]> out)
    {
        for (int i = 0; i < size; i++)
        {
            final int slot = (head + i) % serials.length;
            if (serials[slot] > serial)
            {
                out.add(frames[slot]);
            }
        }
    }

    /**
     * The stream id of the last stored message (null in recovery-only mode).
     *
     * @return the stream id or null
     */
    public String streamId()
    {
        return streamId;
    }
}
