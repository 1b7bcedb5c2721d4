package io.sockudo.jvm.server.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The durable streams of one (app, channel): its history rows and its version chains. Every method is called with
 * the object's monitor held ({@code synchronized (streams)}), so that serials, storage and fan-out of one channel
 * happen in one order.
 */
public final class ChannelStreams
{
    final String app;
    final String channel;
    private final MessageStore store;

    // history
    private String historyStreamId;
    private long nextHistorySerial = 1;
    private final Rows items = new Rows();
    private long retainedBytes;

    // versions
    private String versionStreamId;
    private long nextDeliverySerial = 1;
    private final Map<String, List<Version>> chains = new HashMap<>();

    ChannelStreams(final MessageStore store, final String app, final String channel)
    {
        this.store = store;
        this.app = app;
        this.channel = channel;
    }

    /**
     * The history stream id, created on first use.
     *
     * @return a UUID string
     */
    public String historyStreamId()
    {
        if (historyStreamId == null)
        {
            historyStreamId = UUID.randomUUID().toString();
        }
        return historyStreamId;
    }

    /**
     * The version stream id, created on first use.
     *
     * @return a UUID string
     */
    public String versionStreamId()
    {
        if (versionStreamId == null)
        {
            versionStreamId = UUID.randomUUID().toString();
        }
        return versionStreamId;
    }

    /**
     * The serial the next history row will get.
     *
     * @return the serial
     */
    public long nextHistorySerial()
    {
        return nextHistorySerial;
    }

    /**
     * The delivery serial the next version will get.
     *
     * @return the serial
     */
    public long nextDeliverySerial()
    {
        return nextDeliverySerial;
    }

    /**
     * Stores a history row with serial {@link #nextHistorySerial()} and advances it; applies retention.
     *
     * @param policy the channel's policy (retention)
     * @param publishedAtMs publish time
     * @param messageId message id or null
     * @param eventName event name
     * @param messageSerial message serial of a versioned create, or null
     * @param envelope the V2 envelope bytes
     */
    public void appendHistory(final HistoryPolicy policy, final long publishedAtMs, final String messageId,
        final String eventName, final String messageSerial, final byte[] envelope)
    {
        final long serial = nextHistorySerial;
        final long index = store.journal.history(app, channel, historyStreamId(), serial, publishedAtMs, messageId,
            eventName, messageSerial, envelope);
        restoreHistory(historyStreamId, serial, publishedAtMs, messageId, eventName, messageSerial,
            index < 0 ? envelope : null, envelope.length, index);
        evict(policy, publishedAtMs);
    }

    void restoreHistory(final String streamId, final long serial, final long publishedAtMs, final String messageId,
        final String eventName, final String messageSerial, final byte[] envelope, final int size, final long index)
    {
        if (!streamId.equals(historyStreamId))
        {
            historyStreamId = streamId;
            items.clear();
            retainedBytes = 0;
        }
        items.add(new HistoryItem(serial, publishedAtMs, messageId, eventName, "append", size, messageSerial,
            envelope, index));
        retainedBytes += size;
        nextHistorySerial = Math.max(nextHistorySerial, serial + 1);
    }

    /**
     * Drops rows outside the retention window and over the count or byte caps.
     *
     * @param policy the channel's policy
     * @param nowMs current time
     */
    public void evict(final HistoryPolicy policy, final long nowMs)
    {
        while (!items.isEmpty())
        {
            final HistoryItem oldest = items.first();
            final boolean expired = policy.retentionMs > 0 && oldest.publishedAtMs < nowMs - policy.retentionMs;
            final boolean overCount = policy.maxMessages > 0 && items.size() > policy.maxMessages;
            final boolean overBytes = policy.maxBytes > 0 && retainedBytes > policy.maxBytes;
            if (!expired && !overCount && !overBytes)
            {
                return;
            }
            items.removeFirst();
            retainedBytes -= oldest.payloadSize;
        }
    }

