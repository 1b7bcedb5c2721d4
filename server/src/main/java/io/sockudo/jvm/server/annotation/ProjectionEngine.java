package io.sockudo.jvm.server.annotation;

import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Indexes annotation events and keeps their projections: applies events incrementally to resident projections,
 * rebuilds cold or stale ones from the journal in serial order, and bounds the resident ones with an LRU list. The
 * {@link IndexPurger} shrinks the index when retention deletes records.
 * <p>
 * Rules (spec 2 and 3, with the decisions of spec/README.md): events are deduplicated by serial (first wins); events
 * of a key are applied in serial order; only the first delete (lowest serial) of an annotation changes the summary;
 * an event arriving below a projection's watermark makes it stale. Not thread safe: {@link Annotations} serialises.
 */
final class ProjectionEngine
{
    private final AnnotationJournal journal;
    private final int maxResident;
    final Interner strings = new Interner(true);
    final Interner types = new Interner(true);
    private Summarizer[] kinds = new Summarizer[8];
    final Map<String, Map<String, ChannelIndex>> apps = new HashMap<>();
    private final AnnotationRecord record = new AnnotationRecord();
    private final AnnotationRecord lookup = new AnnotationRecord();
    private Projection lruHead;
    private Projection lruTail;
    private int resident;
    long rebuilds;
    long rebuiltEvents;

    ProjectionEngine(final AnnotationJournal journal, final int maxResident)
    {
        if (maxResident < 1)
        {
            throw new IllegalArgumentException("maxResident must be at least 1");
        }
        this.journal = journal;
        this.maxResident = maxResident;
    }

    /**
     * The index of a channel.
     *
     * @param app     app id.
     * @param channel channel name.
     * @param create  whether to create it when absent.
     * @return the index, or null when absent and not created.
     */
    ChannelIndex channel(final String app, final String channel, final boolean create)
    {
        Map<String, ChannelIndex> channels = apps.get(app);
        if (channels == null)
        {
            if (!create)
            {
                return null;
            }
            channels = new HashMap<>();
            apps.put(app, channels);
        }
        ChannelIndex index = channels.get(channel);
        if (index == null && create)
        {
            index = new ChannelIndex(app, channel);
            channels.put(channel, index);
        }
        return index;
    }

    /**
     * The summarizer of an interned type.
     *
     * @param typeId interned type.
     * @return its summarizer.
     */
    Summarizer kind(final int typeId)
    {
        return kinds[typeId];
    }

    /**
     * Interns a type that parsed as valid.
     *
     * @param type the type.
     * @param kind its summarizer.
     * @return the type id.
     */
    int internType(final String type, final Summarizer kind)
    {
        final int id = types.intern(type);
        remember(id, kind);
        return id;
    }

    private void remember(final int id, final Summarizer kind)
    {
        if (id >= kinds.length)
        {
            kinds = java.util.Arrays.copyOf(kinds, Math.max(id + 1, kinds.length * 2));
        }
        kinds[id] = kind;
    }

