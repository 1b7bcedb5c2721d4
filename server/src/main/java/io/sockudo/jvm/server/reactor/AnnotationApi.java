package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.http.HttpRequest;
import io.sockudo.jvm.protocol.http.QueryString;
import io.sockudo.jvm.server.annotation.Actor;
import io.sockudo.jvm.server.annotation.Annotations;
import io.sockudo.jvm.server.annotation.Broadcast;
import io.sockudo.jvm.server.annotation.Reply;
import io.sockudo.jvm.server.annotation.Request;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;
import io.sockudo.jvm.server.history.MessageStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The annotation routes (spec annotations 5): resolves the caller's socket and the channel policy, hands the request
 * to the {@link Annotations} engine, and fans its frames out: summaries to every V2 subscriber, raw events only to
 * V2 subscribers that asked for {@code ANNOTATION_SUBSCRIBE}; V1 sockets get neither.
 */
final class AnnotationApi
{
    private static final Actor NOT_CONNECTED = new Actor(false, false, null, null);

    private final Reactor reactor;

    AnnotationApi(final Reactor reactor)
    {
        this.reactor = reactor;
    }

    HttpApi.Response handle(final int kind, final AppState app, final HttpRequest request, final String channel,
        final String messageSerial, final String annotationSerial)
    {
        final HttpApi.Response refused = HistoryApi.checkVersioned(app, channel, false);
        if (refused != null)
        {
            return refused;
        }
        if (kind == HttpApi.Route.ANNOTATIONS_PUBLISH)
        {
            final HttpApi.Response notJson = HttpApi.requireJson(request);
            if (notJson != null)
            {
                return notJson;
            }
        }
        final MessageStore store = reactor.hub.store();
        final String appId = app.config().id;
        final Map<String, String> query = new HashMap<>();
        final List<String[]> pairs = QueryString.parse(request.rawQuery());
        if (pairs != null)
        {
            for (final String[] pair : pairs)
            {
                query.putIfAbsent(pair[0], pair[1]);
            }
        }
        final Request r = new Request(appId, channel, messageSerial, request.body(), query,
            app.annotationsEnabled(channel), serial -> store.messageExists(appId, channel, serial),
            socketId -> actor(app, socketId), app.config().maxEventPayloadInKb * 1024);
        final Annotations engine = store.annotations();
        if (kind == HttpApi.Route.ANNOTATIONS_LIST)
        {
            final Reply reply = engine.list(r);
            return new HttpApi.Response(reply.status(), reply.body());
        }
        // publish and delete append to the log: they run on the log writer, which also fans the frames out
        final Reply[] result = new Reply[1];
        return new HttpApi.Deferred(List.of(() ->
        {
            final Reply reply = kind == HttpApi.Route.ANNOTATIONS_PUBLISH ? engine.publish(r) :
                engine.delete(r, annotationSerial);
            result[0] = reply;
            for (final Broadcast b : reply.broadcasts())
            {
                if (!fanOut(app, b))
                {
                    break; // a summary that could not be sent is not followed by its raw event
                }
            }
            return 0;
        }), () -> new HttpApi.Response(result[0].status(), result[0].body()));
    }

    /** On the log writer. */
    private boolean fanOut(final AppState app, final Broadcast b)
    {
        try
        {
            final Channel ch = app.channel(b.channel());
            if (ch == null)
            {
                return true;
            }
            final LogWriter writer = reactor.hub.writer();
            final FrameWriter frame = writer.frameV2.begin().utf8(b.json()).end();
            // a raw frame carries its join sequence complemented: only raw-mode subscribers take it
            reactor.hub.publishFromWriter(ch, writer.frameNone.begin(), frame,
                b.raw() ? ~ch.joinSequence() : ch.joinSequence(), null, 0);
            return true;
        }
        catch (final RuntimeException ex)
        {
            Annotations.logFanOutFailure(b, ex);
            return false;
        }
    }

    private static Actor actor(final AppState app, final String socketId)
    {
        final AppState.SocketInfo info = app.socket(socketId);
        return info == null ? NOT_CONNECTED : new Actor(true, info.protocolV2, info.userId, info.capabilities);
    }
}