    /**
     * Oldest retained serial ({@link #nextHistorySerial()} when nothing is retained).
     *
     * @return the floor
     */
    public long oldestSerial()
    {
        return items.isEmpty() ? nextHistorySerial : items.first().serial;
    }

    /**
     * Newest retained serial, or 0.
     *
     * @return the serial
     */
    public long newestSerial()
    {
        return items.isEmpty() ? 0 : items.last().serial;
    }

    /**
     * Retained row count.
     *
     * @return count
     */
    public int retainedMessages()
    {
        return items.size();
    }

    /**
     * Retained envelope bytes.
     *
     * @return bytes
     */
    public long retainedBytes()
    {
        return retainedBytes;
    }

    /**
     * Oldest retained publish time, or -1.
     *
     * @return ms
     */
    public long oldestPublishedAtMs()
    {
        return items.isEmpty() ? -1 : items.first().publishedAtMs;
    }

    /**
     * Newest retained publish time, or -1.
     *
     * @return ms
     */
    public long newestPublishedAtMs()
    {
        return items.isEmpty() ? -1 : items.last().publishedAtMs;
    }

    /**
     * Reads up to {@code limit} rows in a direction, exclusive of a cursor serial, within inclusive bounds.
     *
     * @param oldestFirst direction
     * @param afterSerial exclusive cursor serial, or -1 for none
     * @param startSerial inclusive lower serial bound or -1
     * @param endSerial inclusive upper serial bound or -1
     * @param startTimeMs inclusive lower time bound or -1
     * @param endTimeMs inclusive upper time bound or -1
     * @param limit the most rows to return
     * @return rows in the requested order
     */
    public List<HistoryItem> read(final boolean oldestFirst, final long afterSerial, final long startSerial,
        final long endSerial, final long startTimeMs, final long endTimeMs, final int limit)
    {
        final List<HistoryItem> out = new ArrayList<>(Math.min(limit, 128));
        if (oldestFirst)
        {
            final long from = Math.max(afterSerial >= 0 ? afterSerial + 1 : 0, startSerial);
            for (int i = items.lowerBound(from), n = items.size(); i < n && out.size() < limit; i++)
            {
                final HistoryItem item = items.get(i);
                if (endSerial >= 0 && item.serial > endSerial)
                {
                    break;
                }
                if (inTime(item, startTimeMs, endTimeMs))
                {
                    out.add(item);
                }
            }
        }
        else
        {
            long to = endSerial >= 0 ? endSerial : Long.MAX_VALUE;
            if (afterSerial >= 0)
            {
                to = Math.min(to, afterSerial - 1);
            }
            final int start = to == Long.MAX_VALUE ? items.size() - 1 : items.lowerBound(to + 1) - 1;
            for (int i = start; i >= 0 && out.size() < limit; i--)
            {
                final HistoryItem item = items.get(i);
                if (startSerial >= 0 && item.serial < startSerial)
                {
                    break;
                }
                if (inTime(item, startTimeMs, endTimeMs))
                {
                    out.add(item);
                }
            }
        }
        return out;
    }

    private static boolean inTime(final HistoryItem item, final long startTimeMs, final long endTimeMs)
    {
        return (startTimeMs < 0 || item.publishedAtMs >= startTimeMs) &&
            (endTimeMs < 0 || item.publishedAtMs <= endTimeMs);
    }

    /**
     * The envelope bytes of a row.
     *
     * @param item the row
     * @return its bytes, or null when the log lost them
     */
    public byte[] envelope(final HistoryItem item)
    {
        return item.envelope != null ? item.envelope : store.journal.envelope(item.logIndex);
    }

    /**
     * Purges every row and rotates the stream id (operator reset).
     *
     * @param nowMs when
     * @return {purged messages, purged bytes}
     */
    public long[] reset(final long nowMs)
    {
        final long[] purged = {items.size(), retainedBytes};
        final String next = UUID.randomUUID().toString();
        store.journal.reset(app, channel, next, nowMs);
        restoreReset(next);
        return purged;
    }