    /**
     * Indexes an event and applies it to its projection if resident and current.
     *
     * @param channel  the channel index.
     * @param payload  the event record.
     * @param logIndex its journal index.
     * @return the slot of the event, or -1 if it was a duplicate serial or malformed.
     */
    int ingest(final ChannelIndex channel, final byte[] payload, final long logIndex)
    {
        final AnnotationRecord r = record;
        if (!r.wrap(payload))
        {
            return -1;
        }
        final UnsafeBuffer b = r.buffer();
        int typeId = types.find(b, r.offset(AnnotationRecord.FIELD_TYPE), r.length(AnnotationRecord.FIELD_TYPE));
        if (typeId < 0)
        {
            final Object parsed = AnnotationType.parse(r.string(AnnotationRecord.FIELD_TYPE));
            if (!(parsed instanceof Summarizer))
            {
                return -1;
            }
            typeId = types.intern(b, r.offset(AnnotationRecord.FIELD_TYPE), r.length(AnnotationRecord.FIELD_TYPE));
            remember(typeId, (Summarizer)parsed);
        }
        final int slot = channel.serials.intern(
            b, r.offset(AnnotationRecord.FIELD_SERIAL), r.length(AnnotationRecord.FIELD_SERIAL));
        channel.ensureSlots();
        if (channel.present(slot))
        {
            return -1;
        }
        final int messageId = channel.messageSerials.intern(
            b, r.offset(AnnotationRecord.FIELD_MESSAGE_SERIAL), r.length(AnnotationRecord.FIELD_MESSAGE_SERIAL));
        channel.logIndex[slot] = logIndex;
        channel.events++;
        channel.minLogIndex = Math.min(channel.minLogIndex, logIndex);
        channel.messageOf[slot] = messageId;
        channel.typeOf[slot] = typeId;
        channel.flags[slot] = (byte)(ChannelIndex.PRESENT | (r.isDelete() ? ChannelIndex.DELETE : 0));
        if (r.isDelete() && r.length(AnnotationRecord.FIELD_TARGET) > 0)
        {
            final int target = channel.serials.intern(
                b, r.offset(AnnotationRecord.FIELD_TARGET), r.length(AnnotationRecord.FIELD_TARGET));
            channel.ensureSlots();
            channel.target[slot] = target;
            final int first = channel.firstDelete[target];
            if (first < 0 || channel.serials.compare(slot, first) < 0)
            {
                channel.firstDelete[target] = slot;
            }
        }
        final MessageIndex message = channel.message(messageId);
        message.insert(slot);
        Projection p = message.projection(typeId);
        if (p == null)
        {
            p = new Projection(message, typeId, kinds[typeId]);
            message.add(p);
        }
        if (p.resident() && !p.stale)
        {
            if (p.watermark < 0 || channel.serials.compare(slot, p.watermark) > 0)
            {
                apply(p, slot, r);
                p.watermark = slot;
            }
            else
            {
                p.stale = true;
            }
        }
        return slot;
    }

    /**
     * Makes a projection resident and current, rebuilding it from the journal when cold or stale.
     *
     * @param p the projection.
     * @return true if it was rebuilt.
     */
    boolean ensureCurrent(final Projection p)
    {
        if (p.resident() && !p.stale)
        {
            touch(p);
            return false;
        }
        rebuild(p);
        return true;
    }

    /**
     * Rebuilds a projection from the journal: its events in serial order, each applied once.
     *
     * @param p the projection.
     * @return the number of events applied.
     */
    int rebuild(final Projection p)
    {
        if (p.state == null)
        {
            p.state = new SummaryState(p.kind, strings);
            resident++;
        }
        else
        {
            p.state.clear();
        }
        touch(p);
        evictOverflow(p);
        p.watermark = -1;
        p.stale = false;
        final MessageIndex message = p.message;
        final ChannelIndex channel = message.channel;
        int applied = 0;
        for (int i = 0; i < message.size; i++)
        {
            final int slot = message.slots[i];
            if (channel.typeOf[slot] != p.typeId)
            {
                continue;
            }
            final byte[] payload = journal.read(channel.logIndex[slot]);
            if (!record.wrap(payload))
            {
                continue;
            }
            apply(p, slot, record);
            p.watermark = slot;
            applied++;
        }
        rebuilds++;
        rebuiltEvents += applied;
        return applied;
    }

    private void apply(final Projection p, final int slot, final AnnotationRecord r)
    {
        final ChannelIndex channel = p.message.channel;
        final Summarizer kind = p.kind;
        final UnsafeBuffer b = r.buffer();
        int nameId = SummaryState.NONE;
        int clientId = SummaryState.NONE;
        if (kind.needsName() && r.has(AnnotationRecord.HAS_NAME))
        {
            nameId = strings.intern(b, r.offset(AnnotationRecord.FIELD_NAME), r.length(AnnotationRecord.FIELD_NAME));
        }
        if (kind != Summarizer.TOTAL && r.has(AnnotationRecord.HAS_CLIENT))
        {
            clientId = strings.intern(
                b, r.offset(AnnotationRecord.FIELD_CLIENT), r.length(AnnotationRecord.FIELD_CLIENT));
        }
        if (r.isDelete())
        {
            final int target = channel.target[slot];
            // Only the first delete of an annotation counts (decision: repeated/concurrent deletes are idempotent).
            if (target < 0 || channel.firstDelete[target] == slot)
            {
                p.state.applyDelete(nameId, clientId, target);
            }
        }
        else
        {
            p.state.applyCreate(nameId, clientId, r.has(AnnotationRecord.HAS_COUNT) ? r.count() : 1, slot);
        }
    }

