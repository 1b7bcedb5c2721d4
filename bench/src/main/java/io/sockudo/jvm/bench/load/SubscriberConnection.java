package io.sockudo.jvm.bench.load;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The state of one subscriber socket, owned by the {@link SubscriberPool} thread.
 */
final class SubscriberConnection
{
    static final int IDLE = 0;
    static final int CONNECTING = 1;
    static final int HANDSHAKE = 2;
    static final int WAIT_ESTABLISHED = 3;
    static final int SUBSCRIBING = 4;
    static final int SUBSCRIBED = 5;
    static final int CLOSED = 6;

    final int index;
    final boolean churner;
    SocketChannel channel;
    SelectionKey key;
    int state = IDLE;
    byte[] carry = new byte[512];
    int carryLength;
    ByteBuffer pendingOut;
    String expectedAccept;
    long closeAtNs;
    long reopenAtNs;
    boolean versionChecked;
    long summaries;

    SubscriberConnection(final int index, final boolean churner)
    {
        this.index = index;
        this.churner = churner;
    }

    void reset()
    {
        channel = null;
        key = null;
        state = IDLE;
        carryLength = 0;
        pendingOut = null;
        expectedAccept = null;
        closeAtNs = Long.MAX_VALUE;
        versionChecked = false;
        summaries = 0;
    }
}
