package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inbound message handling and WebSocket framing errors: spec pusher-v1 §9 tests 9-12, plus close 1002 (unmasked
 * frame), 1007 (invalid UTF-8) and 1009 (message over the 64 KiB limit).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessagingIT
{
    private TestServer server;

    @BeforeEach
    void start()
    {
        server = TestServer.start("websocket_max_payload_kb = 64\n" + TestServer.FIXTURE);
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    /** §9.9: ping gets exactly a pong without data. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"pusher:ping\",\"data\":{}}",
        "{\"event\":\"pusher:ping\"}",
        "{\"event\":\"pusher:ping\",\"data\":\"\"}"})
    void pingGetsPong(final String ping) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send(ping);
            final String text = s.raw().nextText();
            assertEquals(Map.of("event", "pusher:pong"), Json.parseObject(text), text);
        }
    }

    /** A ping in a binary frame is parsed as JSON too. */
    @Test
    void binaryFrameIsParsedAsJson() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.raw().sendFrame(RawWebSocket.OP_BINARY, true, true,
                "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(Map.of("event", "pusher:pong"), s.next());
        }
    }

    /** §9.10: undecodable text is a non-fatal 4000. */
    @ParameterizedTest
    @ValueSource(strings = {"hello", "{\"event\":", "[1,2", "{}}"})
    void badJsonIs4000AndSocketStaysOpen(final String text) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send(text);
            final String message = s.expectError(4000);
            assertTrue(message.startsWith("Invalid message format:"), message);
            s.assertOpen();
        }
    }

    /** §9.11: missing event name. */
    @Test
    void missingEventIs4000() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"data\":{}}");
            s.expectError(4000, "Invalid event name: Event name is required");
            s.assertOpen();
        }
    }

    /** §9.12: unknown events are ignored silently. */
    @Test
    void unknownEventsAreIgnored() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send("{\"event\":\"pusher:foo\",\"data\":{}}");
            s.send("{\"event\":\"random\"}");
            s.send("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":\"x\",\"data\":\"{}\"}");
            s.assertOpen();
        }
    }

    /** Frames split into a text frame and continuation frames are reassembled. */
    @Test
    void fragmentedMessageIsReassembled() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] all = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
            s.raw().sendFrame(RawWebSocket.OP_TEXT, false, true, Arrays.copyOfRange(all, 0, 5));
            s.raw().sendFrame(RawWebSocket.OP_CONTINUATION, false, true, Arrays.copyOfRange(all, 5, 20));
            s.raw().sendFrame(RawWebSocket.OP_CONTINUATION, true, true, Arrays.copyOfRange(all, 20, all.length));
            assertEquals(Map.of("event", "pusher:pong"), s.next());
        }
    }

    /** A client WebSocket ping frame is answered with a pong frame carrying the same payload. */
    @Test
    void nativePingGetsNativePong() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] payload = "abc".getBytes(StandardCharsets.US_ASCII);
            s.raw().sendFrame(RawWebSocket.OP_PING, true, true, payload);
            final RawWebSocket.Frame pong = s.raw().nextFrame(RawWebSocket.TIMEOUT);
            assertEquals(RawWebSocket.OP_PONG, pong.opcode(), pong.describe());
            assertTrue(Arrays.equals(payload, pong.payload()));
            s.assertOpen();
        }
    }

    /** A client close frame is echoed and the connection ends. */
    @Test
    void clientCloseIsEchoed() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.raw().sendClose(1000, "bye");
            final RawWebSocket.Frame close = s.raw().expectClose();
            assertEquals(1000, close.closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** RFC 6455 §5.1: an unmasked client frame is a protocol error, close 1002. */
    @Test
    void unmaskedClientFrameIsClose1002() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.raw().sendFrame(RawWebSocket.OP_TEXT, true, false,
                "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1002, s.raw().expectClose().closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** Reserved opcodes and RSV bits without an extension are protocol errors, close 1002. */
    @ParameterizedTest
    @ValueSource(ints = {0x3, 0xB, 0x40 | 0x1})
    void reservedOpcodeOrRsvIsClose1002(final int firstByteLowBits) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] frame = RawWebSocket.encodeFrame(firstByteLowBits & 0x0F, true, true, new byte[] {'x'});
            frame[0] = (byte)(0x80 | firstByteLowBits);
            s.raw().sendRaw(frame);
            assertEquals(1002, s.raw().expectClose().closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** RFC 6455 §5.4/§5.5: malformed fragmentation and control frames are protocol errors, close 1002. */
    @ParameterizedTest
    @ValueSource(strings = {"continuation-without-start", "fragmented-ping", "long-ping", "text-inside-fragments"})
    void badFragmentationIsClose1002(final String kind) throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] x = {'x'};
            switch (kind)
            {
                case "continuation-without-start":
                    s.raw().sendFrame(RawWebSocket.OP_CONTINUATION, true, true, x);
                    break;
                case "fragmented-ping":
                    s.raw().sendFrame(RawWebSocket.OP_PING, false, true, x);
                    break;
                case "long-ping":
                    s.raw().sendFrame(RawWebSocket.OP_PING, true, true, new byte[126]);
                    break;
                default:
                    s.raw().sendFrame(RawWebSocket.OP_TEXT, false, true, "{\"event\"".getBytes(StandardCharsets.UTF_8));
                    s.raw().sendFrame(RawWebSocket.OP_TEXT, true, true, x);
                    break;
            }
            assertEquals(1002, s.raw().expectClose().closeCode(), kind);
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** An upgrade on an unknown path is a plain 404. */
    @Test
    void unknownUpgradePathIs404() throws Exception
    {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), "/nope", Map.of()))
        {
            assertEquals(404, ws.status(), ws.responseHead());
        }
    }

    /** RFC 6455 §8.1: a text message that is not UTF-8 is closed with 1007. */
    @Test
    void invalidUtf8TextIsClose1007() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] prefix = "{\"event\":\"pusher:ping\",\"data\":\"".getBytes(StandardCharsets.UTF_8);
            final byte[] payload = Arrays.copyOf(prefix, prefix.length + 4);
            payload[prefix.length] = (byte)0xC3;
            payload[prefix.length + 1] = (byte)0x28;
            payload[prefix.length + 2] = '"';
            payload[prefix.length + 3] = '}';
            s.raw().sendTextBytes(payload);
            assertEquals(1007, s.raw().expectClose().closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** Decided: a message just under the 64 KiB inbound limit is accepted. */
    @Test
    void messageUnderLimitIsAccepted() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            s.send(pingWithPadding(60 * 1024));
            assertEquals(Map.of("event", "pusher:pong"), s.next());
        }
    }

    /** Decided: a message over the 64 KiB inbound limit is closed with 1009. */
    @Test
    void oversizedMessageIsClose1009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            try
            {
                s.send(pingWithPadding(64 * 1024 + 512));
            }
            catch (final java.io.IOException ex)
            {
                // the server may close before the whole frame is written; the close frame is what matters
            }
            assertEquals(1009, s.raw().expectClose().closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    /** Decided: the limit applies to the whole message, also when it arrives in small fragments. */
    @Test
    void oversizedFragmentedMessageIsClose1009() throws Exception
    {
        try (PusherSocket s = server.connect())
        {
            final byte[] all = pingWithPadding(64 * 1024 + 512).getBytes(StandardCharsets.UTF_8);
            final int chunk = 16 * 1024;
            try
            {
                for (int off = 0; off < all.length; off += chunk)
                {
                    final int end = Math.min(all.length, off + chunk);
                    s.raw().sendFrame(off == 0 ? RawWebSocket.OP_TEXT : RawWebSocket.OP_CONTINUATION,
                        end == all.length, true, Arrays.copyOfRange(all, off, end));
                }
            }
            catch (final java.io.IOException ex)
            {
                // the server may close before everything is written
            }
            assertEquals(1009, s.raw().expectClose().closeCode());
            assertTrue(s.raw().awaitClosed(RawWebSocket.TIMEOUT));
        }
    }

    private static String pingWithPadding(final int totalBytes)
    {
        final String head = "{\"event\":\"pusher:ping\",\"data\":{\"pad\":\"";
        final String tail = "\"}}";
        final StringBuilder sb = new StringBuilder(totalBytes);
        sb.append(head);
        while (sb.length() < totalBytes - tail.length())
        {
            sb.append('x');
        }
        sb.append(tail);
        return sb.toString();
    }
}
