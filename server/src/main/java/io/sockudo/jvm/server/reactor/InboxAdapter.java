package io.sockudo.jvm.server.reactor;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Decodes the records other reactors put in this reactor's inbox ring (layouts in {@link Reactor}) and
 * dispatches them: a broadcast fans out to the local subscribers, a frame goes to one connection, a terminate
 * closes one connection. Runs on the owning reactor.
 */
final class InboxAdapter implements MessageHandler
{
    private final Reactor reactor;

    InboxAdapter(final Reactor reactor)
    {
        this.reactor = reactor;
    }

    @Override
    public void onMessage(final int msgType, final MutableDirectBuffer buffer, final int index, final int length)
    {
        try
        {
            switch (msgType)
            {
                case Reactor.MSG_BROADCAST:
                {
                    final int channelId = buffer.getInt(index);
                    final int excludeLength = buffer.getInt(index + 4);
                    final long maxJoinSequence = buffer.getLong(index + 8);
                    final int frameOffset = index + Reactor.BROADCAST_HEADER + excludeLength;
                    if (reactor.hasLocalSubscribers(channelId))
                    {
                        final int v1Length = buffer.getInt(index + 28);
                        final int v2Length = length - Reactor.BROADCAST_HEADER - excludeLength - v1Length;
                        reactor.frame.frame(buffer, frameOffset, v1Length);
                        if (v2Length > 0)
                        {
                            reactor.frameV2.frame(buffer, frameOffset + v1Length, v2Length);
                        }
                        reactor.fanOut(channelId, buffer.getInt(index + 24), buffer.getLong(index + 16), reactor.frame,
                            v2Length > 0 ? reactor.frameV2 : null, maxJoinSequence, buffer,
                            index + Reactor.BROADCAST_HEADER, excludeLength);
                    }
                    break;
                }
                case Reactor.MSG_TO_CONNECTION:
                {
                    final Connection c = reactor.connection(buffer.getLong(index));
                    if (c != null && c.state == Connection.WEBSOCKET)
                    {
                        reactor.frame.frame(buffer, index + 8, length - 8);
                        reactor.send(c, reactor.frame);
                    }
                    break;
                }
                case Reactor.MSG_TERMINATE:
                {
                    final Connection c = reactor.connection(buffer.getLong(index));
                    if (c != null)
                    {
                        final int code = buffer.getInt(index + 8);
                        final String reason = buffer.getStringWithoutLengthUtf8(index + 12, length - 12);
                        reactor.closeWithCode(c, code, reason);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        catch (final RuntimeException ex)
        {
            reactor.onError(ex);
        }
    }
}
