package io.sockudo.jvm.server.annotation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Interns UTF-8 byte strings to dense {@code int} ids, looked up from bytes without allocating.
 * <p>
 * The bytes live off-heap in one append-only pool; an open-addressing table maps a hash to {@code id + 1}. Ids are
 * ordered by {@link #compare}, which compares the UTF-8 bytes unsigned: that is Unicode code point order, the order
 * the spec uses for client ids, names and serials (and not {@link String#compareTo}, which differs for supplementary
 * characters). Optionally keeps a {@link String} per id for rendering. Not thread safe.
 */
final class Interner
{
    private static final int INITIAL_IDS = 64;

    private final boolean keepStrings;
    private static final int INITIAL_POOL_BYTES = 4096;

    private ExpandableDirectByteBuffer pool = new ExpandableDirectByteBuffer(INITIAL_POOL_BYTES);
    private final ExpandableDirectByteBuffer scratch = new ExpandableDirectByteBuffer(256);
    private int poolSize;
    private int[] offsets = new int[INITIAL_IDS];
    private int[] lengths = new int[INITIAL_IDS];
    private int[] hashes = new int[INITIAL_IDS];
    private String[] strings;
    private int size;
    private int[] table = new int[INITIAL_IDS * 2];

    /**
     * An empty interner.
     *
     * @param keepStrings whether to keep a {@link String} per id (for values rendered often).
     */
    Interner(final boolean keepStrings)
    {
        this.keepStrings = keepStrings;
        this.strings = keepStrings ? new String[INITIAL_IDS] : null;
    }

    /**
     * Number of ids handed out.
     *
     * @return ids are {@code 0 .. size() - 1}.
     */
    int size()
    {
        return size;
    }

    /**
     * The id of some bytes, interning them when new.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the id.
     */
    int intern(final DirectBuffer src, final int offset, final int length)
    {
        final int hash = hash(src, offset, length);
        final int found = probe(src, offset, length, hash);
        return found >= 0 ? found : add(src, offset, length, hash, -found - 1);
    }

    /**
     * The id of some bytes, or -1 when they were never interned.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the id or -1.
     */
    int find(final DirectBuffer src, final int offset, final int length)
    {
        final int found = probe(src, offset, length, hash(src, offset, length));
        return found >= 0 ? found : -1;
    }

    /**
     * Linear probe for some bytes: their id when interned, else {@code -(slot + 1)} of the empty slot where they
     * would go.
     */
    private int probe(final DirectBuffer src, final int offset, final int length, final int hash)
    {
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (true)
        {
            final int entry = table[slot];
            if (entry == 0)
            {
                return -(slot + 1);
            }
            final int id = entry - 1;
            if (hashes[id] == hash && equals(id, src, offset, length))
            {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * The id of a string, interning it when new.
     *
     * @param value the text.
     * @return the id.
     */
    int intern(final String value)
    {
        final int length = encode(value);
        return intern(scratch, 0, length);
    }

    /**
     * The id of a string, or -1 when never interned.
     *
     * @param value the text.
     * @return the id or -1.
     */
    int find(final String value)
    {
        final int length = encode(value);
        return find(scratch, 0, length);
    }

    /**
     * Orders two ids by their bytes (unsigned, i.e. code point order).
     *
     * @param a an id.
     * @param b an id.
     * @return negative, zero or positive.
     */
    int compare(final int a, final int b)
    {
        if (a == b)
        {
            return 0;
        }
        return compare(a, pool, offsets[b], lengths[b]);
    }

    /**
     * Orders an id against some bytes (unsigned, i.e. code point order).
     *
     * @param id     an id.
     * @param src    holding the other bytes.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return negative, zero or positive.
     */
    int compare(final int id, final DirectBuffer src, final int offset, final int length)
    {
        final int aOffset = offsets[id];
        final int aLength = lengths[id];
        final int n = Math.min(aLength, length);
        for (int i = 0; i < n; i++)
        {
            final int x = pool.getByte(aOffset + i) & 0xFF;
            final int y = src.getByte(offset + i) & 0xFF;
            if (x != y)
            {
                return x - y;
            }
        }
        return aLength - length;
    }

    /**
     * Orders an id against a string (code point order).
     *
     * @param id    an id.
     * @param value the other text.
     * @return negative, zero or positive.
     */
    int compare(final int id, final String value)
    {
        final int length = encode(value);
        return compare(id, scratch, 0, length);
    }

    /**
     * The text of an id; allocates unless strings are kept.
     *
     * @param id an id.
     * @return the text.
     */
    String string(final int id)
    {
        if (keepStrings)
        {
            return strings[id];
        }
        return pool.getStringWithoutLengthUtf8(offsets[id], lengths[id]);
    }

    /**
     * Length of an id's bytes.
     *
     * @param id an id.
     * @return the UTF-8 length.
     */
    int length(final int id)
    {
        return lengths[id];
    }

    private boolean equals(final int id, final DirectBuffer src, final int offset, final int length)
    {
        if (lengths[id] != length)
        {
            return false;
        }
        final int base = offsets[id];
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (pool.getLong(base + i) != src.getLong(offset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (pool.getByte(base + i) != src.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private int add(final DirectBuffer src, final int offset, final int length, final int hash, final int slot)
    {
        final int id = size;
        if (id == offsets.length)
        {
            final int capacity = id * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            if (keepStrings)
            {
                strings = Arrays.copyOf(strings, capacity);
            }
        }
        pool.putBytes(poolSize, src, offset, length);
        offsets[id] = poolSize;
        lengths[id] = length;
        hashes[id] = hash;
        if (keepStrings)
        {
            strings[id] = pool.getStringWithoutLengthUtf8(poolSize, length);
        }
        poolSize += length;
        size = id + 1;
        table[slot] = id + 1;
        if (size * 2 > table.length)
        {
            rehash();
        }
        return id;
    }

    private void rehash()
    {
        final int[] bigger = new int[table.length * 2];
        final int mask = bigger.length - 1;
        for (int id = 0; id < size; id++)
        {
            int slot = hashes[id] & mask;
            while (bigger[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = id + 1;
        }
        table = bigger;
    }

    /**
     * Drops the ids not marked live and renumbers the others densely, keeping their relative order (so an array
     * sorted by id stays sorted after remapping), then shrinks the memory to fit the survivors. Cold path: allocates.
     *
     * @param live  {@code live[id]} for every id below {@link #size()}.
     * @param remap filled with the new id of each old id below {@link #size()}, -1 when dropped.
     * @return the new {@link #size()}.
     */
    int compact(final boolean[] live, final int[] remap)
    {
        int survivors = 0;
        int bytes = 0;
        for (int id = 0; id < size; id++)
        {
            if (live[id])
            {
                survivors++;
                bytes += lengths[id];
            }
        }
        final int capacity = Math.max(INITIAL_IDS, Integer.highestOneBit(Math.max(1, survivors - 1)) << 1);
        final int[] newOffsets = new int[capacity];
        final int[] newLengths = new int[capacity];
        final int[] newHashes = new int[capacity];
        final String[] newStrings = keepStrings ? new String[capacity] : null;
        final ExpandableDirectByteBuffer newPool =
            new ExpandableDirectByteBuffer(Math.max(INITIAL_POOL_BYTES, bytes));
        final int[] newTable = new int[capacity * 2];
        final int mask = newTable.length - 1;
        int next = 0;
        int position = 0;
        for (int id = 0; id < size; id++)
        {
            if (!live[id])
            {
                remap[id] = -1;
                continue;
            }
            final int length = lengths[id];
            newPool.putBytes(position, pool, offsets[id], length);
            newOffsets[next] = position;
            newLengths[next] = length;
            newHashes[next] = hashes[id];
            if (keepStrings)
            {
                newStrings[next] = strings[id];
            }
            int slot = hashes[id] & mask;
            while (newTable[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            newTable[slot] = next + 1;
            remap[id] = next;
            position += length;
            next++;
        }
        pool = newPool;
        poolSize = position;
        offsets = newOffsets;
        lengths = newLengths;
        hashes = newHashes;
        strings = newStrings;
        table = newTable;
        size = next;
        return next;
    }

    /**
     * Bytes of the pool in use, for tests of compaction.
     *
     * @return the pool size.
     */
    int poolBytes()
    {
        return poolSize;
    }

    private int encode(final String value)
    {
        return encodeUtf8(value, scratch);
    }

    /**
     * Writes a string as UTF-8 (a lone surrogate becomes U+FFFD) without allocating.
     *
     * @param value the text.
     * @param dst   expandable destination, written from index 0.
     * @return the byte length.
     */
    static int encodeUtf8(final String value, final MutableDirectBuffer dst)
    {
        int p = 0;
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            int cp = value.charAt(i);
            if (Character.isHighSurrogate((char)cp) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                cp = Character.toCodePoint((char)cp, value.charAt(++i));
            }
            else if (Character.isSurrogate((char)cp))
            {
                cp = 0xFFFD;
            }
            if (cp < 0x80)
            {
                dst.putByte(p++, (byte)cp);
            }
            else if (cp < 0x800)
            {
                dst.putByte(p++, (byte)(0xC0 | (cp >>> 6)));
                dst.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (cp < 0x10000)
            {
                dst.putByte(p++, (byte)(0xE0 | (cp >>> 12)));
                dst.putByte(p++, (byte)(0x80 | ((cp >>> 6) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else
            {
                dst.putByte(p++, (byte)(0xF0 | (cp >>> 18)));
                dst.putByte(p++, (byte)(0x80 | ((cp >>> 12) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | ((cp >>> 6) & 0x3F)));
                dst.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
        }
        return p;
    }

    private static int hash(final DirectBuffer src, final int offset, final int length)
    {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (src.getByte(offset + i) & 0xFF)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** Bytes of a string as UTF-8, allocating; for tests and cold paths. */
    static UnsafeBuffer utf8(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
    }
}
