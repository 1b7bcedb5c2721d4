package io.sockudo.jvm.server.annotation;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Summarizer state of one projection, off-heap, updated without allocating once its buffers are large enough.
 * <p>
 * Layout of the main buffer: a 16-byte header holding the {@code total.v1} counter, then a sorted array of 16-byte
 * records:
 * <pre>
 *   0        4          8                 16
 *   | nameId | clientId | value (u64)      |
 * </pre>
 * sorted by name then client in code point order ({@link Interner#compare}). {@link #NONE} sorts first: flag.v1 uses it
 * as the name of every record, multiple.v1 as the client of the per-name header record whose value is
 * {@code totalUnidentified} (the header exists from the first event that touches the name, so the bucket is never
 * dropped). distinct.v1 and unique.v1 buckets exist while they have a record. unique.v1 has a second buffer, sorted by
 * client id, of {@code clientId, nameId, token} records giving each client's single active annotation.
 * <p>
 * Counters saturate at 2^64 - 1 and never go below 0; values are unsigned. One owner thread; call {@link #close} to
 * free the memory.
 */
public final class SummaryState implements AutoCloseable
{
    /** Id meaning "no name" or "no client". */
    public static final int NONE = -1;

    static final int RECORD_BYTES = 16;
    static final int NAME_OFFSET = 0;
    static final int CLIENT_OFFSET = 4;
    static final int VALUE_OFFSET = 8;
    static final int HEADER_BYTES = 16;
    static final int TOTAL_OFFSET = 0;
    static final int BY_CLIENT_CLIENT_OFFSET = 0;
    static final int BY_CLIENT_NAME_OFFSET = 4;
    static final int BY_CLIENT_TOKEN_OFFSET = 8;
    private static final int INITIAL_RECORDS = 4;

    private final Summarizer kind;
    private final Interner ids;
    private final UnsafeBuffer records = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer byClient = new UnsafeBuffer(0, 0);
    private ByteBuffer recordsMemory;
    private ByteBuffer byClientMemory;
    private int count;
    private int clientCount;
    private long clippedContributors;

    /**
     * State sharing an engine's interner.
     *
     * @param kind the summarizer.
     * @param ids  interner of names and client ids.
     */
    SummaryState(final Summarizer kind, final Interner ids)
    {
        this.kind = kind;
        this.ids = ids;
        recordsMemory = ByteBuffer.allocateDirect(HEADER_BYTES + INITIAL_RECORDS * RECORD_BYTES);
        records.wrap(recordsMemory);
        if (kind == Summarizer.UNIQUE)
        {
            byClientMemory = ByteBuffer.allocateDirect(INITIAL_RECORDS * RECORD_BYTES);
            byClient.wrap(byClientMemory);
        }
    }

    /**
     * A state with its own interner, for benchmarks and tools; intern names and clients with {@link #intern}.
     *
     * @param kind the summarizer.
     * @return a new empty state.
     */
    public static SummaryState standalone(final Summarizer kind)
    {
        return new SummaryState(kind, new Interner(true));
    }

    /**
     * Interns a name or client id for {@link #applyCreate} and {@link #applyDelete}.
     *
     * @param value the text.
     * @return its id.
     */
    public int intern(final String value)
    {
        return ids.intern(value);
    }

    /**
     * The summarizer of this state.
     *
     * @return the kind.
     */
    public Summarizer kind()
    {
        return kind;
    }

    /**
     * Applies an {@code annotation.create}.
     *
     * @param nameId   interned name, or {@link #NONE}.
     * @param clientId interned client id, or {@link #NONE} when anonymous.
     * @param count    amount (multiple.v1 only; unsigned, never 0).
     * @param token    identity of the annotation (unique.v1 tracks the active one).
     */
    public void applyCreate(final int nameId, final int clientId, final long count, final int token)
    {
        switch (kind)
        {
            case TOTAL:
                records.putLong(TOTAL_OFFSET, saturatingAdd(records.getLong(TOTAL_OFFSET), 1));
                break;
            case FLAG:
                if (clientId != NONE)
                {
                    insertIfAbsent(NONE, clientId, 0);
                }
                break;
            case DISTINCT:
                insertIfAbsent(nameId, clientId, 0);
                break;
            case UNIQUE:
                createUnique(nameId, clientId, token);
                break;
            default:
                createMultiple(nameId, clientId, count);
                break;
        }
    }

    /**
     * Applies an {@code annotation.delete} (carrying the target's name and client).
     *
     * @param nameId   interned name of the target, or {@link #NONE}.
     * @param clientId interned client id of the target, or {@link #NONE}.
     * @param token    identity of the deleted annotation; for unique.v1 the delete is a no-op unless it is the
     *                 client's active annotation ({@link #NONE}: fall back to comparing names).
     */
    public void applyDelete(final int nameId, final int clientId, final int token)
    {
        switch (kind)
        {
            case TOTAL:
            {
                final long total = records.getLong(TOTAL_OFFSET);
                if (total != 0)
                {
                    records.putLong(TOTAL_OFFSET, total - 1);
                }
                break;
            }
            case FLAG:
                if (clientId != NONE)
                {
                    removeIfPresent(NONE, clientId);
                }
                break;
            case DISTINCT:
                removeIfPresent(nameId, clientId);
                break;
            case UNIQUE:
                deleteUnique(nameId, clientId, token);
                break;
            default:
                if (header(nameId) >= 0 && clientId != NONE)
                {
                    removeIfPresent(nameId, clientId);
                }
                break;
        }
    }

    /**
     * Empties the state, keeping its memory.
     */
    public void clear()
    {
        records.putLong(TOTAL_OFFSET, 0);
        count = 0;
        clientCount = 0;
    }

    /**
     * Frees the off-heap memory; the state must not be used afterwards.
     */
    @Override
    public void close()
    {
        records.wrap(0, 0);
        byClient.wrap(0, 0);
        BufferUtil.free(recordsMemory);
        recordsMemory = null;
        if (byClientMemory != null)
        {
            BufferUtil.free(byClientMemory);
            byClientMemory = null;
        }
    }

    /**
     * Marks the name and client ids this state refers to, before a compaction of its interner.
     *
     * @param live set to true at every id referenced.
     */
    void markIds(final boolean[] live)
    {
        for (int i = 0; i < count; i++)
        {
            final int at = HEADER_BYTES + i * RECORD_BYTES;
            mark(live, records.getInt(at + NAME_OFFSET));
            mark(live, records.getInt(at + CLIENT_OFFSET));
        }
        for (int i = 0; i < clientCount; i++)
        {
            final int at = i * RECORD_BYTES;
            mark(live, byClient.getInt(at + BY_CLIENT_CLIENT_OFFSET));
            mark(live, byClient.getInt(at + BY_CLIENT_NAME_OFFSET));
        }
    }

    /**
     * Renames the name and client ids after {@link Interner#compact}. Every id referenced must have been marked live:
     * the compaction keeps the relative order of ids, so the unique.v1 client index stays sorted.
     *
     * @param remap new id of each old id.
     */
    void remapIds(final int[] remap)
    {
        for (int i = 0; i < count; i++)
        {
            final int at = HEADER_BYTES + i * RECORD_BYTES;
            records.putInt(at + NAME_OFFSET, remapped(remap, records.getInt(at + NAME_OFFSET)));
            records.putInt(at + CLIENT_OFFSET, remapped(remap, records.getInt(at + CLIENT_OFFSET)));
        }
        for (int i = 0; i < clientCount; i++)
        {
            final int at = i * RECORD_BYTES;
            final int client = byClient.getInt(at + BY_CLIENT_CLIENT_OFFSET);
            final int name = byClient.getInt(at + BY_CLIENT_NAME_OFFSET);
            byClient.putInt(at + BY_CLIENT_CLIENT_OFFSET, remapped(remap, client));
            byClient.putInt(at + BY_CLIENT_NAME_OFFSET, remapped(remap, name));
        }
    }

    /**
     * Renames the annotation tokens (unique.v1: the slot of each client's active create) after the serials of the
     * channel were compacted.
     *
     * @param remap new slot of each old slot.
     */
    void remapTokens(final int[] remap)
    {
        for (int i = 0; i < clientCount; i++)
        {
            final int at = i * RECORD_BYTES + BY_CLIENT_TOKEN_OFFSET;
            byClient.putInt(at, remapped(remap, byClient.getInt(at)));
        }
    }

    private static void mark(final boolean[] live, final int id)
    {
        if (id != NONE)
        {
            live[id] = true;
        }
    }

    private static int remapped(final int[] remap, final int id)
    {
        return id == NONE ? NONE : remap[id];
    }

    /**
     * Off-heap bytes held.
     *
     * @return capacity of the buffers.
     */
    public long capacityBytes()
    {
        return records.capacity() + byClient.capacity();
    }

    /**
     * Writes the summary JSON (spec 2.1 to 2.6), clipping every bucket to {@code limit} contributors (spec 4).
     *
     * @param out   destination.
     * @param limit contributors kept per bucket, {@link Integer#MAX_VALUE} for none dropped.
     * @return true if any bucket was clipped.
     */
    public boolean render(final StringBuilder out, final int limit)
    {
        clippedContributors = 0;
        switch (kind)
        {
            case TOTAL:
                out.append("{\"total\":");
                appendUnsigned(out, records.getLong(TOTAL_OFFSET));
                out.append('}');
                return false;
            case FLAG:
            {
                final boolean clipped = renderIdentified(out, 0, count, limit);
                if (clipped)
                {
                    clippedContributors = count;
                }
                return clipped;
            }
            case DISTINCT:
            case UNIQUE:
                return renderNamed(out, limit);
            default:
                return renderMultiple(out, limit);
        }
    }

    /**
     * Contributors of the clipped buckets of the last {@link #render} (flag: the total; distinct and unique: sum of
     * the clipped buckets' totals; multiple: sum of their {@code totalClientIds}), for the clipping log line.
     *
     * @return the count.
     */
    public long clippedContributors()
    {
        return clippedContributors;
    }

    /**
     * Summary JSON without clipping; allocates.
     *
     * @return the JSON text.
     */
    public String toJson()
    {
        final StringBuilder sb = new StringBuilder(64);
        render(sb, Integer.MAX_VALUE);
        return sb.toString();
    }

    private void createUnique(final int nameId, final int clientId, final int token)
    {
        final int c = searchClient(clientId);
        if (c >= 0)
        {
            final int at = c * RECORD_BYTES;
            final int oldName = byClient.getInt(at + BY_CLIENT_NAME_OFFSET);
            if (oldName != nameId)
            {
                removeIfPresent(oldName, clientId);
                byClient.putInt(at + BY_CLIENT_NAME_OFFSET, nameId);
            }
            byClient.putInt(at + BY_CLIENT_TOKEN_OFFSET, token);
        }
        else
        {
            insertClient(-c - 1, clientId, nameId, token);
        }
        insertIfAbsent(nameId, clientId, 0);
    }

    private void deleteUnique(final int nameId, final int clientId, final int token)
    {
        final int c = searchClient(clientId);
        if (c < 0)
        {
            return;
        }
        final int at = c * RECORD_BYTES;
        final int activeName = byClient.getInt(at + BY_CLIENT_NAME_OFFSET);
        // Decision (spec/README.md): deleting an annotation the client has since replaced is a no-op; 4.4.0 removes
        // the client from its current name instead.
        final boolean active =
            token != NONE ? byClient.getInt(at + BY_CLIENT_TOKEN_OFFSET) == token : activeName == nameId;
        if (!active)
        {
            return;
        }
        removeIfPresent(activeName, clientId);
        final int tail = (clientCount - c - 1) * RECORD_BYTES;
        moveDown(byClient, at, tail);
        clientCount--;
    }

    private void createMultiple(final int nameId, final int clientId, final long amount)
    {
        int h = header(nameId);
        if (h < 0)
        {
            h = -h - 1;
            insertAt(h, nameId, NONE, 0);
        }
        if (clientId == NONE)
        {
            final int at = HEADER_BYTES + h * RECORD_BYTES + VALUE_OFFSET;
            records.putLong(at, saturatingAdd(records.getLong(at), amount));
            return;
        }
        final int i = search(nameId, clientId);
        if (i >= 0)
        {
            final int at = HEADER_BYTES + i * RECORD_BYTES + VALUE_OFFSET;
            records.putLong(at, saturatingAdd(records.getLong(at), amount));
        }
        else
        {
            insertAt(-i - 1, nameId, clientId, amount);
        }
    }

    /** Index of the header record of a name for multiple.v1, created when absent. */
    private int header(final int nameId)
    {
        if (kind != Summarizer.MULTIPLE)
        {
            return 0;
        }
        final int h = search(nameId, NONE);
        if (h >= 0)
        {
            return h;
        }
        insertAt(-h - 1, nameId, NONE, 0);
        return -h - 1;
    }

    private void insertIfAbsent(final int nameId, final int clientId, final long value)
    {
        final int i = search(nameId, clientId);
        if (i < 0)
        {
            insertAt(-i - 1, nameId, clientId, value);
        }
    }

    private void removeIfPresent(final int nameId, final int clientId)
    {
        final int i = search(nameId, clientId);
        if (i >= 0)
        {
            final int at = HEADER_BYTES + i * RECORD_BYTES;
            moveDown(records, at, (count - i - 1) * RECORD_BYTES);
            count--;
        }
    }

    private void insertAt(final int index, final int nameId, final int clientId, final long value)
    {
        final int needed = HEADER_BYTES + (count + 1) * RECORD_BYTES;
        if (needed > records.capacity())
        {
            recordsMemory = grow(records, recordsMemory, HEADER_BYTES + count * RECORD_BYTES);
        }
        final int at = HEADER_BYTES + index * RECORD_BYTES;
        moveUp(records, at, (count - index) * RECORD_BYTES);
        records.putInt(at + NAME_OFFSET, nameId);
        records.putInt(at + CLIENT_OFFSET, clientId);
        records.putLong(at + VALUE_OFFSET, value);
        count++;
    }

    private void insertClient(final int index, final int clientId, final int nameId, final int token)
    {
        if ((clientCount + 1) * RECORD_BYTES > byClient.capacity())
        {
            byClientMemory = grow(byClient, byClientMemory, clientCount * RECORD_BYTES);
        }
        final int at = index * RECORD_BYTES;
        moveUp(byClient, at, (clientCount - index) * RECORD_BYTES);
        byClient.putInt(at + BY_CLIENT_CLIENT_OFFSET, clientId);
        byClient.putInt(at + BY_CLIENT_NAME_OFFSET, nameId);
        byClient.putInt(at + BY_CLIENT_TOKEN_OFFSET, token);
        byClient.putInt(at + BY_CLIENT_TOKEN_OFFSET + 4, 0);
        clientCount++;
    }

    /** Binary search in the records; the index, or {@code -(insertion point) - 1}. */
    private int search(final int nameId, final int clientId)
    {
        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int at = HEADER_BYTES + mid * RECORD_BYTES;
            int c = compareIds(records.getInt(at + NAME_OFFSET), nameId);
            if (c == 0)
            {
                c = compareIds(records.getInt(at + CLIENT_OFFSET), clientId);
            }
            if (c < 0)
            {
                low = mid + 1;
            }
            else if (c > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -low - 1;
    }

    /** Binary search by numeric client id in the unique.v1 client index. */
    private int searchClient(final int clientId)
    {
        int low = 0;
        int high = clientCount - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int value = byClient.getInt(mid * RECORD_BYTES + BY_CLIENT_CLIENT_OFFSET);
            if (value < clientId)
            {
                low = mid + 1;
            }
            else if (value > clientId)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -low - 1;
    }

    private int compareIds(final int a, final int b)
    {
        if (a == b)
        {
            return 0;
        }
        if (a == NONE)
        {
            return -1;
        }
        if (b == NONE)
        {
            return 1;
        }
        return ids.compare(a, b);
    }

    private boolean renderIdentified(final StringBuilder out, final int from, final int to, final int limit)
    {
        final int total = to - from;
        out.append("{\"total\":").append(total).append(",\"clientIds\":[");
        final int shown = Math.min(total, limit);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            appendId(out, records.getInt(HEADER_BYTES + (from + i) * RECORD_BYTES + CLIENT_OFFSET));
        }
        final boolean clipped = total > limit;
        out.append("],\"clipped\":").append(clipped).append('}');
        return clipped;
    }

    private boolean renderNamed(final StringBuilder out, final int limit)
    {
        boolean clipped = false;
        out.append('{');
        int i = 0;
        while (i < count)
        {
            final int nameId = records.getInt(HEADER_BYTES + i * RECORD_BYTES + NAME_OFFSET);
            final int end = bucketEnd(i, nameId);
            if (i > 0)
            {
                out.append(',');
            }
            appendId(out, nameId);
            out.append(':');
            if (renderIdentified(out, i, end, limit))
            {
                clipped = true;
                clippedContributors += end - i;
            }
            i = end;
        }
        out.append('}');
        return clipped;
    }

    private boolean renderMultiple(final StringBuilder out, final int limit)
    {
        boolean clipped = false;
        out.append('{');
        int i = 0;
        while (i < count)
        {
            final int at = HEADER_BYTES + i * RECORD_BYTES;
            final int nameId = records.getInt(at + NAME_OFFSET);
            final long unidentified = records.getLong(at + VALUE_OFFSET);
            final int end = bucketEnd(i, nameId);
            final int clients = end - i - 1;
            long identified = 0;
            for (int j = i + 1; j < end; j++)
            {
                // a plain (wrapping) unsigned add, as 4.4.0 sums the per-client counts
                identified += records.getLong(HEADER_BYTES + j * RECORD_BYTES + VALUE_OFFSET);
            }
            if (i > 0)
            {
                out.append(',');
            }
            appendId(out, nameId);
            out.append(":{\"total\":");
            appendUnsigned(out, saturatingAdd(identified, unidentified));
            out.append(",\"clientCounts\":{");
            final int shown = Math.min(clients, limit);
            for (int k = 0; k < shown; k++)
            {
                final int r = HEADER_BYTES + (i + 1 + k) * RECORD_BYTES;
                if (k > 0)
                {
                    out.append(',');
                }
                appendId(out, records.getInt(r + CLIENT_OFFSET));
                out.append(':');
                appendUnsigned(out, records.getLong(r + VALUE_OFFSET));
            }
            final boolean bucketClipped = clients > limit;
            out.append("},\"totalUnidentified\":");
            appendUnsigned(out, unidentified);
            out.append(",\"clipped\":").append(bucketClipped);
            out.append(",\"totalClientIds\":").append(clients).append('}');
            if (bucketClipped)
            {
                clipped = true;
                clippedContributors += clients;
            }
            i = end;
        }
        out.append('}');
        return clipped;
    }

    private int bucketEnd(final int start, final int nameId)
    {
        int end = start + 1;
        while (end < count && records.getInt(HEADER_BYTES + end * RECORD_BYTES + NAME_OFFSET) == nameId)
        {
            end++;
        }
        return end;
    }

    private void appendId(final StringBuilder out, final int id)
    {
        io.sockudo.jvm.protocol.json.JsonWriter.appendQuoted(out, ids.string(id));
    }

    static void appendUnsigned(final StringBuilder out, final long value)
    {
        if (value >= 0)
        {
            out.append(value);
        }
        else
        {
            out.append(Long.toUnsignedString(value));
        }
    }

    static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return Long.compareUnsigned(sum, a) < 0 ? -1L : sum;
    }

    /**
     * Shifts {@code length} bytes at {@code at} up by one record. The regions overlap: {@code Unsafe.copyMemory}, under
     * {@link UnsafeBuffer#putBytes(int, org.agrona.DirectBuffer, int, int)}, copies like {@code memmove} (what
     * {@code DirectByteBuffer.compact} relies on too).
     */
    private static void moveUp(final UnsafeBuffer buffer, final int at, final int length)
    {
        if (length > 0)
        {
            buffer.putBytes(at + RECORD_BYTES, buffer, at, length);
        }
    }

    /** Shifts the {@code length} bytes after the record at {@code at} down onto it (overlapping, as above). */
    private static void moveDown(final UnsafeBuffer buffer, final int at, final int length)
    {
        if (length > 0)
        {
            buffer.putBytes(at, buffer, at + RECORD_BYTES, length);
        }
    }

    private static ByteBuffer grow(final UnsafeBuffer buffer, final ByteBuffer memory, final int used)
    {
        final ByteBuffer bigger = ByteBuffer.allocateDirect(buffer.capacity() * 2);
        final UnsafeBuffer view = new UnsafeBuffer(bigger);
        view.putBytes(0, buffer, 0, used);
        buffer.wrap(bigger);
        BufferUtil.free(memory);
        return bigger;
    }
}
