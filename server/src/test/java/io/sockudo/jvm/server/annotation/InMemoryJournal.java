package io.sockudo.jvm.server.annotation;

import java.util.ArrayList;
import java.util.List;

/**
 * ArrayList-backed journal for tests; {@link #drop} simulates retention.
 */
final class InMemoryJournal implements AnnotationJournal
{
    /** One appended record. */
    record Entry(String app, String channel, String serial, long timestampMs, byte[] payload)
    {
    }

    final List<Entry> entries = new ArrayList<>();
    int reads;

    @Override
    public long append(final String app, final String channel, final String serial, final long timestampMs,
        final byte[] payload)
    {
        entries.add(new Entry(app, channel, serial, timestampMs, payload));
        return entries.size() - 1;
    }

    @Override
    public byte[] read(final long index)
    {
        reads++;
        final Entry e = index >= 0 && index < entries.size() ? entries.get((int)index) : null;
        return e == null ? null : e.payload();
    }

    void drop(final long index)
    {
        entries.set((int)index, null);
    }

    /** Replays every record into an engine, in log order, as a restart would. */
    void restoreInto(final Annotations annotations)
    {
        for (int i = 0; i < entries.size(); i++)
        {
            final Entry e = entries.get(i);
            if (e != null)
            {
                annotations.restore(e.app(), e.channel(), e.serial(), e.timestampMs(), e.payload(), i);
            }
        }
    }
}
