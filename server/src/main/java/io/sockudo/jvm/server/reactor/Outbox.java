package io.sockudo.jvm.server.reactor;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * The sending side of one reactor's hand-offs to the other reactors. A record goes straight into the target's
 * inbox ring; when the ring is full it waits here, per target and in order, and is retried every cycle
 * ({@link #drain()}), so a full ring never blocks a reactor. Waiting records are bounded in bytes; past the bound
 * they are dropped and counted. Owned by one reactor thread.
 */
final class Outbox
{
    private static final long MAX_OVERFLOW_BYTES = 64L * 1024 * 1024;

    /** Scratch for building a record before {@link #send}. */
    final ExpandableArrayBuffer recordBuffer = new ExpandableArrayBuffer(4096);
    private final Hub reactors;
    private final ArrayDeque<byte[]>[] overflow;
    private final UnsafeBuffer overflowView = new UnsafeBuffer(new byte[0]);
    private long overflowBytes;
    long droppedRecords;

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of per-target queues
    Outbox(final Hub reactors, final int reactorCount)
    {
        this.reactors = reactors;
        this.overflow = new ArrayDeque[reactorCount];
        for (int i = 0; i < reactorCount; i++)
        {
            overflow[i] = new ArrayDeque<>();
        }
    }

    boolean isEmpty()
    {
        return overflowBytes == 0;
    }

    /**
     * Hands a record to another reactor, keeping order with records that overflowed earlier.
     *
     * @param target target reactor
     * @param msgType record type
     * @param src record bytes
     * @param offset offset
     * @param length length
     */
    void send(final Reactor target, final int msgType, final DirectBuffer src, final int offset, final int length)
    {
        final ArrayDeque<byte[]> queue = overflow[target.index];
        if (queue.isEmpty() && target.offer(msgType, src, offset, length))
        {
            return;
        }
        if (overflowBytes + length > MAX_OVERFLOW_BYTES)
        {
            droppedRecords++;
            return;
        }
        final byte[] copy = new byte[length + 4];
        copy[0] = (byte)msgType;
        src.getBytes(offset, copy, 4, length);
        queue.addLast(copy);
        overflowBytes += length;
    }

    boolean hasOverflow(final int target)
    {
        return !overflow[target].isEmpty();
    }

    int drain()
    {
        if (overflowBytes == 0)
        {
            return 0;
        }
        int work = 0;
        final UnsafeBuffer view = overflowView;
        for (int t = 0; t < overflow.length; t++)
        {
            final ArrayDeque<byte[]> queue = overflow[t];
            byte[] record;
            while ((record = queue.peekFirst()) != null)
            {
                view.wrap(record);
                if (!reactors.reactor(t).offer(record[0], view, 4, record.length - 4))
                {
                    break;
                }
                queue.pollFirst();
                overflowBytes -= record.length - 4;
                work++;
            }
        }
        return work;
    }
}
