package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Pusher protocol V1 over a {@link RawWebSocket}: reads {@code connection_established}, builds subscribe/signin
 * messages with signatures computed in the test and asserts on the server's answers.
 */
public final class PusherSocket implements AutoCloseable
{
    /** Query string pusher-js sends. */
    public static final String V1_QUERY = "?protocol=7&client=js&version=8.4.0&flash=false";

    private final RawWebSocket ws;
    private final String key;
    private final String secret;
    private final Map<String, Object> established;
    private final String socketId;

    private PusherSocket(final RawWebSocket ws, final String key, final String secret)
    {
        this.ws = ws;
        this.key = key;
        this.secret = secret;
        final Map<String, Object> frame = Json.parseObject(ws.nextText());
        assertEquals("pusher:connection_established", frame.get("event"), "first frame: " + frame);
        assertTrue(frame.get("data") instanceof String, "connection_established data must be a string: " + frame);
        this.established = Json.parseObject((String)frame.get("data"));
        this.socketId = (String)established.get("socket_id");
    }

    /**
     * Connects to an app of the fixture by key, signing with {@link TestServer#APP_SECRET}.
     *
     * @param port server port.
     * @param key  app key.
     * @return the connected socket.
     * @throws IOException on failure.
     */
    public static PusherSocket connect(final int port, final String key) throws IOException
    {
        return connect(port, key, TestServer.APP_SECRET);
    }

    /**
     * Connects to an app by key.
     *
     * @param port   server port.
     * @param key    app key.
     * @param secret app secret used for signatures.
     * @return the connected socket.
     * @throws IOException on failure.
     */
    public static PusherSocket connect(final int port, final String key, final String secret) throws IOException
    {
        return wrap(RawWebSocket.connect(port, "/app/" + key + V1_QUERY), key, secret);
    }

    /**
     * Wraps an upgraded socket and reads its {@code connection_established}.
     *
     * @param ws     the socket.
     * @param key    app key.
     * @param secret app secret.
     * @return the Pusher socket.
     */
    public static PusherSocket wrap(final RawWebSocket ws, final String key, final String secret)
    {
        try
        {
            return new PusherSocket(ws, key, secret);
        }
        catch (final RuntimeException | Error ex)
        {
            ws.close();
            throw ex;
        }
    }

    /**
     * The socket id from {@code connection_established}.
     *
     * @return the id.
     */
    public String socketId()
    {
        return socketId;
    }

    /**
     * The decoded {@code data} of {@code connection_established}.
     *
     * @return the object.
     */
    public Map<String, Object> established()
    {
        return established;
    }

    /**
     * The underlying frame-level client.
     *
     * @return the raw socket.
     */
    public RawWebSocket raw()
    {
        return ws;
    }

    /**
     * Sends a text message.
     *
     * @param json the message.
     * @throws IOException on failure.
     */
    public void send(final String json) throws IOException
    {
        ws.sendText(json);
    }

    /**
     * Next message parsed as a JSON object.
     *
     * @return the frame.
     */
    public Map<String, Object> next()
    {
        return Json.parseObject(ws.nextText());
    }

    /**
     * Next message parsed as a JSON object.
     *
     * @param timeout the bound.
     * @return the frame.
     */
    public Map<String, Object> next(final Duration timeout)
    {
        return Json.parseObject(ws.nextText(timeout));
    }

    /**
     * Next message, which must be the named event.
     *
     * @param event expected event name.
     * @return the frame.
     */
    public Map<String, Object> expectEvent(final String event)
    {
        final Map<String, Object> frame = next();
        assertEquals(event, frame.get("event"), "unexpected frame: " + frame);
        return frame;
    }

    /**
     * Sends {@code pusher:subscribe} with object data.
     *
     * @param channel     channel name.
     * @param auth        auth value or {@code null}.
     * @param channelData channel_data string or {@code null}.
     * @throws IOException on failure.
     */
    public void sendSubscribe(final String channel, final String auth, final String channelData) throws IOException
    {
        final StringBuilder sb = new StringBuilder("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":");
        sb.append(Json.quote(channel));
        if (auth != null)
        {
            sb.append(",\"auth\":").append(Json.quote(auth));
        }
        if (channelData != null)
        {
            sb.append(",\"channel_data\":").append(Json.quote(channelData));
        }
        sb.append("}}");
        send(sb.toString());
    }

    /**
     * Subscribes to a public channel and expects {@code subscription_succeeded} with data {@code "{}"}.
     *
     * @param channel channel name.
     * @throws IOException on failure.
     */
    public void subscribe(final String channel) throws IOException
    {
        sendSubscribe(channel, null, null);
        expectSubscribed(channel);
    }

    /**
     * Subscribes to a private channel with a correct signature and expects success.
     *
     * @param channel channel name.
     * @throws IOException on failure.
     */
    public void subscribePrivate(final String channel) throws IOException
    {
        sendSubscribe(channel, Sign.privateAuth(key, secret, socketId, channel), null);
        expectSubscribed(channel);
    }

    /**
     * Subscribes to a presence channel with a correct signature and expects success.
     *
     * @param channel     channel name.
     * @param channelData the channel_data string.
     * @return the decoded {@code presence} object of the success frame.
     * @throws IOException on failure.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> subscribePresence(final String channel, final String channelData) throws IOException
    {
        sendSubscribe(channel, Sign.presenceAuth(key, secret, socketId, channel, channelData), channelData);
        final Map<String, Object> frame = next();
        assertEquals("pusher_internal:subscription_succeeded", frame.get("event"), "unexpected frame: " + frame);
        assertEquals(channel, frame.get("channel"));
        final Map<String, Object> data = data(frame);
        return (Map<String, Object>)data.get("presence");
    }

    /**
     * Next frame must be {@code subscription_succeeded} for the channel with data {@code "{}"}.
     *
     * @param channel channel name.
     */
    public void expectSubscribed(final String channel)
    {
        final Map<String, Object> frame = next();
        assertEquals(
            Map.of("event", "pusher_internal:subscription_succeeded", "channel", channel, "data", "{}"), frame);
    }

    /**
     * Sends {@code pusher:unsubscribe} with object data.
     *
     * @param channel channel name.
     * @throws IOException on failure.
     */
    public void unsubscribe(final String channel) throws IOException
    {
        send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":" + Json.quote(channel) + "}}");
    }

