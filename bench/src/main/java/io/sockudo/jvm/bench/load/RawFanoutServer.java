package io.sockudo.jvm.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

/**
 * The machine's ceiling: a WebSocket fan-out with no protocol at all. {@code GET} upgrades are answered with a 101
 * and the socket joins the one subscriber list (nothing is ever read from it again); a keep-alive {@code POST} (the
 * load generator's publisher, signature ignored) has the {@code "data":"…"} string of its body wrapped once in a
 * fixed Pusher-shaped text frame, written to every subscriber by one thread at a time with blocking writes, and is
 * answered {@code 200 {}}. No JSON parsing, no auth, no per-subscriber state.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.sockudo.jvm.bench.load.RawFanoutServer --port 6001 --max-seconds 3600
 * </pre>
 */
public final class RawFanoutServer
{
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME_PREFIX = "{\"event\":\"timed\",\"channel\":\"bench\",\"data\":\""
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Object fanOutLock = new Object();
    private OutputStream[] subscribers = new OutputStream[1024];
    private Socket[] subscriberSockets = new Socket[1024];
    private int subscriberCount;
    private final byte[] frame = new byte[128 * 1024];
    private final byte[] acceptBuffer = new byte[16 * 1024];

    private RawFanoutServer()
    {
    }

    /**
     * Starts the server and blocks until {@code --max-seconds} pass or the process is killed.
     *
     * @param args {@code --host 127.0.0.1 --port 6001 --max-seconds 3600}.
     * @throws IOException if the port cannot be bound.
     */
    public static void main(final String[] args) throws IOException
    {
        String host = "127.0.0.1";
        int port = 6001;
        long maxSeconds = 3600;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final long deadlineMs = System.currentTimeMillis() + maxSeconds * 1000;
        final RawFanoutServer server = new RawFanoutServer();
        try (ServerSocket listener = new ServerSocket(port, 4096, InetAddress.getByName(host)))
        {
            listener.setSoTimeout(1000);
            System.out.println("raw fan-out server listening on " + host + ":" + listener.getLocalPort());
            while (System.currentTimeMillis() < deadlineMs)
            {
                final Socket socket;
                try
                {
                    socket = listener.accept();
                }
                catch (final java.net.SocketTimeoutException ex)
                {
                    continue;
                }
                catch (final IOException ex)
                {
                    // e.g. out of file descriptors: keep serving the sockets already accepted
                    System.err.println("accept failed: " + ex);
                    LockSupport.parkNanos(100_000_000L);
                    continue;
                }
                server.accept(socket);
            }
        }
        System.exit(0);
    }

    private void accept(final Socket socket)
    {
        try
        {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            // One buffer on the accept thread for every handshake: a subscriber costs no heap beyond its socket.
            final InputStream raw = socket.getInputStream();
            final byte[] head = acceptBuffer;
            int length = 0;
            int end = -1;
            while (end < 0 && length < head.length)
            {
                final int n = raw.read(head, length, head.length - length);
                if (n < 0)
                {
                    break;
                }
                length += n;
                end = headerEnd(head, length);
            }
            if (end < 0)
            {
                socket.close();
                return;
            }
            final String request = new String(head, 0, end, StandardCharsets.ISO_8859_1);
            if (request.startsWith("GET ") && request.toLowerCase().contains("upgrade: websocket"))
            {
                upgrade(socket, request);
            }
            else if (request.startsWith("POST "))
            {
                final InputStream in = new BufferedInputStream(new SequenceInputStream(
                    new ByteArrayInputStream(Arrays.copyOfRange(head, end, length)), raw), 16 * 1024);
                final Thread thread = new Thread(() -> publisherLoop(socket, in, request), "raw-publisher");
                thread.setDaemon(true);
                thread.start();
            }
            else
            {
                socket.getOutputStream().write(OK);
                socket.close();
            }
        }
        catch (final IOException ex)
        {
            closeQuietly(socket);
        }
    }

