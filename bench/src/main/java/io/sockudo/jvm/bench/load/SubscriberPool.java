package io.sockudo.jvm.bench.load;

import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Many WebSocket subscribers on one selector thread, with a minimal client handshake and frame parser.
 *
 * <p>Each socket sends an RFC 6455 upgrade, checks {@code Sec-WebSocket-Accept}, then (Pusher protocol) waits for
 * {@code pusher:connection_established}, sends a masked {@code pusher:subscribe} and waits for
 * {@code pusher_internal:subscription_succeeded}. In raw mode (the no-protocol baseline) a socket counts as
 * subscribed as soon as the upgrade succeeds. Every text frame is searched for the {@code ~} marker that the
 * publisher puts in the data string, followed by the 16 hex digits of the message's intended send time
 * ({@link System#nanoTime()} in this JVM); latency is the time of the read that delivered the frame minus that
 * value. Server pings (WebSocket and {@code pusher:ping}) are answered.
 *
 * <p>Protocol V2 ({@link #WIRE_V2}) connects with {@code ?protocol=2} and uses the {@code sockudo:} /
 * {@code sockudo_internal:} names. On V2 the first timed message of each subscriber is also checked for the
 * {@code sockudo_message_serial} header of a versioned create ({@link #versionedSubscribers()}). In summary mode
 * (the annotation scenario) frames holding {@code message.summary} are the deliveries: they carry no marker, so the
 * k-th summary a subscriber receives after {@link #matchSummaries} is taken to answer the k-th annotation publish,
 * whose intended time is {@code startNs + (long)(k * 1e9 / rate)} exactly as {@link Publisher} schedules it.
 *
 * <p>Steady subscribers stay connected; churners (the ci-local scenario) live a random time, close, and reconnect.
 * Counters are written only by the pool thread and read by others through volatile fields.
 */
public final class SubscriberPool implements Runnable
{
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCEPT_HEADER = "sec-websocket-accept:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ESTABLISHED = "connection_established".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBED = "subscription_succeeded".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUSHER_ERROR = "pusher:error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUSHER_PING = "pusher:ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUSHER_PONG = "{\"event\":\"pusher:pong\",\"data\":{}}"
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOCKUDO_ERROR = "sockudo:error".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOCKUDO_PING = "sockudo:ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOCKUDO_PONG = "{\"event\":\"sockudo:pong\",\"data\":{}}"
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_SERIAL_HEADER =
        "\"sockudo_message_serial\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUMMARY = "\"message.summary\"".getBytes(StandardCharsets.US_ASCII);
    /** No protocol: subscribed once upgraded (the raw baseline). */
    public static final int WIRE_RAW = 0;
    /** Pusher protocol 7 ({@code pusher:} names). */
    public static final int WIRE_V1 = 1;
    /** Sockudo Protocol V2 ({@code ?protocol=2}, {@code sockudo:} names). */
    public static final int WIRE_V2 = 2;
    private static final int MAX_IN_PROGRESS = 200;
    private static final long CHURN_CHECK_NS = 10_000_000L;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final String appKey;
    private final boolean raw;
    private final boolean v2;
    private final boolean summaries;
    private final byte[] ping;
    private final byte[] pong;
    private final byte[] errorEvent;
    private final byte[] subscribeMessage;
    private final Recorder recorder;
    private final SubscriberConnection[] connections;
    private final int steadyCount;
    private final long churnMinLifeNs;
    private final long churnMaxLifeNs;
    private final long hardDeadlineNs;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final ByteBuffer sendScratch = ByteBuffer.allocate(256);
    private final MessageDigest sha1;
    private final Consumer<SelectionKey> readyHandler = this::onReady;

    private volatile boolean stop;
    private volatile boolean churnEnabled;
    private volatile long measureStartNs = Long.MAX_VALUE;
    private volatile long measureEndNs = Long.MAX_VALUE;

    private volatile long subscribedSteady;
    private volatile long subscribedChurn;
    private volatile long deliveredMeasured;
    private volatile long deliveredChurnMeasured;
    private volatile long deliveredOther;
    private volatile long connectFailures;
    private volatile long closedByServer;
    private volatile long pusherErrors;
    private volatile long churnCycles;
    private volatile String firstError;
    private volatile boolean summaryCounting;
    private volatile long summaryStartNs;
    private volatile double summaryIntervalNs;
    private volatile long versionedSubscribers;
    private volatile long checkedSubscribers;
    private volatile long snapshots;
    private volatile int maxSummaryBytes;

    private int inProgress;
    private int nextToOpen;
    private long nowNs;
    private long nextChurnCheckNs;

    /**
     * Creates the pool; {@link #run()} does the work on the calling thread.
     *
     * @param host           the server host (an IP literal).
     * @param port           the server port.
     * @param appKey         the app key in the WebSocket path.
     * @param channel        the channel every socket subscribes to.
     * @param wire           {@link #WIRE_RAW}, {@link #WIRE_V1} or {@link #WIRE_V2}.
     * @param summaries      true to count {@code message.summary} frames as the deliveries (annotation scenario).
     * @param steady         steady subscribers, opened first.
     * @param churners       churning subscribers, opened once {@link #enableChurn()} is called.
     * @param churnMinLifeMs shortest churner lifetime.
     * @param churnMaxLifeMs longest churner lifetime.
     * @param recorder       where latencies (ns) of measured messages go; written only by this thread.
     * @param hardLimitMs    the pool thread ends after this long whatever happens.
     * @throws IOException if the selector cannot be opened.
     */
    public SubscriberPool(
        final String host,
        final int port,
        final String appKey,
        final String channel,
        final int wire,
        final boolean summaries,
        final int steady,
        final int churners,
        final long churnMinLifeMs,
        final long churnMaxLifeMs,
        final Recorder recorder,
        final long hardLimitMs) throws IOException
    {
        this.address = new InetSocketAddress(host, port);
        this.hostHeader = host + ":" + port;
        this.appKey = appKey;
        this.raw = wire == WIRE_RAW;
        this.v2 = wire == WIRE_V2;
        this.summaries = summaries;
        this.ping = v2 ? SOCKUDO_PING : PUSHER_PING;
        this.pong = v2 ? SOCKUDO_PONG : PUSHER_PONG;
        this.errorEvent = v2 ? SOCKUDO_ERROR : PUSHER_ERROR;
        this.subscribeMessage = ("{\"event\":\"" + (v2 ? "sockudo" : "pusher") +
            ":subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}").getBytes(StandardCharsets.US_ASCII);
        this.recorder = recorder;
        this.steadyCount = steady;
        this.connections = new SubscriberConnection[steady + churners];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new SubscriberConnection(i, i >= steady);
        }
        this.churnMinLifeNs = churnMinLifeMs * 1_000_000L;
        this.churnMaxLifeNs = Math.max(churnMinLifeMs + 1, churnMaxLifeMs) * 1_000_000L;
        this.hardDeadlineNs = System.nanoTime() + hardLimitMs * 1_000_000L;
        this.selector = Selector.open();
        try
        {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sets the measured window: messages whose intended send time falls in [start, end) are counted and recorded.
     *
     * @param startNs window start, {@link System#nanoTime()} clock.
     * @param endNs   window end.
     */
    public void measureWindow(final long startNs, final long endNs)
    {
        measureStartNs = startNs;
        measureEndNs = endNs;
    }

    /**
     * Summary mode: from now on the k-th summary frame a subscriber receives (k from 0) is matched to the publish
     * due at {@code startNs + (long)(k * (1e9 / publishRate))}; summaries received before (snapshots) are counted
     * apart. Call it once, before the first annotation is published.
     *
     * @param startNs     when the first publish is due, {@link System#nanoTime()} clock.
     * @param publishRate publishes per second, as given to {@link Publisher}.
     */
    public void matchSummaries(final long startNs, final double publishRate)
    {
        summaryStartNs = startNs;
        summaryIntervalNs = 1e9 / publishRate;
        summaryCounting = true;
    }

    /**
     * V2: subscribers whose first timed message carried the {@code sockudo_message_serial} header (a versioned
     * create).
     *
     * @return count.
     */
    public long versionedSubscribers()
    {
        return versionedSubscribers;
    }

    /**
     * V2: subscribers whose first timed message was checked for that header.
     *
     * @return count.
     */
    public long checkedSubscribers()
    {
        return checkedSubscribers;
    }

    /**
     * Summary frames received before {@link #matchSummaries} (snapshots on subscribe).
     *
     * @return count.
     */
    public long snapshots()
    {
        return snapshots;
    }

    /**
     * The largest summary frame payload seen.
     *
     * @return bytes.
     */
    public int maxSummaryBytes()
    {
        return maxSummaryBytes;
    }

    /** Starts opening the churners. */
    public void enableChurn()
    {
        churnEnabled = true;
    }

    /** Asks the pool thread to close every socket and return. */
    public void stop()
    {
        stop = true;
        selector.wakeup();
    }

    /**
     * Steady sockets that are subscribed now.
     *
     * @return count.
     */
    public long subscribedSteady()
    {
        return subscribedSteady;
    }

    /**
     * Churning sockets that are subscribed now.
     *
     * @return count.
     */
    public long subscribedChurn()
    {
        return subscribedChurn;
    }

    /**
     * Measured messages delivered to steady sockets.
     *
     * @return count.
     */
    public long deliveredMeasured()
    {
        return deliveredMeasured;
    }

    /**
     * Measured messages delivered to churning sockets.
     *
     * @return count.
     */
    public long deliveredChurnMeasured()
    {
        return deliveredChurnMeasured;
    }

    /**
     * Messages delivered outside the measured window (warm-up).
     *
     * @return count.
     */
    public long deliveredOther()
    {
        return deliveredOther;
    }

    /**
     * Connects or handshakes that failed.
     *
     * @return count.
     */
    public long connectFailures()
    {
        return connectFailures;
    }

    /**
     * Sockets the server closed (or reset) while they were open.
     *
     * @return count.
     */
    public long closedByServer()
    {
        return closedByServer;
    }

    /**
     * {@code pusher:error} messages received.
     *
     * @return count.
     */
    public long pusherErrors()
    {
        return pusherErrors;
    }

    /**
     * Completed churn cycles (close then reopen).
     *
     * @return count.
     */
    public long churnCycles()
    {
        return churnCycles;
    }

    /**
     * The first error seen, or null.
     *
     * @return text.
     */
    public String firstError()
    {
        return firstError;
    }

    /** Runs the selector loop until {@link #stop()} or the hard limit. */
    @Override
    public void run()
    {
        try
        {
            while (!stop)
            {
                nowNs = System.nanoTime();
                if (nowNs - hardDeadlineNs > 0)
                {
                    error("subscriber pool hit its hard time limit");
                    break;
                }
                openMore();
                if (churnEnabled && nowNs - nextChurnCheckNs > 0)
                {
                    nextChurnCheckNs = nowNs + CHURN_CHECK_NS;
                    churn();
                }
                selector.select(readyHandler, 1);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            error("subscriber pool failed: " + ex);
        }
        finally
        {
            for (final SubscriberConnection c : connections)
            {
                closeQuietly(c);
            }
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }

    private void openMore()
    {
        final int limit = churnEnabled ? connections.length : steadyCount;
        while (inProgress < MAX_IN_PROGRESS && nextToOpen < limit)
        {
            open(connections[nextToOpen++]);
        }
    }

    private void churn()
    {
        for (int i = steadyCount; i < connections.length; i++)
        {
            final SubscriberConnection c = connections[i];
            if (c.state == SubscriberConnection.SUBSCRIBED && nowNs - c.closeAtNs > 0)
            {
                sendFrame(c, 0x88, null, 0);
                subscribedChurn--;
                closeQuietly(c);
                c.state = SubscriberConnection.CLOSED;
                c.reopenAtNs = nowNs;
                churnCycles++;
            }
            else if (c.state == SubscriberConnection.CLOSED && inProgress < MAX_IN_PROGRESS &&
                nowNs - c.reopenAtNs >= 0)
            {
                open(c);
            }
        }
    }

    private void open(final SubscriberConnection c)
    {
        c.reset();
        try
        {
            final SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            c.channel = channel;
            c.state = SubscriberConnection.CONNECTING;
            inProgress++;
            if (channel.connect(address))
            {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                sendHandshake(c);
            }
            else
            {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }
        catch (final IOException ex)
        {
            failConnect(c, "connect: " + ex);
        }
    }

    private void sendHandshake(final SubscriberConnection c) throws IOException
    {
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        final String key = Base64.getEncoder().encodeToString(nonce);
        sha1.reset();
        c.expectedAccept = Base64.getEncoder().encodeToString(
            sha1.digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
        final String path = raw ? "/raw" : "/app/" + appKey + (v2 ? "?protocol=2" : "?protocol=7") +
            "&client=java-load&version=1.0&flash=false";
        final String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
            "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        c.state = SubscriberConnection.HANDSHAKE;
        write(c, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    private void onReady(final SelectionKey key)
    {
        final SubscriberConnection c = (SubscriberConnection)key.attachment();
        try
        {
            if (!key.isValid())
            {
                return;
            }
            if (key.isConnectable())
            {
                if (c.channel.finishConnect())
                {
                    key.interestOps(SelectionKey.OP_READ);
                    sendHandshake(c);
                }
                return;
            }
            if (key.isWritable())
            {
                flush(c);
            }
            if (key.isReadable())
            {
                read(c);
            }
        }
        catch (final IOException ex)
        {
            lost(c, ex.toString());
        }
    }

    private void read(final SubscriberConnection c) throws IOException
    {
        final ByteBuffer buffer = readBuffer;
        buffer.clear();
        if (c.carryLength > 0)
        {
            buffer.put(c.carry, 0, c.carryLength);
            c.carryLength = 0;
        }
        final int n = c.channel.read(buffer);
        if (n < 0)
        {
            lost(c, "closed by server");
            return;
        }
        final long deliveredAt = System.nanoTime();
        buffer.flip();
        int position = 0;
        final int limit = buffer.limit();
        if (c.state == SubscriberConnection.HANDSHAKE)
        {
            final int end = indexOf(buffer, 0, limit, HEADER_END, false);
            if (end < 0)
            {
                if (limit > 8192)
                {
                    failConnect(c, "handshake response too long");
                }
                else
                {
                    keep(c, buffer, 0, limit);
                }
                return;
            }
            if (!checkUpgrade(c, buffer, end))
            {
                return;
            }
            position = end + HEADER_END.length;
        }
        while (position < limit && c.channel != null)
        {
            final int consumed = frame(c, buffer, position, limit, deliveredAt);
            if (consumed == 0)
            {
                keep(c, buffer, position, limit);
                return;
            }
            position += consumed;
        }
    }

    private boolean checkUpgrade(final SubscriberConnection c, final ByteBuffer buffer, final int end)
    {
        final boolean switching = end > 12 && buffer.get(9) == '1' && buffer.get(10) == '0' && buffer.get(11) == '1';
        final int acceptAt = indexOf(buffer, 0, end, ACCEPT_HEADER, true);
        boolean acceptOk = false;
        if (acceptAt >= 0)
        {
            int from = acceptAt + ACCEPT_HEADER.length;
            while (from < end && buffer.get(from) == ' ')
            {
                from++;
            }
            final String expected = c.expectedAccept;
            acceptOk = from + expected.length() <= end;
            for (int i = 0; acceptOk && i < expected.length(); i++)
            {
                acceptOk = buffer.get(from + i) == expected.charAt(i);
            }
        }
        if (!switching || !acceptOk)
        {
            final byte[] head = new byte[Math.min(end, 200)];
            buffer.get(0, head);
            failConnect(c, "bad upgrade response: " + new String(head, StandardCharsets.ISO_8859_1));
            return false;
        }
        if (raw)
        {
            subscribed(c);
        }
        else
        {
            c.state = SubscriberConnection.WAIT_ESTABLISHED;
        }
        return true;
    }

    /**
     * Handles one frame at {@code start}; returns the bytes consumed, or 0 when the frame is not complete yet.
     */
    private int frame(
        final SubscriberConnection c, final ByteBuffer buffer, final int start, final int limit, final long at)
    {
        if (limit - start < 2)
        {
            return 0;
        }
        final int b0 = buffer.get(start) & 0xFF;
        final int b1 = buffer.get(start + 1) & 0xFF;
        int header = 2;
        long length = b1 & 0x7F;
        if (length == 126)
        {
            if (limit - start < 4)
            {
                return 0;
            }
            length = buffer.getShort(start + 2) & 0xFFFF;
            header = 4;
        }
        else if (length == 127)
        {
            if (limit - start < 10)
            {
                return 0;
            }
            length = buffer.getLong(start + 2);
            header = 10;
        }
        if ((b1 & 0x80) != 0 || length < 0 || length > 16 * 1024 * 1024)
        {
            lost(c, "bad frame from server: masked or oversized");
            return limit - start;
        }
        final long total = header + length;
        if (limit - start < total)
        {
            return 0;
        }
        final int payload = start + header;
        final int end = (int)(payload + length);
        final int opcode = b0 & 0x0F;
        if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0)
        {
            message(c, buffer, payload, end, at);
        }
        else if (opcode == 0x9)
        {
            final int pingLength = end - payload;
            final byte[] pong = new byte[pingLength];
            buffer.get(payload, pong);
            sendFrame(c, 0x8A, pong, pingLength);
        }
        else if (opcode == 0x8)
        {
            lost(c, "close frame from server");
        }
        return (int)total;
    }

    private void message(
        final SubscriberConnection c, final ByteBuffer buffer, final int from, final int to, final long at)
    {
        if (c.state == SubscriberConnection.SUBSCRIBED)
        {
            // the summary's marker sits in the first ~80 bytes, so in summary mode look for it first
            if (summaries && indexOf(buffer, from, Math.min(to, from + 160), SUMMARY, false) >= 0)
            {
                summary(c, to - from, at);
                return;
            }
            for (int i = from; i < to; i++)
            {
                if (buffer.get(i) == '~' && i + 16 < to)
                {
                    if (v2 && !c.versionChecked)
                    {
                        checkVersioned(c, buffer, i, to);
                    }
                    deliver(c, parseHex(buffer, i + 1), at);
                    return;
                }
            }
            if (indexOf(buffer, from, to, ping, false) >= 0)
            {
                sendFrame(c, 0x81, pong, pong.length);
            }
            else if (indexOf(buffer, from, to, errorEvent, false) >= 0)
            {
                pusherError(buffer, from, to);
            }
        }
        else if (c.state == SubscriberConnection.WAIT_ESTABLISHED &&
            indexOf(buffer, from, to, ESTABLISHED, false) >= 0)
        {
            c.state = SubscriberConnection.SUBSCRIBING;
            sendFrame(c, 0x81, subscribeMessage, subscribeMessage.length);
        }
        else if (c.state == SubscriberConnection.SUBSCRIBING && indexOf(buffer, from, to, SUBSCRIBED, false) >= 0)
        {
            subscribed(c);
        }
        else if (indexOf(buffer, from, to, errorEvent, false) >= 0)
        {
            pusherError(buffer, from, to);
        }
    }

    private void checkVersioned(final SubscriberConnection c, final ByteBuffer buffer, final int from, final int to)
    {
        c.versionChecked = true;
        checkedSubscribers++;
        if (indexOf(buffer, from, to, MESSAGE_SERIAL_HEADER, false) >= 0)
        {
            versionedSubscribers++;
        }
    }

    private void summary(final SubscriberConnection c, final int length, final long at)
    {
        if (!summaryCounting)
        {
            snapshots++;
            return;
        }
        if (length > maxSummaryBytes)
        {
            maxSummaryBytes = length;
        }
        final long k = c.summaries++;
        deliver(c, summaryStartNs + (long)(k * summaryIntervalNs), at);
    }

    private void deliver(final SubscriberConnection c, final long intendedNs, final long at)
    {
        if (intendedNs - measureStartNs >= 0 && intendedNs - measureEndNs < 0)
        {
            recorder.recordValue(Math.max(0, at - intendedNs));
            if (c.churner)
            {
                deliveredChurnMeasured++;
            }
            else
            {
                deliveredMeasured++;
            }
        }
        else
        {
            deliveredOther++;
        }
    }

    private void subscribed(final SubscriberConnection c)
    {
        c.state = SubscriberConnection.SUBSCRIBED;
        inProgress--;
        if (c.churner)
        {
            subscribedChurn++;
            c.closeAtNs = nowNs + churnMinLifeNs +
                ThreadLocalRandom.current().nextLong(churnMaxLifeNs - churnMinLifeNs);
        }
        else
        {
            subscribedSteady++;
        }
    }

    private void pusherError(final ByteBuffer buffer, final int from, final int to)
    {
        pusherErrors++;
        final byte[] text = new byte[Math.min(to - from, 300)];
        buffer.get(from, text);
        error("pusher:error " + new String(text, StandardCharsets.UTF_8));
    }

    private void sendFrame(final SubscriberConnection c, final int b0, final byte[] payload, final int length)
    {
        if (c.channel == null || length > 125)
        {
            return;
        }
        final ByteBuffer out = sendScratch;
        out.clear();
        out.put((byte)b0).put((byte)(0x80 | length));
        final int mask = ThreadLocalRandom.current().nextInt();
        out.putInt(mask);
        for (int i = 0; i < length; i++)
        {
            out.put((byte)(payload[i] ^ (mask >>> (8 * (3 - (i & 3))))));
        }
        out.flip();
        try
        {
            write(c, out);
        }
        catch (final IOException ex)
        {
            lost(c, ex.toString());
        }
    }

    private void write(final SubscriberConnection c, final ByteBuffer data) throws IOException
    {
        if (c.pendingOut == null)
        {
            c.channel.write(data);
            if (!data.hasRemaining())
            {
                return;
            }
            c.pendingOut = ByteBuffer.allocate(Math.max(1024, data.remaining()));
            c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
        }
        if (c.pendingOut.remaining() < data.remaining())
        {
            final ByteBuffer bigger = ByteBuffer.allocate(c.pendingOut.position() + data.remaining() * 2);
            c.pendingOut.flip();
            bigger.put(c.pendingOut);
            c.pendingOut = bigger;
        }
        c.pendingOut.put(data);
    }

    private void flush(final SubscriberConnection c) throws IOException
    {
        if (c.pendingOut != null)
        {
            c.pendingOut.flip();
            c.channel.write(c.pendingOut);
            if (c.pendingOut.hasRemaining())
            {
                c.pendingOut.compact();
                return;
            }
            c.pendingOut = null;
        }
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void keep(final SubscriberConnection c, final ByteBuffer buffer, final int from, final int to)
    {
        final int length = to - from;
        if (c.carry.length < length)
        {
            c.carry = new byte[Math.max(length, c.carry.length * 2)];
        }
        buffer.get(from, c.carry, 0, length);
        c.carryLength = length;
    }

    private void lost(final SubscriberConnection c, final String why)
    {
        if (c.state == SubscriberConnection.SUBSCRIBED)
        {
            closedByServer++;
            if (c.churner)
            {
                subscribedChurn--;
            }
            else
            {
                subscribedSteady--;
            }
            error("subscriber " + c.index + " lost: " + why);
            closeQuietly(c);
            c.state = SubscriberConnection.CLOSED;
            c.reopenAtNs = nowNs + 100_000_000L;
        }
        else if (c.state != SubscriberConnection.CLOSED && c.state != SubscriberConnection.IDLE)
        {
            failConnect(c, why);
        }
    }

    private void failConnect(final SubscriberConnection c, final String why)
    {
        connectFailures++;
        inProgress--;
        error("subscriber " + c.index + " failed to connect: " + why);
        closeQuietly(c);
        c.state = SubscriberConnection.CLOSED;
        c.reopenAtNs = nowNs + 100_000_000L;
    }

    private void error(final String text)
    {
        if (firstError == null)
        {
            firstError = text;
        }
    }

    private static void closeQuietly(final SubscriberConnection c)
    {
        if (c.channel != null)
        {
            try
            {
                c.channel.close();
            }
            catch (final IOException ignore)
            {
                // already closing
            }
            c.channel = null;
            c.key = null;
        }
    }

    private static long parseHex(final ByteBuffer buffer, final int from)
    {
        long value = 0;
        for (int i = from; i < from + 16; i++)
        {
            final int b = buffer.get(i);
            final int digit = b <= '9' ? b - '0' : b - 'a' + 10;
            value = (value << 4) | (digit & 0xF);
        }
        return value;
    }

    /**
     * Finds {@code pattern} in {@code buffer[from, to)}; with {@code ignoreCase} the buffer is lower-cased (ASCII)
     * before comparing, so the pattern must be lower case.
     */
    static int indexOf(
        final ByteBuffer buffer, final int from, final int to, final byte[] pattern, final boolean ignoreCase)
    {
        final int last = to - pattern.length;
        outer:
        for (int i = from; i <= last; i++)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                int b = buffer.get(i + j);
                if (ignoreCase && b >= 'A' && b <= 'Z')
                {
                    b += 32;
                }
                if (b != pattern[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
