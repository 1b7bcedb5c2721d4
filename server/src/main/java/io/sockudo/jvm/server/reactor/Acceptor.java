package io.sockudo.jvm.server.reactor;

import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts TCP connections on a blocking server socket and hands them round-robin to the reactors.
 * Runs on its own thread; closing the server socket ends it.
 */
final class Acceptor implements Runnable
{
    private final ServerSocketChannel server;
    private final Reactor[] reactors;
    private final ErrorHandler errorHandler;
    private int next;

    Acceptor(final ServerSocketChannel server, final Reactor[] reactors, final ErrorHandler errorHandler)
    {
        this.server = server;
        this.reactors = reactors;
        this.errorHandler = errorHandler;
    }

    @Override
    public void run()
    {
        while (server.isOpen())
        {
            final SocketChannel socket;
            try
            {
                socket = server.accept();
            }
            catch (final ClosedChannelException ex)
            {
                return;
            }
            catch (final IOException ex)
            {
                // e.g. EMFILE: report and keep accepting rather than dying.
                errorHandler.onError(ex);
                Thread.onSpinWait();
                continue;
            }
            try
            {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(socket);
                continue;
            }
            final Reactor reactor = reactors[next];
            next = next + 1 == reactors.length ? 0 : next + 1;
            if (!reactor.offerSocket(socket))
            {
                CloseHelper.quietClose(socket);
            }
        }
    }
}
