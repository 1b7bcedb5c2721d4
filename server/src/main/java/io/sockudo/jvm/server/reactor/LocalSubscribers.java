package io.sockudo.jvm.server.reactor;

import java.util.Arrays;

/** Subscribers of one channel on this reactor, an array with swap-remove. */
final class LocalSubscribers
{
    Connection[] connections = new Connection[4];
    long[] joinSequences = new long[4];
    /** subscribed with modes ANNOTATION_SUBSCRIBE: also receives raw annotation frames. */
    boolean[] raw = new boolean[4];
    int size;

    void add(final Connection c, final long joinSequence, final boolean rawMode)
    {
        if (size == connections.length)
        {
            connections = Arrays.copyOf(connections, size * 2);
            joinSequences = Arrays.copyOf(joinSequences, size * 2);
            raw = Arrays.copyOf(raw, size * 2);
        }
        joinSequences[size] = joinSequence;
        raw[size] = rawMode;
        connections[size++] = c;
    }

    boolean remove(final Connection c)
    {
        for (int i = 0; i < size; i++)
        {
            if (connections[i] == c)
            {
                --size;
                connections[i] = connections[size];
                joinSequences[i] = joinSequences[size];
                raw[i] = raw[size];
                connections[size] = null;
                return true;
            }
        }
        return false;
    }
}
