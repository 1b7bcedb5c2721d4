package io.sockudo.jvm.server.annotation;

import java.util.Arrays;

/**
 * The events of one (app, channel) as a compact index into the journal, never the events themselves.
 * <p>
 * Every serial seen on the channel, as an event or as the target of a delete, is interned to a slot. Per slot,
 * primitive arrays hold the journal index, the message, the type, flags, the target of a delete and the first delete
 * of a create (lowest serial). Per message, a {@link MessageIndex} lists its event slots in serial order and holds the
 * projections of its types. Raw events are read back from the journal when needed.
 */
final class ChannelIndex
{
    static final byte PRESENT = 1;
    static final byte DELETE = 2;
    static final int INITIAL_SLOTS = 16;

    final String app;
    final String channel;
    final Interner serials = new Interner(false);
    final Interner messageSerials = new Interner(false);
    /** Events indexed (present slots). */
    int events;
    /** Lowest journal index of an indexed event, {@link Long#MAX_VALUE} when none: a purge below it skips us. */
    long minLogIndex = Long.MAX_VALUE;
    MessageIndex[] messages = new MessageIndex[4];
    long[] logIndex = new long[INITIAL_SLOTS];
    int[] messageOf = new int[INITIAL_SLOTS];
    int[] typeOf = new int[INITIAL_SLOTS];
    byte[] flags = new byte[INITIAL_SLOTS];
    int[] target = new int[INITIAL_SLOTS];
    int[] firstDelete = new int[INITIAL_SLOTS];

    ChannelIndex(final String app, final String channel)
    {
        this.app = app;
        this.channel = channel;
        Arrays.fill(target, -1);
        Arrays.fill(firstDelete, -1);
    }

    /**
     * Makes sure the slot arrays cover every interned serial.
     */
    void ensureSlots()
    {
        final int needed = serials.size();
        final int old = flags.length;
        if (needed <= old)
        {
            return;
        }
        final int capacity = Math.max(needed, old * 2);
        logIndex = Arrays.copyOf(logIndex, capacity);
        messageOf = Arrays.copyOf(messageOf, capacity);
        typeOf = Arrays.copyOf(typeOf, capacity);
        flags = Arrays.copyOf(flags, capacity);
        target = Arrays.copyOf(target, capacity);
        firstDelete = Arrays.copyOf(firstDelete, capacity);
        Arrays.fill(target, old, capacity, -1);
        Arrays.fill(firstDelete, old, capacity, -1);
    }

    /**
     * Whether a slot holds an event (and is not just the target of a delete).
     *
     * @param slot a serial slot.
     * @return true if present.
     */
    boolean present(final int slot)
    {
        return (flags[slot] & PRESENT) != 0;
    }

    /**
     * Whether a present slot is a delete.
     *
     * @param slot a serial slot.
     * @return true for a delete.
     */
    boolean isDelete(final int slot)
    {
        return (flags[slot] & DELETE) != 0;
    }

    /**
     * The message index of a message id, created when absent.
     *
     * @param messageId interned message serial.
     * @return the index.
     */
    MessageIndex message(final int messageId)
    {
        if (messageId >= messages.length)
        {
            messages = Arrays.copyOf(messages, Math.max(messageId + 1, messages.length * 2));
        }
        MessageIndex m = messages[messageId];
        if (m == null)
        {
            m = new MessageIndex(this, messageId);
            messages[messageId] = m;
        }
        return m;
    }
}
