package io.sockudo.jvm.server.annotation;

import java.util.Arrays;

/**
 * The event slots of one message of a channel, in serial order, and the projections of its types.
 */
final class MessageIndex
{
    final ChannelIndex channel;
    int messageId;
    int[] slots = new int[8];
    int size;
    int[] typeIds = new int[2];
    Projection[] projections = new Projection[2];
    int typeCount;

    MessageIndex(final ChannelIndex channel, final int messageId)
    {
        this.channel = channel;
        this.messageId = messageId;
    }

    /**
     * Inserts a slot at its serial position (appending in the usual, ascending case).
     *
     * @param slot a serial slot of the channel.
     * @return true if it was appended after every other slot, false if it went before some.
     */
    boolean insert(final int slot)
    {
        if (size == slots.length)
        {
            slots = Arrays.copyOf(slots, size * 2);
        }
        int i = size;
        final Interner serials = channel.serials;
        while (i > 0 && serials.compare(slots[i - 1], slot) > 0)
        {
            slots[i] = slots[i - 1];
            i--;
        }
        slots[i] = slot;
        size++;
        return i == size - 1;
    }

    /**
     * First position whose serial sorts strictly above a given serial.
     *
     * @param serial the exclusive lower bound.
     * @return a position in {@code 0 .. size}.
     */
    int firstAfter(final String serial)
    {
        int low = 0;
        int high = size - 1;
        final Interner serials = channel.serials;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (serials.compare(slots[mid], serial) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * The projection of a type, or null.
     *
     * @param typeId interned type.
     * @return the projection or null.
     */
    Projection projection(final int typeId)
    {
        for (int i = 0; i < typeCount; i++)
        {
            if (typeIds[i] == typeId)
            {
                return projections[i];
            }
        }
        return null;
    }

    /**
     * Adds the projection of a new type.
     *
     * @param projection the projection.
     */
    void add(final Projection projection)
    {
        if (typeCount == typeIds.length)
        {
            typeIds = Arrays.copyOf(typeIds, typeCount * 2);
            projections = Arrays.copyOf(projections, typeCount * 2);
        }
        typeIds[typeCount] = projection.typeId;
        projections[typeCount] = projection;
        typeCount++;
    }
}
