package io.sockudo.jvm.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher against an HTTP server that, like soketi, answers every request with {@code Connection: close}:
 * it must open a fresh connection per request and never pipeline, so no publish is lost to the closing socket.
 */
@Timeout(60)
class PublisherTest
{
    private static final byte[] CLOSE_RESPONSE =
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldNotPipelineWhenServerClosesAfterEveryResponse() throws Exception
    {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger pipelined = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress()))
        {
            final Thread acceptor = new Thread(() -> serveOneRequestPerConnection(listener, requests, pipelined),
                "close-after-response");
            acceptor.setDaemon(true);
            acceptor.start();
            final ApiSigner signer = new ApiSigner("127.0.0.1:" + listener.getLocalPort(), "app-id", "app-key",
                "app-secret", "bench", "timed", 20);
            final long start = System.nanoTime() + 50_000_000L;
            final Publisher publisher = new Publisher("127.0.0.1", listener.getLocalPort(), signer, 400, start,
                start, start + 500_000_000L, 2);

            final Thread thread = new Thread(publisher, "publisher");
            thread.start();
            thread.join(30_000);

            assertTrue(publisher.done(), "publisher did not finish");
            assertEquals(null, publisher.firstError());
            assertEquals(0, publisher.failed());
            assertEquals(publisher.sent(), publisher.ok());
            assertEquals(publisher.scheduledMeasured(), publisher.sentMeasured());
            assertTrue(publisher.reconnects() > 0, "reconnects " + publisher.reconnects());
            assertEquals(0, pipelined.get());
            assertEquals(publisher.sent(), requests.get());
        }
    }

    private static void serveOneRequestPerConnection(
        final ServerSocket listener, final AtomicInteger requests, final AtomicInteger pipelined)
    {
        while (!listener.isClosed())
        {
            try (Socket socket = listener.accept())
            {
                final InputStream in = socket.getInputStream();
                final byte[] buffer = new byte[16 * 1024];
                int length = 0;
                int headEnd = -1;
                int bodyLength = -1;
                while (bodyLength < 0 || length < headEnd + bodyLength)
                {
                    final int n = in.read(buffer, length, buffer.length - length);
                    if (n < 0)
                    {
                        break;
                    }
                    length += n;
                    if (headEnd < 0)
                    {
                        final String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
                        final int end = text.indexOf("\r\n\r\n");
                        if (end >= 0)
                        {
                            headEnd = end + 4;
                            final String head = text.substring(0, end).toLowerCase();
                            final int at = head.indexOf("content-length:");
                            final int lineEnd = head.indexOf('\r', at);
                            bodyLength = Integer.parseInt(
                                head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).trim());
                        }
                    }
                }
                if (bodyLength < 0)
                {
                    continue;
                }
                requests.incrementAndGet();
                if (length > headEnd + bodyLength)
                {
                    pipelined.incrementAndGet();
                }
                socket.getOutputStream().write(CLOSE_RESPONSE);
            }
            catch (final SocketException ex)
            {
                // the listener was closed at the end of the test, or the client went away
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }
}