    private static int headerEnd(final byte[] head, final int length)
    {
        for (int i = 3; i < length; i++)
        {
            if (head[i] == '\n' && head[i - 1] == '\r' && head[i - 2] == '\n' && head[i - 3] == '\r')
            {
                return i + 1;
            }
        }
        return -1;
    }

    private void upgrade(final Socket socket, final String request) throws IOException
    {
        final String key = header(request, "sec-websocket-key");
        final String accept;
        try
        {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        final OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        synchronized (fanOutLock)
        {
            if (subscriberCount == subscribers.length)
            {
                subscribers = Arrays.copyOf(subscribers, subscriberCount * 2);
                subscriberSockets = Arrays.copyOf(subscriberSockets, subscriberCount * 2);
            }
            subscriberSockets[subscriberCount] = socket;
            subscribers[subscriberCount++] = out;
        }
    }

    private void publisherLoop(final Socket socket, final InputStream in, final String firstHead)
    {
        try
        {
            socket.setSoTimeout(0);
            final OutputStream out = socket.getOutputStream();
            final byte[] head = new byte[8192];
            final byte[] body = new byte[128 * 1024];
            String request = firstHead;
            for (long served = 0; served < Long.MAX_VALUE; served++)
            {
                final int length = Integer.parseInt(header(request, "content-length").trim());
                if (length > body.length || !readFully(in, body, length))
                {
                    break;
                }
                fanOut(body, length);
                out.write(OK);
                final int headLength = readHead(in, head);
                if (headLength < 0)
                {
                    break;
                }
                request = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // the publisher went away
        }
        closeQuietly(socket);
    }

    private void fanOut(final byte[] body, final int length)
    {
        int start = -1;
        for (int i = 0; i + DATA_KEY.length <= length && start < 0; i++)
        {
            boolean match = true;
            for (int j = 0; j < DATA_KEY.length && match; j++)
            {
                match = body[i + j] == DATA_KEY[j];
            }
            start = match ? i + DATA_KEY.length : -1;
        }
        if (start < 0)
        {
            return;
        }
        int end = start;
        while (end < length && body[end] != '"')
        {
            end++;
        }
        synchronized (fanOutLock)
        {
            final int payload = FRAME_PREFIX.length + (end - start) + 2;
            int p = 0;
            frame[p++] = (byte)0x81;
            if (payload < 126)
            {
                frame[p++] = (byte)payload;
            }
            else
            {
                frame[p++] = 126;
                frame[p++] = (byte)(payload >>> 8);
                frame[p++] = (byte)payload;
            }
            System.arraycopy(FRAME_PREFIX, 0, frame, p, FRAME_PREFIX.length);
            p += FRAME_PREFIX.length;
            System.arraycopy(body, start, frame, p, end - start);
            p += end - start;
            frame[p++] = '"';
            frame[p++] = '}';
            int live = 0;
            for (int i = 0; i < subscriberCount; i++)
            {
                try
                {
                    subscribers[i].write(frame, 0, p);
                    subscriberSockets[live] = subscriberSockets[i];
                    subscribers[live++] = subscribers[i];
                }
                catch (final IOException ex)
                {
                    // a subscriber that has gone leaves the list and frees its descriptor
                    closeQuietly(subscriberSockets[i]);
                }
            }
            for (int i = live; i < subscriberCount; i++)
            {
                subscribers[i] = null;
                subscriberSockets[i] = null;
            }
            subscriberCount = live;
        }
    }

    private static int readHead(final InputStream in, final byte[] head) throws IOException
    {
        int length = 0;
        while (length < head.length)
        {
            final int b = in.read();
            if (b < 0)
            {
                return -1;
            }
            head[length++] = (byte)b;
            if (length >= 4 && head[length - 1] == '\n' && head[length - 2] == '\r' && head[length - 3] == '\n' &&
                head[length - 4] == '\r')
            {
                return length;
            }
        }
        return -1;
    }

    private static boolean readFully(final InputStream in, final byte[] body, final int length) throws IOException
    {
        int read = 0;
        while (read < length)
        {
            final int n = in.read(body, read, length - read);
            if (n < 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    private static String header(final String request, final String name)
    {
        for (final String line : request.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }
}
