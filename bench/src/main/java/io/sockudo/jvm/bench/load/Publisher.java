package io.sockudo.jvm.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop publisher: message {@code i} is due at {@code startNs + i / rate} whatever the server does, and
 * carries that intended time (not the time it was actually written) so that a stalled server shows up as latency
 * instead of silently slowing the schedule (coordinated omission). Requests are signed {@code POST}s built by an
 * {@link ApiSigner} ({@code /apps/{id}/events}, or annotation publishes) over keep-alive HTTP/1.1 connections; a
 * request goes to a connection with no unanswered request, a new connection is opened when all are busy (up to
 * 256), and only then are requests pipelined. Responses are parsed for their status and length; a server that
 * answers {@code Connection: close} (soketi does, on every API response) gets a fresh connection for the next
 * request, as an HTTP client would, and is never sent pipelined requests (they would be dropped with the
 * connection).
 */
public final class Publisher implements Runnable
{
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "transfer-encoding: chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);
    private static final long DRAIN_NS = 5_000_000_000L;
    private static final long WRITE_STALL_NS = 2_000_000_000L;
    private static final int MAX_CONNECTIONS = 256;

    private final InetSocketAddress address;
    private final ApiSigner signer;
    private final double ratePerSecond;
    private final long startNs;
    private final long measureStartNs;
    private final long endNs;
    private final int maxConnections;
    private int connectionCount;
    private final SocketChannel[] channels;
    private final ByteBuffer[] inputs;
    private final int[] outstanding;

    private volatile long sent;
    private volatile long sentMeasured;
    private volatile long scheduledMeasured;
    private volatile long ok;
    private volatile long failed;
    private volatile long maxLateNs;
    private volatile long reconnects;
    private volatile int maxOutstanding;
    private volatile boolean done;
    private boolean serverCloses;
    private volatile String firstError;

    /**
     * Creates a publisher; {@link #run()} publishes on the calling thread.
     *
     * @param host           server host.
     * @param port           server port.
     * @param signer         builds the signed requests.
     * @param ratePerSecond  publishes per second.
     * @param startNs        when the first message is due.
     * @param measureStartNs messages due at or after this count as measured.
     * @param endNs          no message is due at or after this.
     * @param connections    keep-alive connections to use.
     */
    public Publisher(
        final String host,
        final int port,
        final ApiSigner signer,
        final double ratePerSecond,
        final long startNs,
        final long measureStartNs,
        final long endNs,
        final int connections)
    {
        this.address = new InetSocketAddress(host, port);
        this.signer = signer;
        this.ratePerSecond = ratePerSecond;
        this.startNs = startNs;
        this.measureStartNs = measureStartNs;
        this.endNs = endNs;
        this.connectionCount = connections;
        this.maxConnections = Math.max(connections, MAX_CONNECTIONS);
        this.channels = new SocketChannel[maxConnections];
        this.inputs = new ByteBuffer[maxConnections];
        this.outstanding = new int[maxConnections];
    }

    /**
     * Messages written.
     *
     * @return count.
     */
    public long sent()
    {
        return sent;
    }

    /**
     * Messages written whose intended time is in the measured window.
     *
     * @return count.
     */
    public long sentMeasured()
    {
        return sentMeasured;
    }

    /**
     * Messages whose intended time is in the measured window, whether or not they could be written: the basis of
     * "delivered versus expected", so that a publish lost to a refused or closed connection counts as undelivered.
     *
     * @return count.
     */
    public long scheduledMeasured()
    {
        return scheduledMeasured;
    }

    /**
     * 2xx responses.
     *
     * @return count.
     */
    public long ok()
    {
        return ok;
    }

    /**
     * Other responses and failed writes.
     *
     * @return count.
     */
    public long failed()
    {
        return failed;
    }

    /**
     * The worst lateness of an actual write behind its intended time.
     *
     * @return nanoseconds.
     */
    public long maxLateNs()
    {
        return maxLateNs;
    }