    /**
     * Signs in and expects {@code pusher:signin_success}.
     *
     * @param userData the user_data string.
     * @throws IOException on failure.
     */
    public void signin(final String userData) throws IOException
    {
        sendSignin(userData, Sign.signinAuth(key, secret, socketId, userData));
        final Map<String, Object> frame = next();
        assertEquals(
            Map.of("event", "pusher:signin_success", "data", Map.of("user_data", userData)), frame);
    }

    /**
     * Sends {@code pusher:signin}.
     *
     * @param userData user_data string.
     * @param auth     auth value.
     * @throws IOException on failure.
     */
    public void sendSignin(final String userData, final String auth) throws IOException
    {
        send("{\"event\":\"pusher:signin\",\"data\":{\"user_data\":" + Json.quote(userData)
            + ",\"auth\":" + Json.quote(auth) + "}}");
    }

    /**
     * Next frame must be {@code pusher:error} (object data, no channel) with the code.
     *
     * @param code expected code.
     * @return the error message.
     */
    @SuppressWarnings("unchecked")
    public String expectError(final int code)
    {
        final Map<String, Object> frame = next();
        assertEquals("pusher:error", frame.get("event"), "expected pusher:error " + code + " but got " + frame);
        assertTrue(frame.get("data") instanceof Map, "pusher:error data must be an object: " + frame);
        final Map<String, Object> data = (Map<String, Object>)frame.get("data");
        assertEquals((long)code, data.get("code"), "error code in " + frame);
        return (String)data.get("message");
    }

    /**
     * Next frame must be {@code pusher:error} with this code and exact message.
     *
     * @param code    expected code.
     * @param message expected message.
     */
    public void expectError(final int code, final String message)
    {
        assertEquals(message, expectError(code));
    }

    /**
     * A fatal error: one {@code pusher:error}, then a close frame with the same code and message as reason, then
     * the end of the connection.
     *
     * @param code    expected code.
     * @param message expected message.
     */
    public void expectFatal(final int code, final String message)
    {
        expectFatal(ws, code, message);
    }

    /**
     * A fatal error on a raw socket (no {@code connection_established} expected before it).
     *
     * @param ws      the raw socket.
     * @param code    expected code.
     * @param message expected message.
     */
    @SuppressWarnings("unchecked")
    public static void expectFatal(final RawWebSocket ws, final int code, final String message)
    {
        final Map<String, Object> frame = Json.parseObject(ws.nextText());
        assertEquals("pusher:error", frame.get("event"), "expected pusher:error " + code + " but got " + frame);
        final Map<String, Object> data = (Map<String, Object>)frame.get("data");
        assertEquals(Map.of("code", (long)code, "message", message), data, "error data");
        final RawWebSocket.Frame close = ws.expectClose();
        assertEquals(code, close.closeCode(), "close code");
        assertEquals(message, close.closeReason(), "close reason");
        assertTrue(ws.awaitClosed(RawWebSocket.TIMEOUT), "server did not close the TCP connection");
    }

    /**
     * Proves the connection is open and nothing else was queued before: a ping must be answered by exactly
     * {@code {"event":"pusher:pong"}} as the very next frame.
     *
     * @throws IOException on failure.
     */
    public void assertOpen() throws IOException
    {
        send("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertEquals(Map.of("event", "pusher:pong"), next(), "expected pong as the next frame");
    }

    /**
     * Decodes the {@code data} of a frame: a string is parsed as JSON, an object is returned as is.
     *
     * @param frame the frame.
     * @return the data object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> data(final Map<String, Object> frame)
    {
        final Object data = frame.get("data");
        if (data instanceof String)
        {
            return Json.parseObject((String)data);
        }
        return (Map<String, Object>)data;
    }

    /**
     * Closes the socket.
     */
    @Override
    public void close()
    {
        ws.close();
    }
}
