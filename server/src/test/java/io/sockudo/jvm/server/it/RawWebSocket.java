package io.sockudo.jvm.server.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny blocking WebSocket client on {@link Socket} for black-box tests.
 * <p>
 * It performs the RFC 6455 handshake with a random key (and checks {@code Sec-WebSocket-Accept}), sends masked
 * frames by default and can also send unmasked or otherwise malformed frames and raw bytes. A daemon reader
 * thread parses server frames (reassembling fragmented data messages) into a queue; the test reads them with
 * a bounded wait. When the server closes the TCP connection a synthetic {@link #OP_EOF} frame is queued.
 */
public final class RawWebSocket implements AutoCloseable
{
    /** Continuation frame opcode. */
    public static final int OP_CONTINUATION = 0x0;
    /** Text frame opcode. */
    public static final int OP_TEXT = 0x1;
    /** Binary frame opcode. */
    public static final int OP_BINARY = 0x2;
    /** Close frame opcode. */
    public static final int OP_CLOSE = 0x8;
    /** Ping frame opcode. */
    public static final int OP_PING = 0x9;
    /** Pong frame opcode. */
    public static final int OP_PONG = 0xA;
    /** Synthetic opcode queued when the server closed the TCP connection (or reading failed). */
    public static final int OP_EOF = -1;
    /** Default bound for every wait on the server. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private final String responseHead;
    private final Map<String, String> responseHeaders;
    private final String responseBody;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CountDownLatch eof = new CountDownLatch(1);
    private final Thread reader;
    private volatile Frame eofFrame;

    /**
     * One frame received from the server (data messages are already reassembled).
     *
     * @param opcode  the opcode, or {@link #OP_EOF} for the end of the TCP stream.
     * @param fin     the FIN bit of the (last) frame.
     * @param masked  whether the server masked the frame (it must not).
     * @param payload the payload bytes.
     * @param error   for {@link #OP_EOF}: why reading stopped ({@code null} on a clean end of stream).
     */
    public record Frame(int opcode, boolean fin, boolean masked, byte[] payload, String error)
    {
        /**
         * The payload decoded as UTF-8.
         *
         * @return the text.
         */
        public String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /**
         * Status code of a close frame (1005 when the close frame has no payload).
         *
         * @return the close code.
         */
        public int closeCode()
        {
            if (payload.length < 2)
            {
                return 1005;
            }
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        /**
         * Reason of a close frame.
         *
         * @return the reason, empty when absent.
         */
        public String closeReason()
        {
            if (payload.length <= 2)
            {
                return "";
            }
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        /**
         * A readable description for assertion messages.
         *
         * @return the description.
         */
        public String describe()
        {
            switch (opcode)
            {
                case OP_TEXT:
                    return "text " + text();
                case OP_CLOSE:
                    return "close " + closeCode() + " '" + closeReason() + "'";
                case OP_EOF:
                    return "end of stream" + (error == null ? "" : " (" + error + ")");
                default:
                    return "opcode " + opcode + " length " + payload.length;
            }
        }
    }

    private RawWebSocket(
        final Socket socket,
        final InputStream in,
        final OutputStream out,
        final int status,
        final String responseHead,
        final Map<String, String> responseHeaders,
        final String responseBody)
    {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.status = status;
        this.responseHead = responseHead;
        this.responseHeaders = responseHeaders;
        this.responseBody = responseBody;
        if (status == 101)
        {
            reader = new Thread(this::readLoop, "raw-ws-reader-" + socket.getLocalPort());
            reader.setDaemon(true);
            reader.start();
        }
        else
        {
            reader = null;
            eofFrame = new Frame(OP_EOF, true, false, new byte[0], "no upgrade");
            frames.add(eofFrame);
            eof.countDown();
        }
    }

    /**
     * Sends an upgrade request and returns whatever the server answered; the reader only runs after a 101.
     *
     * @param port    server port on 127.0.0.1.
     * @param target  request target, e.g. {@code /app/app-key?protocol=7}.
     * @param headers extra request headers (e.g. {@code Origin}).
     * @return the client; check {@link #status()}.
     * @throws IOException on connection failure.
     */
    public static RawWebSocket open(final int port, final String target, final Map<String, String> headers)
        throws IOException
    {
        final Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int)TIMEOUT.toMillis());
        socket.setSoTimeout((int)TIMEOUT.toMillis());
        final InputStream in = socket.getInputStream();
        final OutputStream out = socket.getOutputStream();

        final byte[] keyBytes = new byte[16];
        RANDOM.nextBytes(keyBytes);
        final String key = Base64.getEncoder().encodeToString(keyBytes);
        final StringBuilder request = new StringBuilder();
        request.append("GET ").append(target).append(" HTTP/1.1\r\n");
        request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        request.append("Upgrade: websocket\r\n");
        request.append("Connection: Upgrade\r\n");
        request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        request.append("Sec-WebSocket-Version: 13\r\n");
        for (final Map.Entry<String, String> h : headers.entrySet())
        {
            request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();

        final String head = readHead(in);
        final String[] lines = head.split("\r\n");
        final String[] statusLine = lines[0].split(" ", 3);
        final int status = Integer.parseInt(statusLine[1]);
        final Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0)
            {
                responseHeaders.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }

        String body = "";
        if (status == 101)
        {
            final String accept = responseHeaders.get("sec-websocket-accept");
            if (!expectedAccept(key).equals(accept))
            {
                socket.close();
                throw new IOException("bad Sec-WebSocket-Accept: " + accept);
            }
            socket.setSoTimeout(0);
        }
        else
        {
            body = readBody(in, responseHeaders.get("content-length"));
            socket.close();
        }
        return new RawWebSocket(socket, in, out, status, head, responseHeaders, body);
    }

    /**
     * Connects and requires a successful upgrade.
     *
     * @param port   server port on 127.0.0.1.
     * @param target request target.
     * @return the connected client.
     * @throws IOException on connection failure or when the server did not answer 101.
     */
    public static RawWebSocket connect(final int port, final String target) throws IOException
    {
        return connect(port, target, Map.of());
    }

    /**
     * Connects with extra headers and requires a successful upgrade.
     *
     * @param port    server port on 127.0.0.1.
     * @param target  request target.
     * @param headers extra request headers.
     * @return the connected client.
     * @throws IOException on connection failure or when the server did not answer 101.
     */
    public static RawWebSocket connect(final int port, final String target, final Map<String, String> headers)
        throws IOException
    {
        final RawWebSocket ws = open(port, target, headers);
        if (ws.status() != 101)
        {
            throw new IOException("upgrade refused: " + ws.responseHead() + "\r\n\r\n" + ws.responseBody());
        }
        return ws;
    }

    /**
     * HTTP status of the upgrade response.
     *
     * @return the status code (101 on success).
     */
    public int status()
    {
        return status;
    }

    /**
     * Raw head (status line and headers) of the upgrade response.
     *
     * @return the head text.
     */
    public String responseHead()
    {
        return responseHead;
    }

    /**
     * A response header, by lower-case name.
     *
     * @param lowerCaseName the header name in lower case.
     * @return the value or {@code null}.
     */
    public String responseHeader(final String lowerCaseName)
    {
        return responseHeaders.get(lowerCaseName);
    }

    /**
     * Body of a non-101 upgrade response.
     *
     * @return the body text.
     */
    public String responseBody()
    {
        return responseBody;
    }

    /**
     * Sends a masked text frame.
     *
     * @param text the message.
     * @throws IOException on write failure.
     */
    public void sendText(final String text) throws IOException
    {
        sendFrame(OP_TEXT, true, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a masked text frame with arbitrary (possibly invalid UTF-8) bytes.
     *
     * @param payload the payload.
     * @throws IOException on write failure.
     */
    public void sendTextBytes(final byte[] payload) throws IOException
    {
        sendFrame(OP_TEXT, true, true, payload);
    }

    /**
     * Sends a masked close frame.
     *
     * @param code   the status code.
     * @param reason the reason.
     * @throws IOException on write failure.
     */
    public void sendClose(final int code, final String reason) throws IOException
    {
        final byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[2 + r.length];
        payload[0] = (byte)(code >>> 8);
        payload[1] = (byte)code;
        System.arraycopy(r, 0, payload, 2, r.length);
        sendFrame(OP_CLOSE, true, true, payload);
    }

    /**
     * Sends one frame.
     *
     * @param opcode  the opcode (any 4-bit value, also reserved ones).
     * @param fin     the FIN bit.
     * @param masked  whether to mask (clients must; {@code false} produces a protocol violation).
     * @param payload the payload.
     * @throws IOException on write failure.
     */
    public void sendFrame(final int opcode, final boolean fin, final boolean masked, final byte[] payload)
        throws IOException
    {
        sendRaw(encodeFrame(opcode, fin, masked, payload));
    }

    /**
     * Writes raw bytes to the socket.
     *
     * @param bytes the bytes.
     * @throws IOException on write failure.
     */
    public void sendRaw(final byte[] bytes) throws IOException
    {
        synchronized (out)
        {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Encodes a client frame.
     *
     * @param opcode  the opcode.
     * @param fin     the FIN bit.
     * @param masked  whether to mask the payload.
     * @param payload the payload.
     * @return the frame bytes.
     */
    public static byte[] encodeFrame(final int opcode, final boolean fin, final boolean masked, final byte[] payload)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 14);
        bytes.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        final int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126)
        {
            bytes.write(maskBit | payload.length);
        }
        else if (payload.length <= 0xFFFF)
        {
            bytes.write(maskBit | 126);
            bytes.write(payload.length >>> 8);
            bytes.write(payload.length & 0xFF);
        }
        else
        {
            bytes.write(maskBit | 127);
            final long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                bytes.write((int)(length >>> shift) & 0xFF);
            }
        }
        if (masked)
        {
            final byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            bytes.write(mask, 0, 4);
            final byte[] maskedPayload = new byte[payload.length];
            for (int i = 0; i < payload.length; i++)
            {
                maskedPayload[i] = (byte)(payload[i] ^ mask[i & 3]);
            }
            bytes.write(maskedPayload, 0, maskedPayload.length);
        }
        else
        {
            bytes.write(payload, 0, payload.length);
        }
        return bytes.toByteArray();
    }

    /**
     * Next frame of any kind, waiting at most {@code timeout}; after the end of stream it keeps returning the
     * {@link #OP_EOF} frame.
     *
     * @param timeout the bound.
     * @return the frame.
     * @throws AssertionError when nothing arrived in time.
     */
    public Frame nextFrame(final Duration timeout)
    {
        final Frame f;
        try
        {
            f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        if (f == null)
        {
            throw new AssertionError("no frame from the server within " + timeout);
        }
        if (f.opcode() == OP_EOF)
        {
            frames.add(f);
        }
        return f;
    }

    /**
     * Next frame other than ping/pong control frames.
     *
     * @param timeout the bound.
     * @return the frame.
     */
    public Frame nextNonControl(final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final long left = Math.max(1, deadline - System.nanoTime());
            final Frame f = nextFrame(Duration.ofNanos(left));
            if (f.masked())
            {
                throw new AssertionError("server frames must not be masked: " + f.describe());
            }
            if (f.opcode() != OP_PING && f.opcode() != OP_PONG)
            {
                return f;
            }
        }
    }

    /**
     * Next text message (ping/pong control frames skipped), within {@link #TIMEOUT}.
     *
     * @return the message text.
     * @throws AssertionError when the next frame is not text or nothing arrived.
     */
    public String nextText()
    {
        return nextText(TIMEOUT);
    }

    /**
     * Next text message (ping/pong control frames skipped).
     *
     * @param timeout the bound.
     * @return the message text.
     */
    public String nextText(final Duration timeout)
    {
        final Frame f = nextNonControl(timeout);
        if (f.opcode() != OP_TEXT)
        {
            throw new AssertionError("expected a text frame but got " + f.describe());
        }
        return f.text();
    }

    /**
     * Next frame must be a close frame (ping/pong skipped).
     *
     * @param timeout the bound.
     * @return the close frame.
     */
    public Frame expectClose(final Duration timeout)
    {
        final Frame f = nextNonControl(timeout);
        if (f.opcode() != OP_CLOSE)
        {
            throw new AssertionError("expected a close frame but got " + f.describe());
        }
        try
        {
            // answer like a compliant client so the server can finish the closing handshake at once
            sendFrame(OP_CLOSE, true, true, Arrays.copyOf(f.payload(), Math.min(2, f.payload().length)));
        }
        catch (final IOException ignore)
        {
            // the server may already have closed the TCP connection
        }
        return f;
    }

    /**
     * Next frame must be a close frame, within {@link #TIMEOUT}.
     *
     * @return the close frame.
     */
    public Frame expectClose()
    {
        return expectClose(TIMEOUT);
    }

    /**
     * Waits until the server has closed the TCP connection.
     *
     * @param timeout the bound.
     * @return true if the connection ended within the bound.
     */
    public boolean awaitClosed(final Duration timeout)
    {
        try
        {
            return eof.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the reader has seen the end of the stream.
     *
     * @return true once closed by the server.
     */
    public boolean isClosed()
    {
        return eof.getCount() == 0;
    }

    /**
     * Closes the socket and stops the reader.
     */
    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        if (reader != null)
        {
            try
            {
                reader.join(TIMEOUT.toMillis());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop()
    {
        String error = null;
        ByteArrayOutputStream fragments = null;
        int fragmentOpcode = 0;
        try
        {
            while (true)
            {
                final int b0 = in.read();
                if (b0 < 0)
                {
                    break;
                }
                final int b1 = readByte();
                final boolean fin = (b0 & 0x80) != 0;
                final int opcode = b0 & 0x0F;
                final boolean masked = (b1 & 0x80) != 0;
                long length = b1 & 0x7F;
                if (length == 126)
                {
                    length = ((long)readByte() << 8) | readByte();
                }
                else if (length == 127)
                {
                    length = 0;
                    for (int i = 0; i < 8; i++)
                    {
                        length = (length << 8) | readByte();
                    }
                }
                if (length > 256L * 1024 * 1024)
                {
                    throw new IOException("frame too large for the test client: " + length);
                }
                final byte[] mask = new byte[4];
                if (masked)
                {
                    readFully(mask);
                }
                final byte[] payload = new byte[(int)length];
                readFully(payload);
                if (masked)
                {
                    for (int i = 0; i < payload.length; i++)
                    {
                        payload[i] = (byte)(payload[i] ^ mask[i & 3]);
                    }
                }

                if (opcode >= OP_CLOSE)
                {
                    frames.add(new Frame(opcode, fin, masked, payload, null));
                }
                else if (opcode == OP_CONTINUATION)
                {
                    if (fragments == null)
                    {
                        throw new IOException("continuation without a started message");
                    }
                    fragments.write(payload, 0, payload.length);
                    if (fin)
                    {
                        frames.add(new Frame(fragmentOpcode, true, masked, fragments.toByteArray(), null));
                        fragments = null;
                    }
                }
                else if (fin)
                {
                    frames.add(new Frame(opcode, true, masked, payload, null));
                }
                else
                {
                    fragments = new ByteArrayOutputStream();
                    fragmentOpcode = opcode;
                    fragments.write(payload, 0, payload.length);
                }
            }
        }
        catch (final IOException ex)
        {
            error = ex.toString();
        }
        eofFrame = new Frame(OP_EOF, true, false, new byte[0], error);
        frames.add(eofFrame);
        eof.countDown();
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("end of stream inside a frame");
        }
        return b;
    }

    private void readFully(final byte[] buffer) throws IOException
    {
        int off = 0;
        while (off < buffer.length)
        {
            final int n = in.read(buffer, off, buffer.length - off);
            if (n < 0)
            {
                throw new EOFException("end of stream inside a frame");
            }
            off += n;
        }
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            if ((state == 0 || state == 2) && b == '\r')
            {
                state++;
            }
            else if ((state == 1 || state == 3) && b == '\n')
            {
                state++;
            }
            else
            {
                state = b == '\r' ? 1 : 0;
            }
        }
        final String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static String readBody(final InputStream in, final String contentLength) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        try
        {
            if (contentLength != null)
            {
                final int length = Integer.parseInt(contentLength.trim());
                for (int i = 0; i < length; i++)
                {
                    final int b = in.read();
                    if (b < 0)
                    {
                        break;
                    }
                    body.write(b);
                }
            }
            else
            {
                final byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0)
                {
                    body.write(buffer, 0, n);
                }
            }
        }
        catch (final IOException ignore)
        {
            // a timeout or reset after the head: keep what arrived
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String expectedAccept(final String key)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            final byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
