package io.sockudo.jvm.server.history;

import io.sockudo.jvm.server.annotation.AnnotationJournal;

import java.util.ArrayList;
import java.util.List;

/**
 * The annotation journal of the {@code memory} backend: events kept on the heap, lost at restart.
 */
final class MemoryAnnotationJournal implements AnnotationJournal
{
    private final List<byte[]> records = new ArrayList<>();

    @Override
    public synchronized long append(final String app, final String channel, final String serial,
        final long timestampMs, final byte[] payload)
    {
        records.add(payload);
        return records.size() - 1;
    }

    @Override
    public synchronized byte[] read(final long index)
    {
        return index >= 0 && index < records.size() ? records.get((int)index) : null;
    }
}
