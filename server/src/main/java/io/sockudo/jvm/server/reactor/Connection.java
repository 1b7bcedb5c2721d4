package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.http.HttpRequestParser;
import io.sockudo.jvm.protocol.ws.WebSocketFrameDecoder;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;

/**
 * One TCP connection, owned by exactly one reactor thread. Starts as HTTP; after a successful upgrade it is
 * a Pusher WebSocket session. Plain fields: only the owning reactor reads or writes them.
 */
final class Connection
{
    static final int HTTP = 0;
    static final int WEBSOCKET = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;

    final long id;
    final SocketChannel channel;
    final String remoteAddress;
    SelectionKey key;
    int state = HTTP;
    int slot = -1;

    HttpRequestParser http;
    boolean continueSent;
    /** Some bytes of an HTTP request have arrived but not all of it. */
    boolean requestInProgress;
    /** An HTTP response waits for the log writer; bytes that arrive meanwhile go to {@link #held}. */
    boolean awaitingResponse;
    byte[] held;
    WebSocketFrameDecoder decoder;

    /** Outbound bytes not yet accepted by the socket, in write mode (position = end of data). */
    ByteBuffer pending;
    boolean closeWhenFlushed;

    // Pusher session state
    AppState app;
    String socketId;
    byte[] socketIdBytes;
    boolean protocolV2;
    /** V2: receives its own client events (echo_messages). */
    boolean echoMessages;
    String userId;
    boolean authenticated;
    /** Watchlist of the signed-in user on this socket; non-null once registered with the app. */
    java.util.List<String> watchlist;
    final ArrayList<Channel> channels = new ArrayList<>(0);
    final ArrayList<String> channelUserIds = new ArrayList<>(0);
    final ArrayList<String> registeredUsers = new ArrayList<>(0);
    AppState.UserSocket address;
    AppState.SocketInfo info;

    long lastActivityMs;
    boolean pingSent;
    long pongDeadlineMs;
    long authDeadlineMs;
    long closeDeadlineMs;

    long clientEventWindowStartMs;
    int clientEventCount;
    long messageWindowStartMs;
    int messageCount;

    Connection(final long id, final SocketChannel channel, final String remoteAddress)
    {
        this.id = id;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
    }

    int pendingBytes()
    {
        return pending == null ? 0 : pending.position();
    }

    int indexOfChannel(final String name)
    {
        for (int i = 0, n = channels.size(); i < n; i++)
        {
            if (channels.get(i).name().equals(name))
            {
                return i;
            }
        }
        return -1;
    }
}