    /**
     * Connections opened again because the server closed them after a response.
     *
     * @return count.
     */
    public long reconnects()
    {
        return reconnects;
    }

    /**
     * The most unanswered requests seen on one connection.
     *
     * @return count.
     */
    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    /**
     * True once publishing and the response drain have ended.
     *
     * @return done.
     */
    public boolean done()
    {
        return done;
    }

    /**
     * The first error, or null.
     *
     * @return text.
     */
    public String firstError()
    {
        return firstError;
    }

    /** Publishes until {@code endNs}, then waits (bounded) for the outstanding responses. */
    @Override
    public void run()
    {
        try
        {
            for (int i = 0; i < connectionCount; i++)
            {
                open(i);
            }
            final double intervalNs = 1e9 / ratePerSecond;
            for (long i = 0; ; i++)
            {
                final long intended = startNs + (long)(i * intervalNs);
                if (intended - endNs >= 0)
                {
                    break;
                }
                long now;
                while ((now = System.nanoTime()) - intended < 0)
                {
                    poll();
                    final long wait = intended - now;
                    if (wait > 30_000)
                    {
                        LockSupport.parkNanos(Math.min(wait - 20_000, 500_000));
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
                maxLateNs = Math.max(maxLateNs, now - intended);
                if (intended - measureStartNs >= 0)
                {
                    scheduledMeasured++;
                }
                if (!publish(i, intended))
                {
                    break;
                }
            }
            final long drainDeadline = System.nanoTime() + DRAIN_NS;
            while (unanswered() > 0 && System.nanoTime() - drainDeadline < 0)
            {
                poll();
                LockSupport.parkNanos(200_000);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            error("publisher: " + ex);
        }
        finally
        {
            for (int i = 0; i < connectionCount; i++)
            {
                if (channels[i] != null)
                {
                    try
                    {
                        channels[i].close();
                    }
                    catch (final IOException ignore)
                    {
                        // closing anyway
                    }
                }
            }
            done = true;
        }
    }

    private boolean publish(final long sequence, final long intended) throws IOException
    {
        final byte[] request = signer.build(sequence, intended, System.currentTimeMillis() / 1000);
        final int best;
        try
        {
            best = pick();
        }
        catch (final IOException ex)
        {
            // no connection could be opened (refused, out of ports): this message is lost, the schedule goes on
            failed++;
            error("publisher: connect failed: " + ex);
            return true;
        }
        final ByteBuffer out = ByteBuffer.wrap(request, 0, signer.requestLength());
        final long stallDeadline = System.nanoTime() + WRITE_STALL_NS;
        while (out.hasRemaining())
        {
            if (channels[best] == null)
            {
                failed++;
                error("publisher: connection closed during a write");
                return true;
            }
            final int written;
            try
            {
                written = channels[best].write(out);
            }
            catch (final IOException ex)
            {
                // The server closed this connection (soketi answers every API request with Connection: close and
                // a request may already be queued behind it): count the message as lost and carry on, open-loop.
                failed++;
                error("publisher: write failed: " + ex);
                close(best);
                return true;
            }
            if (written == 0)
            {
                poll();
                if (System.nanoTime() - stallDeadline > 0)
                {
                    failed++;
                    error("publisher: a write stalled for 2 s");
                    return false;
                }
                LockSupport.parkNanos(50_000);
            }
        }
        outstanding[best]++;
        maxOutstanding = Math.max(maxOutstanding, outstanding[best]);
        sent++;
        if (intended - measureStartNs >= 0)
        {
            sentMeasured++;
        }
        return true;
    }

    private int pick() throws IOException
    {
        final long giveUpNs = System.nanoTime() + WRITE_STALL_NS;
        while (true)
        {
            int best = -1;
            int closed = -1;
            for (int i = 0; i < connectionCount; i++)
            {
                if (channels[i] == null)
                {
                    closed = closed < 0 ? i : closed;
                }
                else if (outstanding[i] == 0)
                {
                    return i;
                }
                else if (best < 0 || outstanding[i] < outstanding[best])
                {
                    best = i;
                }
            }
            if (closed >= 0)
            {
                reconnects++;
                open(closed);
                return closed;
            }
            if (connectionCount < maxConnections)
            {
                open(connectionCount++);
                return connectionCount - 1;
            }
            // A server that closes after every response would drop requests pipelined behind the first one, so
            // with such a server wait (bounded) for a connection to come free; the message keeps its intended time,
            // so the wait shows up as latency.
            if (!serverCloses || System.nanoTime() - giveUpNs > 0)
            {
                return best;
            }
            poll();
            Thread.onSpinWait();
        }
    }

    private void open(final int index) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        channel.configureBlocking(false);
        channels[index] = channel;
        if (inputs[index] == null)
        {
            inputs[index] = ByteBuffer.allocate(64 * 1024);
        }
        inputs[index].clear();
        outstanding[index] = 0;
    }

    private void close(final int index)
    {
        try
        {
            channels[index].close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        channels[index] = null;
        if (outstanding[index] > 0)
        {
            failed += outstanding[index];
            error("publisher: server closed a connection with " + outstanding[index] + " requests unanswered");
            outstanding[index] = 0;
        }
    }

    private int unanswered()
    {
        int total = 0;
        for (final int n : outstanding)
        {
            total += n;
        }
        return total;
    }

    private void poll() throws IOException
    {
        for (int i = 0; i < connectionCount; i++)
        {
            if (channels[i] == null)
            {
                continue;
            }
            final ByteBuffer in = inputs[i];
            int n;
            try
            {
                n = channels[i].read(in);
            }
            catch (final IOException ex)
            {
                // connection reset: whatever was unanswered on it is counted as failed by close()
                n = -1;
            }
            if (n > 0 || in.position() > 0)
            {
                parse(i, in);
            }
            if (n < 0 && channels[i] != null)
            {
                close(i);
            }
        }
    }

    private void parse(final int index, final ByteBuffer in)
    {
        in.flip();
        while (in.hasRemaining())
        {
            final int limit = in.limit();
            final int start = in.position();
            final int headerEnd = SubscriberPool.indexOf(in, start, limit, HEADER_END, false);
            if (headerEnd < 0)
            {
                break;
            }
            final int bodyStart = headerEnd + 4;
            int end = -1;
            final int lengthAt = SubscriberPool.indexOf(in, start, headerEnd, CONTENT_LENGTH, true);
            if (lengthAt >= 0)
            {
                int p = lengthAt + CONTENT_LENGTH.length;
                while (in.get(p) == ' ')
                {
                    p++;
                }
                int length = 0;
                while (p < headerEnd && in.get(p) >= '0' && in.get(p) <= '9')
                {
                    length = length * 10 + (in.get(p++) - '0');
                }
                end = bodyStart + length <= limit ? bodyStart + length : -1;
            }
            else if (SubscriberPool.indexOf(in, start, headerEnd, CHUNKED, true) >= 0)
            {
                final int last = SubscriberPool.indexOf(in, bodyStart, limit, LAST_CHUNK, false);
                end = last < 0 ? -1 : last + LAST_CHUNK.length;
            }
            else
            {
                end = bodyStart;
            }
            if (end < 0)
            {
                break;
            }
            final int status = (in.get(start + 9) - '0') * 100 + (in.get(start + 10) - '0') * 10 +
                (in.get(start + 11) - '0');
            if (status >= 200 && status < 300)
            {
                ok++;
            }
            else
            {
                failed++;
                final byte[] text = new byte[Math.min(end - start, 300)];
                in.get(start, text);
                error("publish answered " + status + ": " + new String(text, StandardCharsets.UTF_8));
            }
            outstanding[index]--;
            in.position(end);
            if (SubscriberPool.indexOf(in, start, headerEnd, CONNECTION_CLOSE, true) >= 0)
            {
                serverCloses = true;
                close(index);
                in.clear();
                return;
            }
        }
        in.compact();
    }

    private void error(final String text)
    {
        if (firstError == null)
        {
            firstError = text;
        }
    }
}