    /**
     * Reads the record of a present slot into the lookup flyweight.
     *
     * @param channel the channel index.
     * @param slot    a present slot.
     * @return the flyweight, or null when the journal no longer has the record.
     */
    AnnotationRecord read(final ChannelIndex channel, final int slot)
    {
        final byte[] payload = journal.read(channel.logIndex[slot]);
        return lookup.wrap(payload) ? lookup : null;
    }

    /**
     * Drops the state of every resident projection.
     */
    void evictAll()
    {
        while (lruTail != null)
        {
            evict(lruTail);
        }
        compactStrings(0);
    }

    /**
     * Channels indexed, over all apps.
     *
     * @return the count.
     */
    int channelCount()
    {
        int n = 0;
        for (final Map<String, ChannelIndex> channels : apps.values())
        {
            n += channels.size();
        }
        return n;
    }

    /**
     * Events indexed, over all channels.
     *
     * @return the count.
     */
    long indexedEvents()
    {
        long n = 0;
        for (final Map<String, ChannelIndex> channels : apps.values())
        {
            for (final ChannelIndex c : channels.values())
            {
                n += c.events;
            }
        }
        return n;
    }

    /**
     * Serials interned (events and targets of deletes, including those a purge left unreferenced until the next
     * compaction), over all channels.
     *
     * @return the count.
     */
    long internedSerials()
    {
        long n = 0;
        for (final Map<String, ChannelIndex> channels : apps.values())
        {
            for (final ChannelIndex c : channels.values())
            {
                n += c.serials.size();
            }
        }
        return n;
    }

    /**
     * The most recently used resident projection; the others follow through {@link Projection#lruNext}.
     *
     * @return the head of the LRU list, or null.
     */
    Projection residentHead()
    {
        return lruHead;
    }

    /**
     * Reclaims the interned names and client ids that no resident projection refers to (evicted or purged ones left
     * them behind), when there are at least {@code minIds} and at most half are referenced. Remaps the resident
     * states. Cold path: allocates.
     *
     * @param minIds below this many interned strings, do nothing.
     * @return the number of ids dropped.
     */
    int compactStrings(final int minIds)
    {
        final int size = strings.size();
        if (size == 0 || size < minIds)
        {
            return 0;
        }
        final boolean[] live = new boolean[size];
        for (Projection p = lruHead; p != null; p = p.lruNext)
        {
            p.state.markIds(live);
        }
        int referenced = 0;
        for (int i = 0; i < size; i++)
        {
            referenced += live[i] ? 1 : 0;
        }
        if (referenced * 2 > size)
        {
            return 0;
        }
        final int[] remap = new int[size];
        strings.compact(live, remap);
        for (Projection p = lruHead; p != null; p = p.lruNext)
        {
            p.state.remapIds(remap);
        }
        return size - referenced;
    }

    /**
     * Number of resident projections.
     *
     * @return the count.
     */
    int residentCount()
    {
        return resident;
    }

    private void touch(final Projection p)
    {
        if (lruHead == p)
        {
            return;
        }
        unlink(p);
        p.lruNext = lruHead;
        if (lruHead != null)
        {
            lruHead.lruPrev = p;
        }
        lruHead = p;
        if (lruTail == null)
        {
            lruTail = p;
        }
    }

    private void unlink(final Projection p)
    {
        if (p.lruPrev != null)
        {
            p.lruPrev.lruNext = p.lruNext;
        }
        else if (lruHead == p)
        {
            lruHead = p.lruNext;
        }
        if (p.lruNext != null)
        {
            p.lruNext.lruPrev = p.lruPrev;
        }
        else if (lruTail == p)
        {
            lruTail = p.lruPrev;
        }
        p.lruPrev = null;
        p.lruNext = null;
    }

    private void evictOverflow(final Projection keep)
    {
        while (resident > maxResident && lruTail != null && lruTail != keep)
        {
            evict(lruTail);
        }
    }

    /**
     * Drops the state of a projection; it is rebuilt from the journal when next needed.
     *
     * @param p the projection, resident or not.
     */
    void evict(final Projection p)
    {
        unlink(p);
        if (p.state != null)
        {
            p.state.close();
            p.state = null;
            resident--;
        }
        p.watermark = -1;
        p.stale = false;
    }
}
