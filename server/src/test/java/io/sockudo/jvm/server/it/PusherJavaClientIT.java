package io.sockudo.jvm.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.pusher.client.ChannelAuthorizer;
import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.UserAuthenticator;
import com.pusher.client.channel.ChannelEventListener;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

/**
 * The official {@code pusher-java-client} against the server: public, private and presence subscriptions,
 * member events, client events and signin, with an in-process authorizer that signs with the app secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PusherJavaClientIT
{
    private static final long WAIT_SECONDS = 10;

    private TestServer server;
    private final List<Pusher> clients = new ArrayList<>();

    @BeforeEach
    void start()
    {
        server = TestServer.start();
    }

    @AfterEach
    void stop()
    {
        for (final Pusher p : clients)
        {
            p.disconnect();
        }
        server.close();
    }

    /** Everything one client reports, in arrival order. */
    private static final class Recorder implements PresenceChannelEventListener, ConnectionEventListener
    {
        final BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        final BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> members = new LinkedBlockingQueue<>();
        final BlockingQueue<Set<String>> userLists = new LinkedBlockingQueue<>();
        final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

        @Override
        public void onSubscriptionSucceeded(final String channelName)
        {
            subscribed.add(channelName);
        }

        @Override
        public void onEvent(final PusherEvent event)
        {
            events.add(event);
        }

        @Override
        public void onAuthenticationFailure(final String message, final Exception e)
        {
            errors.add("auth failure: " + message);
        }

        @Override
        public void onUsersInformationReceived(final String channelName, final Set<User> users)
        {
            final Set<String> ids = new HashSet<>();
            for (final User u : users)
            {
                ids.add(u.getId());
            }
            userLists.add(ids);
        }

        @Override
        public void userSubscribed(final String channelName, final User user)
        {
            members.add("+" + user.getId());
        }

        @Override
        public void userUnsubscribed(final String channelName, final User user)
        {
            members.add("-" + user.getId());
        }

        @Override
        public void onConnectionStateChange(final ConnectionStateChange change)
        {
            states.add(change.getCurrentState());
        }

        @Override
        public void onError(final String message, final String code, final Exception e)
        {
            errors.add(code + " " + message);
        }
    }

    private Pusher client(final String userId, final Recorder recorder) throws InterruptedException
    {
        final ChannelAuthorizer authorizer = (channelName, socketId) ->
        {
            final Map<String, Object> auth = new LinkedHashMap<>();
            if (channelName.startsWith("presence-"))
            {
                final String channelData = "{\"user_id\":" + Json.quote(userId) + ",\"user_info\":{\"name\":"
                    + Json.quote("User " + userId) + "}}";
                auth.put("auth", Sign.presenceAuth(TestServer.APP_KEY, TestServer.APP_SECRET, socketId, channelName,
                    channelData));
                auth.put("channel_data", channelData);
            }
            else
            {
                auth.put("auth", Sign.privateAuth(TestServer.APP_KEY, TestServer.APP_SECRET, socketId, channelName));
            }
            return Json.write(auth);
        };
        final UserAuthenticator authenticator = socketId ->
        {
            final String userData = "{\"id\":" + Json.quote(userId) + "}";
            final Map<String, Object> auth = new LinkedHashMap<>();
            auth.put("auth", Sign.signinAuth(TestServer.APP_KEY, TestServer.APP_SECRET, socketId, userData));
            auth.put("user_data", userData);
            return Json.write(auth);
        };
        final PusherOptions options = new PusherOptions()
            .setHost("127.0.0.1")
            .setWsPort(server.port())
            .setUseTLS(false)
            .setChannelAuthorizer(authorizer)
            .setUserAuthenticator(authenticator)
            .setMaxReconnectionAttempts(0);
        final Pusher pusher = new Pusher(TestServer.APP_KEY, options);
        clients.add(pusher);
        pusher.connect(recorder, ConnectionState.ALL);
        awaitState(recorder, ConnectionState.CONNECTED);
        assertNotNull(pusher.getConnection().getSocketId());
        return pusher;
    }

    private static void awaitState(final Recorder recorder, final ConnectionState wanted) throws InterruptedException
    {
        while (true)
        {
            final ConnectionState state = recorder.states.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (state == null)
            {
                throw new AssertionError("state " + wanted + " not reached; errors " + recorder.errors);
            }
            if (state == wanted)
            {
                return;
            }
        }
    }

    private static <T> T poll(final BlockingQueue<T> queue, final String what) throws InterruptedException
    {
        final T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (value == null)
        {
            throw new AssertionError("timed out waiting for " + what);
        }
        return value;
    }

    /** Public subscribe and an HTTP-published event. */
    @Test
    void publicChannel() throws Exception
    {
        final Recorder r = new Recorder();
        final Pusher pusher = client("u1", r);
        pusher.subscribe("my-channel", r, "my-event");
        assertEquals("my-channel", poll(r.subscribed, "subscription"));
        assertEquals(200, server.api().post("/events", SubscriptionIT.event("my-event", "my-channel", "hi")).status());
        final PusherEvent event = poll(r.events, "my-event");
        assertEquals("my-event", event.getEventName());
        assertEquals("my-channel", event.getChannelName());
        assertEquals("hi", event.getData());
    }

    /** Private subscribe through the authorizer, and a published event. */
    @Test
    void privateChannel() throws Exception
    {
        final Recorder r = new Recorder();
        final Pusher pusher = client("u1", r);
        pusher.subscribePrivate("private-foo", r, "secret-event");
        assertEquals("private-foo", poll(r.subscribed, "subscription"));
        assertEquals(200,
            server.api().post("/events", SubscriptionIT.event("secret-event", "private-foo", "{\"a\":1}")).status());
        assertEquals("{\"a\":1}", poll(r.events, "secret-event").getData());
    }

    /** Presence subscribe, member lists and member_added / member_removed seen by another client. */
    @Test
    void presenceMembers() throws Exception
    {
        final Recorder ra = new Recorder();
        final Pusher a = client("u1", ra);
        final PresenceChannel channelA = a.subscribePresence("presence-room", ra);
        assertEquals("presence-room", poll(ra.subscribed, "A subscription"));
        assertEquals(Set.of("u1"), poll(ra.userLists, "A users"));

        final Recorder rb = new Recorder();
        final Pusher b = client("u2", rb);
        final PresenceChannel channelB = b.subscribePresence("presence-room", rb);
        assertEquals("presence-room", poll(rb.subscribed, "B subscription"));
        assertEquals(Set.of("u1", "u2"), poll(rb.userLists, "B users"));
        assertEquals("u2", channelB.getMe().getId());
        assertEquals("+u2", poll(ra.members, "member_added at A"));
        assertEquals(2, channelA.getUsers().size());

        b.unsubscribe("presence-room");
        assertEquals("-u2", poll(ra.members, "member_removed at A"));

        final Recorder rc = new Recorder();
        final Pusher c = client("u3", rc);
        c.subscribePresence("presence-room", rc);
        assertEquals("+u3", poll(ra.members, "member_added u3 at A"));
        c.disconnect();
        assertEquals("-u3", poll(ra.members, "member_removed u3 at A"));
    }

    /** Client events between two clients on a private channel. */
    @Test
    void clientEventsOnPrivateChannel() throws Exception
    {
        final Recorder ra = new Recorder();
        final Pusher a = client("u1", ra);
        final PrivateChannel channelA = a.subscribePrivate("private-chat", ra, "client-typing");
        assertEquals("private-chat", poll(ra.subscribed, "A subscription"));
        final Recorder rb = new Recorder();
        final Pusher b = client("u2", rb);
        final PrivateChannel channelB = b.subscribePrivate("private-chat", rb, "client-typing");
        assertEquals("private-chat", poll(rb.subscribed, "B subscription"));

        channelA.trigger("client-typing", "{\"x\":1}");
        final PusherEvent atB = poll(rb.events, "client event at B");
        assertEquals("client-typing", atB.getEventName());
        assertEquals("private-chat", atB.getChannelName());
        assertEquals(Map.of("x", 1L), Json.parse(atB.getData()));

        channelB.trigger("client-typing", "{\"x\":2}");
        final PusherEvent atA = poll(ra.events, "client event at A");
        assertEquals(Map.of("x", 2L), Json.parse(atA.getData()));
        assertEquals(0, rb.events.size(), "B must not get its own event back: " + rb.events);
    }

    /** Client events on a presence channel carry the sender's user id (decided). */
    @Test
    void clientEventsOnPresenceChannelCarryUserId() throws Exception
    {
        final Recorder ra = new Recorder();
        final Pusher a = client("u1", ra);
        final PresenceChannel channelA = a.subscribePresence("presence-chat", ra, "client-hi");
        assertEquals("presence-chat", poll(ra.subscribed, "A subscription"));
        final Recorder rb = new Recorder();
        final Pusher b = client("u2", rb);
        b.subscribePresence("presence-chat", rb, "client-hi");
        assertEquals("presence-chat", poll(rb.subscribed, "B subscription"));
        assertEquals("+u2", poll(ra.members, "member_added"));

        channelA.trigger("client-hi", "{\"x\":1}");
        final PusherEvent atB = poll(rb.events, "client event at B");
        assertEquals("u1", atB.getUserId());
    }

    /** Signin, then an event to #server-to-user-{id} reaches the user binding. */
    @Test
    void signinAndUserEvents() throws Exception
    {
        final Recorder r = new Recorder();
        final Pusher pusher = client("u1", r);
        final BlockingQueue<PusherEvent> userEvents = new LinkedBlockingQueue<>();
        pusher.user().bind("to-user", userEvents::add);
        pusher.signin();
        final Recorder probe = new Recorder();
        pusher.subscribe("probe", probe);
        assertEquals("probe", poll(probe.subscribed, "probe subscription"));
        // the #server-to-user channel is subscribed after signin_success; publish until it is delivered
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        PusherEvent got = null;
        while (got == null && System.nanoTime() < deadline)
        {
            assertEquals(200,
                server.api().post("/events", SubscriptionIT.event("to-user", "#server-to-user-u1", "d")).status());
            got = userEvents.poll(200, TimeUnit.MILLISECONDS);
        }
        assertNotNull(got, "no user event; errors " + r.errors);
        assertEquals("d", got.getData());
        assertEquals("u1", pusher.user().userId());
    }
}
