package io.sockudo.jvm.server.annotation;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Forgets the events whose journal records retention deleted, so that the index stays proportional to the log.
 * <p>
 * Retention removes a prefix of the log, and journal indexes grow with every append, so the events gone are exactly
 * those below the first retained index. For each channel holding such events: their slots leave the message lists,
 * the projections that had applied them are evicted (rebuilt on demand from the events that remain, as 4.4.0's
 * {@code purge_before} rebuilds the affected keys), projections and messages left without events are dropped, and the
 * first delete of every annotation is recomputed from the surviving deletes. A channel left empty is dropped; one
 * where at least a quarter of the interned serials became unreferenced is compacted: serials and message serials are
 * re-interned densely, the slot arrays shrink, and resident projections keep their state through a remap of their
 * watermark and unique.v1 tokens. Afterwards, the names and client ids no resident projection refers to are
 * reclaimed ({@link ProjectionEngine#compactStrings}).
 * <p>
 * Consequence (spec 3.4: shortening retention can lose the data needed to rebuild summaries): a summary then counts
 * only the surviving events. A surviving delete whose create is gone still applies (total.v1 decrements, never below
 * 0; set-like summarizers ignore an absent contributor), exactly as a rebuild of the surviving log would. Summaries
 * are not broadcast again after a purge. Not reclaimed: interned types (bounded by the distinct types in use). Known
 * limit: when the log holds the same serial twice (a replayed event), the index keeps the first; if only that one is
 * purged, the later copy is not re-indexed until a restart. Owned by the {@link ProjectionEngine}'s thread; allocates
 * (cold path).
 */
final class IndexPurger
{
    /** Below this many interned names and client ids, unreferenced ones are not worth reclaiming. */
    static final int MIN_STRINGS_TO_COMPACT = 1_024;

    private final ProjectionEngine engine;
    long purgedEvents;
    long compactedChannels;

    IndexPurger(final ProjectionEngine engine)
    {
        this.engine = engine;
    }

    /**
     * Forgets every event whose journal index is below {@code firstRetainedLogIndex}.
     *
     * @param firstRetainedLogIndex journal index of the oldest record retention kept.
     * @param minStrings            reclaim unreferenced names and client ids from this many interned ones.
     * @return the number of events forgotten.
     */
    int purgeBefore(final long firstRetainedLogIndex, final int minStrings)
    {
        int purged = 0;
        final Iterator<Map<String, ChannelIndex>> apps = engine.apps.values().iterator();
        while (apps.hasNext())
        {
            final Map<String, ChannelIndex> channels = apps.next();
            final Iterator<ChannelIndex> it = channels.values().iterator();
            while (it.hasNext())
            {
                final ChannelIndex channel = it.next();
                if (channel.minLogIndex >= firstRetainedLogIndex)
                {
                    continue;
                }
                purged += purge(channel, firstRetainedLogIndex);
                if (channel.events == 0)
                {
                    it.remove();
                }
            }
            if (channels.isEmpty())
            {
                apps.remove();
            }
        }
        purgedEvents += purged;
        engine.compactStrings(minStrings);
        return purged;
    }

    private int purge(final ChannelIndex c, final long firstRetained)
    {
        final int slots = c.serials.size();
        final boolean[] dead = new boolean[slots];
        int purged = 0;
        long newMin = Long.MAX_VALUE;
        for (int s = 0; s < slots; s++)
        {
            if (c.present(s))
            {
                if (c.logIndex[s] < firstRetained)
                {
                    dead[s] = true;
                    purged++;
                }
                else
                {
                    newMin = Math.min(newMin, c.logIndex[s]);
                }
            }
        }
        c.minLogIndex = newMin;
        if (purged == 0)
        {
            return 0;
        }
        c.events -= purged;
        final int messageCount = Math.min(c.messages.length, c.messageSerials.size());
        for (int id = 0; id < messageCount; id++)
        {
            final MessageIndex m = c.messages[id];
            if (m != null && dropSlots(m, dead) && m.size == 0)
            {
                c.messages[id] = null;
            }
        }
        for (int s = 0; s < slots; s++)
        {
            if (dead[s])
            {
                c.flags[s] = 0;
                c.target[s] = -1;
                c.logIndex[s] = 0;
            }
        }
        recomputeFirstDeletes(c, slots);
        final boolean[] live = new boolean[slots];
        int liveSlots = 0;
        for (int s = 0; s < slots; s++)
        {
            if (c.present(s))
            {
                liveSlots += live[s] ? 0 : 1;
                live[s] = true;
                final int t = c.target[s];
                if (t >= 0 && !live[t])
                {
                    live[t] = true;
                    liveSlots++;
                }
            }
        }
        if (c.events > 0 && (slots - liveSlots) * 4 >= slots)
        {
            compact(c, live);
            compactedChannels++;
        }
        return purged;
    }

    /**
     * Removes the dead slots of a message, evicting the projections that had them and dropping those left empty.
     *
     * @return true if any slot was removed.
     */
    private boolean dropSlots(final MessageIndex m, final boolean[] dead)
    {
        final ChannelIndex c = m.channel;
        int kept = 0;
        for (int i = 0; i < m.size; i++)
        {
            final int slot = m.slots[i];
            if (dead[slot])
            {
                final Projection p = m.projection(c.typeOf[slot]);
                if (p != null)
                {
                    engine.evict(p);
                }
            }
            else
            {
                m.slots[kept++] = slot;
            }
        }
        if (kept == m.size)
        {
            return false;
        }
        m.size = kept;
        if (m.slots.length > 8 && kept * 4 < m.slots.length)
        {
            m.slots = Arrays.copyOf(m.slots, Math.max(8, kept * 2));
        }
        int types = 0;
        for (int t = 0; t < m.typeCount; t++)
        {
            final Projection p = m.projections[t];
            if (hasType(m, p.typeId))
            {
                m.typeIds[types] = p.typeId;
                m.projections[types] = p;
                types++;
            }
            else
            {
                engine.evict(p);
            }
        }
        Arrays.fill(m.projections, types, m.typeCount, null);
        m.typeCount = types;
        return true;
    }

    private static boolean hasType(final MessageIndex m, final int typeId)
    {
        final int[] typeOf = m.channel.typeOf;
        for (int i = 0; i < m.size; i++)
        {
            if (typeOf[m.slots[i]] == typeId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The first delete of an annotation is the surviving delete with the lowest serial. Where it changed (the former
     * first was purged), the projection of the new first delete now applies it: evict it so that it is rebuilt.
     */
    private void recomputeFirstDeletes(final ChannelIndex c, final int slots)
    {
        final int[] first = new int[c.firstDelete.length];
        Arrays.fill(first, -1);
        for (int s = 0; s < slots; s++)
        {
            final int t = c.target[s];
            if (c.present(s) && t >= 0 && (first[t] < 0 || c.serials.compare(s, first[t]) < 0))
            {
                first[t] = s;
            }
        }
        for (int t = 0; t < slots; t++)
        {
            final int d = first[t];
            if (d >= 0 && d != c.firstDelete[t])
            {
                final MessageIndex m = c.messages[c.messageOf[d]];
                final Projection p = m == null ? null : m.projection(c.typeOf[d]);
                if (p != null)
                {
                    engine.evict(p);
                }
            }
        }
        c.firstDelete = first;
    }

    /**
     * Re-interns the live serials and the messages that still have events densely, and rebuilds the slot arrays.
     */
    private void compact(final ChannelIndex c, final boolean[] live)
    {
        final int slots = live.length;
        final int[] remap = new int[slots];
        final int newSlots = c.serials.compact(live, remap);
        final int messageCount = c.messageSerials.size();
        final boolean[] liveMessages = new boolean[messageCount];
        for (int id = 0; id < messageCount && id < c.messages.length; id++)
        {
            liveMessages[id] = c.messages[id] != null;
        }
        final int[] messageRemap = new int[messageCount];
        final int newMessages = c.messageSerials.compact(liveMessages, messageRemap);

        final int capacity = Math.max(ChannelIndex.INITIAL_SLOTS, newSlots);
        final long[] logIndex = new long[capacity];
        final int[] messageOf = new int[capacity];
        final int[] typeOf = new int[capacity];
        final byte[] flags = new byte[capacity];
        final int[] target = new int[capacity];
        final int[] firstDelete = new int[capacity];
        Arrays.fill(target, -1);
        Arrays.fill(firstDelete, -1);
        for (int s = 0; s < slots; s++)
        {
            final int n = remap[s];
            if (n < 0)
            {
                continue;
            }
            flags[n] = c.flags[s];
            if (c.present(s))
            {
                logIndex[n] = c.logIndex[s];
                messageOf[n] = messageRemap[c.messageOf[s]];
                typeOf[n] = c.typeOf[s];
                target[n] = c.target[s] < 0 ? -1 : remap[c.target[s]];
            }
            firstDelete[n] = c.firstDelete[s] < 0 ? -1 : remap[c.firstDelete[s]];
        }
        c.logIndex = logIndex;
        c.messageOf = messageOf;
        c.typeOf = typeOf;
        c.flags = flags;
        c.target = target;
        c.firstDelete = firstDelete;

        final MessageIndex[] messages = new MessageIndex[Math.max(4, newMessages)];
        for (int id = 0; id < messageCount && id < c.messages.length; id++)
        {
            final MessageIndex m = c.messages[id];
            if (m == null)
            {
                continue;
            }
            m.messageId = messageRemap[id];
            messages[m.messageId] = m;
            for (int i = 0; i < m.size; i++)
            {
                m.slots[i] = remap[m.slots[i]];
            }
            for (int t = 0; t < m.typeCount; t++)
            {
                remapProjection(m.projections[t], remap);
            }
        }
        c.messages = messages;
    }

    /** A resident projection keeps its state: its watermark and unique.v1 tokens are slots, renamed here. */
    private void remapProjection(final Projection p, final int[] remap)
    {
        if (!p.resident())
        {
            return;
        }
        final int watermark = p.watermark < 0 ? -1 : remap[p.watermark];
        if (p.watermark >= 0 && watermark < 0)
        {
            engine.evict(p);
            return;
        }
        p.watermark = watermark;
        p.state.remapTokens(remap);
    }
}