    void restoreReset(final String streamId)
    {
        historyStreamId = streamId;
        items.clear();
        retainedBytes = 0;
        nextHistorySerial = 1;
    }

    /**
     * Purges rows with a serial below {@code beforeSerial} (operator purge).
     *
     * @param beforeSerial first serial kept
     * @param nowMs when
     * @return {purged messages, purged bytes}
     */
    public long[] purgeBefore(final long beforeSerial, final long nowMs)
    {
        store.journal.purge(app, channel, beforeSerial, nowMs);
        return restorePurge(beforeSerial);
    }

    long[] restorePurge(final long beforeSerial)
    {
        long count = 0;
        long bytes = 0;
        while (!items.isEmpty() && items.first().serial < beforeSerial)
        {
            final HistoryItem item = items.removeFirst();
            count++;
            bytes += item.payloadSize;
            retainedBytes -= item.payloadSize;
        }
        return new long[] {count, bytes};
    }

    /**
     * The first serial whose row was published at or after a time ({@link #nextHistorySerial()} if none).
     *
     * @param timeMs the time
     * @return a serial
     */
    public long firstSerialAtOrAfter(final long timeMs)
    {
        for (int i = 0, n = items.size(); i < n; i++)
        {
            if (items.get(i).publishedAtMs >= timeMs)
            {
                return items.get(i).serial;
            }
        }
        return nextHistorySerial;
    }

    // ---------------------------------------------------------------- versions

    /**
     * Takes the next delivery serial (a mutation or a versioned create).
     *
     * @return the serial
     */
    public long takeDeliverySerial()
    {
        return nextDeliverySerial++;
    }

    /**
     * Stores a version (its delivery serial was taken with {@link #takeDeliverySerial()}).
     *
     * @param version the version
     */
    public void appendVersion(final Version version)
    {
        store.journal.version(app, channel, versionStreamId(), version);
        restoreVersion(versionStreamId, version);
    }

    void restoreVersion(final String streamId, final Version version)
    {
        versionStreamId = streamId;
        chains.computeIfAbsent(version.messageSerial, k -> new ArrayList<>(2)).add(version);
        nextDeliverySerial = Math.max(nextDeliverySerial, version.deliverySerial + 1);
    }

    /**
     * The versions of a message, in version-serial order, or null when the message is unknown.
     *
     * @param messageSerial the message serial
     * @return the chain or null
     */
    public List<Version> chain(final String messageSerial)
    {
        return chains.get(messageSerial);
    }

    /**
     * Drops the version chains whose latest version is older than the window ({@code
     * versioned_messages.retention_window_seconds}); called by the retention task.
     *
     * @param nowMs current time
     * @param retentionMs the window, 0 keeps forever
     * @return chains dropped
     */
    public int evictVersions(final long nowMs, final long retentionMs)
    {
        if (retentionMs <= 0)
        {
            return 0;
        }
        int dropped = 0;
        for (final java.util.Iterator<List<Version>> it = chains.values().iterator(); it.hasNext(); )
        {
            final List<Version> chain = it.next();
            if (chain.get(chain.size() - 1).timestampMs < nowMs - retentionMs)
            {
                it.remove();
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * Every version with a delivery serial above {@code afterDeliverySerial}, in delivery order.
     *
     * @param afterDeliverySerial exclusive lower bound
     * @return the versions
     */
    public List<Version> versionsAfter(final long afterDeliverySerial)
    {
        final List<Version> out = new ArrayList<>();
        for (final List<Version> chain : chains.values())
        {
            for (final Version v : chain)
            {
                if (v.deliverySerial > afterDeliverySerial)
                {
                    out.add(v);
                }
            }
        }
        out.sort((a, b) -> Long.compare(a.deliverySerial, b.deliverySerial));
        return out;
    }

    /**
     * The latest version of a message (greatest version serial), or null.
     *
     * @param messageSerial the message serial
     * @return the version or null
     */
    public Version latest(final String messageSerial)
    {
        final List<Version> chain = chains.get(messageSerial);
        return chain == null || chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }
}
