package io.sockudo.jvm.server.annotation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;

/**
 * The annotation engine (spec {@code annotations.md}): publish, delete and list of the HTTP API, subscribe
 * snapshots, and the six metrics. No networking: replies carry the frames for the caller to send.
 * <p>
 * Events are journaled with a fresh global serial, indexed by serial (the index holds journal indexes, never the
 * events) and applied to projections keyed by (app, channel, message serial, type) whose summarizer state is off-heap.
 * Cold projections (evicted, or after a restart) and stale ones (an event below the watermark) are rebuilt from the
 * journal in serial order. Thread safe: each public method holds this object's monitor for its (short) duration.
 */
public final class Annotations
{
    /** Resident projections kept by default; the least recently used beyond it are evicted. */
    public static final int DEFAULT_MAX_RESIDENT_PROJECTIONS = 65_536;
    /** {@code versioned_messages.max_page_size} default: the cap of the list {@code limit}. */
    public static final int DEFAULT_MAX_PAGE_SIZE = 100;

    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.annotation");

    private final boolean globallyEnabled;
    private final int maxPayloadBytes;
    private final AnnotationJournal journal;
    private final Supplier<String> serials;
    private final LongSupplier clockMs;
    private final int maxPageSize;
    private final ProjectionEngine engine;
    private final AnnotationMetrics metrics = new AnnotationMetrics();
    private final JsonScanner scanner = new JsonScanner();
    private final SummaryFitter fitter;
    private final IndexPurger purger;

    /**
     * An engine with the default page size and resident-projection cap.
     *
     * @param globallyEnabled {@code [annotations] enabled}.
     * @param maxPayloadBytes clipping budget in bytes (spec 4); 0 disables clipping.
     * @param journal         where events are appended and read back.
     * @param serials         the global serial allocator, shared with messages.
     * @param clockMs         wall clock in ms.
     */
    public Annotations(final boolean globallyEnabled, final int maxPayloadBytes, final AnnotationJournal journal,
        final Supplier<String> serials, final LongSupplier clockMs)
    {
        this(globallyEnabled, maxPayloadBytes, journal, serials, clockMs, DEFAULT_MAX_PAGE_SIZE,
            DEFAULT_MAX_RESIDENT_PROJECTIONS);
    }

    /**
     * An engine.
     *
     * @param globallyEnabled        {@code [annotations] enabled}.
     * @param maxPayloadBytes        clipping budget in bytes (spec 4); 0 disables clipping.
     * @param journal                where events are appended and read back.
     * @param serials                the global serial allocator, shared with messages.
     * @param clockMs                wall clock in ms.
     * @param maxPageSize            cap of the list {@code limit} ({@code versioned_messages.max_page_size}).
     * @param maxResidentProjections projections kept in memory, at least 1.
     */
    public Annotations(final boolean globallyEnabled, final int maxPayloadBytes, final AnnotationJournal journal,
        final Supplier<String> serials, final LongSupplier clockMs, final int maxPageSize,
        final int maxResidentProjections)
    {
        this.globallyEnabled = globallyEnabled;
        this.maxPayloadBytes = maxPayloadBytes;
        this.journal = journal;
        this.serials = serials;
        this.clockMs = clockMs;
        this.maxPageSize = maxPageSize;
        this.engine = new ProjectionEngine(journal, maxResidentProjections);
        this.fitter = new SummaryFitter(engine.types, metrics);
        this.purger = new IndexPurger(engine);
    }

    /**
     * Startup: re-indexes a record read from the log, without journaling it again. Records should come in log order;
     * any order converges. A duplicate serial is ignored (first wins).
     *
     * @param app         app id.
     * @param channel     channel name.
     * @param serial      annotation serial (also inside the payload).
     * @param timestampMs event time.
     * @param payload     the record as appended.
     * @param logIndex    its log index, for {@link AnnotationJournal#read}.
     */
    public synchronized void restore(final String app, final String channel, final String serial,
        final long timestampMs, final byte[] payload, final long logIndex)
    {
        engine.ingest(engine.channel(app, channel, true), payload, logIndex);
    }

    /**
     * {@code POST /apps/{app}/channels/{channel}/messages/{messageSerial}/annotations} (spec 5.1).
     *
     * @param request the call.
     * @return 200 {@code {"annotationSerial":...}} with the summary and raw frames, or an error.
     */
    public synchronized Reply publish(final Request request)
    {
        final String channel = request.channel();
        final Reply disabled = checkEnabled(request);
        if (disabled != null)
        {
            return disabled;
        }
        final PublishBody body = PublishBody.parse(request.body(), scanner);
        if (body.error != null)
        {
            return error(body.errorStatus, "invalid_input", body.error);
        }
        if (body.hasCount && body.count == 0)
        {
            return error(400, "invalid_input", "Annotation count must be greater than 0");
        }
        final String messageSerial = request.messageSerial();
        final String invalidMessage = Text.checkIdentifier("message_serial", messageSerial);
        if (invalidMessage != null)
        {
            return error(400, "invalid_input", invalidMessage);
        }
        if (!request.messageExists().test(messageSerial))
        {
            return error(404, "not_found",
                "Message '" + messageSerial + "' was not found in channel '" + channel + "'");
        }
        final Object parsed = AnnotationType.parse(body.type);
        if (!(parsed instanceof Summarizer))
        {
            return error(400, "invalid_input", (String)parsed);
        }
        final Summarizer kind = (Summarizer)parsed;
        String clientId = body.clientId;
        if (body.socketId != null)
        {
            final Object resolved = resolve(request, body.socketId, "actor");
            if (resolved instanceof Reply)
            {
                return (Reply)resolved;
            }
            final Actor actor = (Actor)resolved;
            if (clientId != null && !clientId.equals(actor.userId()))
            {
                return error(401, "auth_failed",
                    "Requested client_id '" + clientId + "' does not match authenticated actor");
            }
            if (!Capabilities.canPublish(actor.capabilities(), channel))
            {
                return error(403, "forbidden",
                    "annotation-publish capability is required for channel '" + channel + "'");
            }
            clientId = actor.userId();
        }
        if (kind.needsName() && (body.name == null || Text.isBlank(body.name)))
        {
            return error(400, "invalid_input", "annotation name is required for this annotation type");
        }
        if (kind.needsClient() && (clientId == null || Text.isBlank(clientId)))
        {
            return error(400, "invalid_input", "annotation client_id is required for this annotation type");
        }
        if (clientId != null && Text.isBlank(clientId))
        {
            // Decision: a blank clientId is rejected before storage (4.4.0 stores it for multiple.v1 and then
            // fails every rebuild of the projection).
            return error(400, "invalid_input", "annotation client_id must not be blank");
        }
        final String serial = serials.get();
        final String invalidSerial = Text.checkIdentifier("serial", serial);
        if (invalidSerial != null)
        {
            return error(400, "invalid_input", invalidSerial);
        }
        final long nowMs = clockMs.getAsLong();
        final byte[] payload = AnnotationRecord.encode(false, UUID.randomUUID().toString(), serial, messageSerial,
            body.type, null, body.name, clientId, body.hasCount, body.count, body.dataJson, body.encoding, nowMs);
        final long logIndex = journal.append(request.app(), channel, serial, nowMs, payload);
        engine.internType(body.type, kind);
        final ChannelIndex index = engine.channel(request.app(), channel, true);
        final int slot = engine.ingest(index, payload, logIndex);
        if (slot < 0)
        {
            return error(500, "internal_error", "Annotation serial '" + serial + "' was already used");
        }
        metrics.published(channel, body.type);
        final StringBuilder sb = new StringBuilder(64).append("{\"annotationSerial\":");
        JsonWriter.appendQuoted(sb, serial);
        return new Reply(200, sb.append('}').toString(), fanOut(index, slot, payload, budget(request)));
    }

    /**
     * {@code DELETE .../messages/{messageSerial}/annotations/{annotationSerial}} (spec 5.2), with query
     * {@code socket_id} optional.
     *
     * @param request          the call.
     * @param annotationSerial serial of the create to delete.
     * @return 200 {@code {"annotationSerial":...,"deletedAnnotationSerial":...}} with frames, or an error.
     */
    public synchronized Reply delete(final Request request, final String annotationSerial)
    {
        final String channel = request.channel();
        final Reply disabled = checkEnabled(request);
        if (disabled != null)
        {
            return disabled;
        }
        final String messageSerial = request.messageSerial();
        String invalid = Text.checkIdentifier("message_serial", messageSerial);
        if (invalid == null)
        {
            invalid = Text.checkIdentifier("serial", annotationSerial);
        }
        if (invalid != null)
        {
            return error(400, "invalid_input", invalid);
        }
        final ChannelIndex index = engine.channel(request.app(), channel, false);
        final int slot = index == null ? -1 : index.serials.find(annotationSerial);
        final AnnotationRecord target = slot < 0 || !index.present(slot) ? null : engine.read(index, slot);
        if (target == null)
        {
            return error(404, "not_found",
                "Annotation '" + annotationSerial + "' was not found in channel '" + channel + "'");
        }
        if (!target.string(AnnotationRecord.FIELD_MESSAGE_SERIAL).equals(messageSerial))
        {
            return error(404, "not_found",
                "Annotation '" + annotationSerial + "' does not target message '" + messageSerial + "'");
        }
        if (target.isDelete())
        {
            return error(400, "invalid_input", "Only annotation.create events can be deleted");
        }
        final String id = target.string(AnnotationRecord.FIELD_ID);
        final String type = target.string(AnnotationRecord.FIELD_TYPE);
        final String name = target.has(AnnotationRecord.HAS_NAME) ? target.string(AnnotationRecord.FIELD_NAME) : null;
        final String clientId =
            target.has(AnnotationRecord.HAS_CLIENT) ? target.string(AnnotationRecord.FIELD_CLIENT) : null;
        final boolean hasCount = target.has(AnnotationRecord.HAS_COUNT);
        final long count = target.count();
        final String socketId = request.query().get("socket_id");
        if (socketId != null)
        {
            final Object resolved = resolve(request, socketId, "actor");
            if (resolved instanceof Reply)
            {
                return (Reply)resolved;
            }
            final Actor actor = (Actor)resolved;
            final String userId = actor.userId();
            final boolean any = Capabilities.canDeleteAny(actor.capabilities(), channel);
            final boolean own = Capabilities.canDeleteOwn(actor.capabilities(), channel) && userId != null &&
                userId.equals(clientId);
            if (any && userId == null)
            {
                return error(403, "forbidden", "annotation-delete-any requires an identified client");
            }
            if (!any && !own)
            {
                return error(403, "forbidden",
                    "annotation-delete-own or annotation-delete-any capability is required for channel '" + channel +
                    "'");
            }
        }
        if (index.firstDelete[slot] >= 0)
        {
            // Already deleted: idempotent, no new event, no frames, no metric (spec 5.2 check 10).
            return new Reply(200, deleteBody(annotationSerial, annotationSerial), List.of());
        }
        final String serial = serials.get();
        final String invalidSerial = Text.checkIdentifier("serial", serial);
        if (invalidSerial != null)
        {
            return error(400, "invalid_input", invalidSerial);
        }
        final long nowMs = clockMs.getAsLong();
        final byte[] payload = AnnotationRecord.encode(true, id, serial, messageSerial, type, annotationSerial, name,
            clientId, hasCount, count, null, null, nowMs);
        final long logIndex = journal.append(request.app(), channel, serial, nowMs, payload);
        final int deleteSlot = engine.ingest(index, payload, logIndex);
        if (deleteSlot < 0)
        {
            return error(500, "internal_error", "Annotation serial '" + serial + "' was already used");
        }
        metrics.deleted(channel, type);
        return new Reply(200, deleteBody(serial, annotationSerial), fanOut(index, deleteSlot, payload,
            budget(request)));
    }

    /**
     * {@code GET .../messages/{messageSerial}/annotations} (spec 5.3), query {@code type}, {@code from_serial}
     * (exclusive), {@code limit} (capped at the page size) and {@code socket_id}, all optional.
     *
     * @param request the call.
     * @return 200 with a page of raw events, or an error.
     */
    public synchronized Reply list(final Request request)
    {
        final String channel = request.channel();
        final Reply disabled = checkEnabled(request);
        if (disabled != null)
        {
            return disabled;
        }
        final Map<String, String> query = request.query();
        final String socketId = query.get("socket_id");
        if (socketId != null)
        {
            final Object resolved = resolve(request, socketId, "subscriber");
            if (resolved instanceof Reply)
            {
                return (Reply)resolved;
            }
            if (!Capabilities.canSubscribeRaw(((Actor)resolved).capabilities(), channel))
            {
                return error(403, "forbidden",
                    "annotation-subscribe capability is required for channel '" + channel + "'");
            }
        }
        final String messageSerial = request.messageSerial();
        final String invalidMessage = Text.checkIdentifier("message_serial", messageSerial);
        if (invalidMessage != null)
        {
            return error(400, "invalid_input", invalidMessage);
        }
        final long requested = parseLimit(query.get("limit"));
        if (requested < 0)
        {
            return error(400, "invalid_input",
                "Failed to deserialize query string: limit: invalid digit found in string");
        }
        final int limit = (int)Math.min(requested, maxPageSize);
        if (limit == 0)
        {
            return error(400, "invalid_input", "Annotation event limit must be greater than 0");
        }
        final String fromSerial = query.get("from_serial");
        if (fromSerial != null)
        {
            final String invalidFrom = Text.checkIdentifier("serial", fromSerial);
            if (invalidFrom != null)
            {
                return error(400, "invalid_input", invalidFrom);
            }
        }
        final String type = query.get("type");
        if (type != null)
        {
            final Object parsed = AnnotationType.parse(type);
            if (!(parsed instanceof Summarizer))
            {
                return error(400, "invalid_input", (String)parsed);
            }
        }
        return new Reply(200, EventPage.render(engine, request, messageSerial, type, fromSerial, limit), List.of());
    }

    /**
     * The summary frames sent after a V2 subscription (spec 6.4): one {@code message.summary} per projection of the
     * channel, ordered by message serial then type, fitted to the default clipping budget.
     *
     * @param app     app id.
     * @param channel channel name (a wildcard pattern has no projections).
     * @return the frames, possibly empty.
     */
    public List<String> snapshot(final String app, final String channel)
    {
        return snapshot(app, channel, maxPayloadBytes);
    }

    /**
     * The summary frames sent after a V2 subscription, fitted to a given budget (0: no clipping). Counts one delivery
     * per frame and, when cold or stale projections had to be rebuilt, their number and the time it took.
     *
     * @param app             app id.
     * @param channel         channel name.
     * @param maxPayloadBytes clipping budget of the app.
     * @return the frames, possibly empty.
     */
    public synchronized List<String> snapshot(final String app, final String channel, final int maxPayloadBytes)
    {
        final ChannelIndex index = engine.channel(app, channel, false);
        if (index == null)
        {
            return List.of();
        }
        final Interner messages = index.messageSerials;
        final Integer[] order = new Integer[messages.size()];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> messages.compare(a, b));
        final List<String> frames = new ArrayList<>();
        long rebuilt = 0;
        long rebuildNs = 0;
        for (final Integer messageId : order)
        {
            final MessageIndex message = messageId < index.messages.length ? index.messages[messageId] : null;
            if (message == null)
            {
                continue;
            }
            final Projection[] projections = Arrays.copyOf(message.projections, message.typeCount);
            Arrays.sort(projections, (a, b) -> engine.types.compare(a.typeId, b.typeId));
            for (final Projection p : projections)
            {
                final long startNs = System.nanoTime();
                if (engine.ensureCurrent(p))
                {
                    rebuilt++;
                    rebuildNs += System.nanoTime() - startNs;
                }
                frames.add(fitter.fit(p, maxPayloadBytes, false));
            }
        }
        if (rebuilt > 0)
        {
            metrics.rebuilt(channel, rebuilt, rebuildNs / 1e9);
        }
        return frames;
    }

    /**
     * The current unclipped summary of one projection, e.g. for tests or a history read.
     *
     * @param app           app id.
     * @param channel       channel name.
     * @param messageSerial message serial.
     * @param type          annotation type.
     * @return the summary JSON, or null when the projection has no events.
     */
    public synchronized String summary(final String app, final String channel, final String messageSerial,
        final String type)
    {
        final Projection p = projection(app, channel, messageSerial, type);
        if (p == null)
        {
            return null;
        }
        engine.ensureCurrent(p);
        return p.state.toJson();
    }

    /**
     * Rebuilds one projection from the journal now.
     *
     * @param app           app id.
     * @param channel       channel name.
     * @param messageSerial message serial.
     * @param type          annotation type.
     * @return the number of events applied, or -1 when the projection has no events.
     */
    public synchronized int rebuild(final String app, final String channel, final String messageSerial,
        final String type)
    {
        final Projection p = projection(app, channel, messageSerial, type);
        return p == null ? -1 : engine.rebuild(p);
    }

    /**
     * Frees the state of every resident projection; each is rebuilt from the journal when next needed.
     */
    public synchronized void evictAll()
    {
        engine.evictAll();
    }

    /**
     * Retention: forgets the events whose journal records are gone, given the journal index of the oldest record
     * kept (journal indexes grow with every append and retention removes a prefix of the log, e.g. after
     * {@code EventLog.deleteBefore}, call it with {@code EventLog.firstIndex()}). Their index entries go, the
     * projections that had applied them are evicted and later rebuilt from the surviving events only (spec 3.2
     * {@code purge_before}, 3.4), messages and channels left without events are dropped, and interned serials,
     * names and client ids no longer referenced are reclaimed. Nothing is broadcast. Also reclaims the names and
     * client ids that only evicted projections referred to, so call it every retention pass even when nothing was
     * deleted. Cold path: allocates, and holds the engine for one pass over the affected channels.
     *
     * @param firstRetainedLogIndex journal index of the oldest record still readable; events below it are
     *                              forgotten. A value at or below every index (e.g. -1 for an empty log) forgets
     *                              nothing.
     * @return the number of events forgotten.
     */
    public synchronized int purgeBefore(final long firstRetainedLogIndex)
    {
        return purger.purgeBefore(firstRetainedLogIndex, IndexPurger.MIN_STRINGS_TO_COMPACT);
    }

    /**
     * Number of annotation events indexed (one entry each, journal records stay in the log).
     *
     * @return the count.
     */
    public synchronized long indexedEvents()
    {
        return engine.indexedEvents();
    }

    /**
     * The engine, for tests of its memory structures.
     *
     * @return the projection engine.
     */
    ProjectionEngine engine()
    {
        return engine;
    }

    /**
     * The purger, for tests that force compaction thresholds.
     *
     * @return the purger.
     */
    IndexPurger purger()
    {
        return purger;
    }

    /**
     * Number of projections whose state is in memory.
     *
     * @return the count.
     */
    public synchronized int residentProjections()
    {
        return engine.residentCount();
    }

    /**
     * Number of projection rebuilds from the journal since start (cold, stale or asked for).
     *
     * @return the count.
     */
    public synchronized long rebuildCount()
    {
        return engine.rebuilds;
    }

    /**
     * The six metrics of spec 8.2 in the Prometheus text format, with HELP and TYPE lines.
     *
     * @param prefix metric name prefix, e.g. {@code sockudo_}.
     * @return the exposition text.
     */
    public synchronized String metricsText(final String prefix)
    {
        final StringBuilder sb = new StringBuilder(1024);
        metrics.render(sb, prefix);
        return sb.toString();
    }

    /**
     * Whether sign-in capabilities allow a raw annotation subscription ({@code ANNOTATION_SUBSCRIBE}) of a channel:
     * ordinary subscribe (or {@code presence} on presence channels) and {@code annotation-subscribe} (spec 6.3).
     *
     * @param capabilities the capabilities in underscore spelling, or null.
     * @param channel      the channel.
     * @return true if allowed.
     */
    public static boolean canSubscribeRaw(final Map<String, List<String>> capabilities, final String channel)
    {
        return Capabilities.canSubscribeRaw(capabilities, channel);
    }

    /**
     * Logs a failed fan-out of a frame returned by this engine, with the message of spec 8.3.
     *
     * @param broadcast the frame that could not be sent.
     * @param error     the failure.
     */
    public static void logFanOutFailure(final Broadcast broadcast, final Throwable error)
    {
        LOG.log(System.Logger.Level.ERROR, (broadcast.raw() ? "annotation event" : "annotation summary") +
            " failed to fan out through cluster broadcast channel=" + broadcast.channel(), error);
    }

    private Projection projection(final String app, final String channel, final String messageSerial,
        final String type)
    {
        final ChannelIndex index = engine.channel(app, channel, false);
        if (index == null)
        {
            return null;
        }
        final int messageId = index.messageSerials.find(messageSerial);
        final int typeId = engine.types.find(type);
        if (messageId < 0 || typeId < 0 || messageId >= index.messages.length || index.messages[messageId] == null)
        {
            return null;
        }
        return index.messages[messageId].projection(typeId);
    }

    private Reply checkEnabled(final Request request)
    {
        if (!globallyEnabled)
        {
            return error(422, "feature_disabled",
                "Annotations are disabled globally for channel '" + request.channel() + "'");
        }
        if (!request.channelAnnotationsEnabled())
        {
            return error(403, "forbidden",
                "Annotations are disabled by channel policy for channel '" + request.channel() + "'");
        }
        return null;
    }

    /** The socket of a socket id as an {@link Actor}, or an error {@link Reply}. */
    private static Object resolve(final Request request, final String socketId, final String role)
    {
        if (!validSocketId(socketId))
        {
            return error(400, "invalid_input", "Invalid socket_id: " + socketId);
        }
        final Actor actor = request.actorBySocketId().apply(socketId);
        if (actor == null || !actor.connected())
        {
            return error(401, "auth_failed", "Annotation " + role + " socket '" + socketId + "' is not connected");
        }
        if (!actor.protocolV2())
        {
            return error(401, "auth_failed", "Annotation " + role + " socket must use protocol V2");
        }
        return actor;
    }

    /** Pusher socket id: digits, a dot, digits. */
    static boolean validSocketId(final String socketId)
    {
        final int dot = socketId.indexOf('.');
        if (dot <= 0 || dot == socketId.length() - 1)
        {
            return false;
        }
        for (int i = 0; i < socketId.length(); i++)
        {
            final char c = socketId.charAt(i);
            if (i != dot && (c < '0' || c > '9'))
            {
                return false;
            }
        }
        return true;
    }

    /** The limit query value, {@link #maxPageSize} when absent, -1 when not an unsigned integer. */
    private long parseLimit(final String text)
    {
        if (text == null)
        {
            return maxPageSize;
        }
        if (text.isEmpty() || text.length() > 18)
        {
            return text.length() > 18 && text.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private int budget(final Request request)
    {
        return request.maxPayloadBytes() >= 0 ? request.maxPayloadBytes() : maxPayloadBytes;
    }

    /** Summary frame first, then the raw frame of the event (spec 6.2). */
    private List<Broadcast> fanOut(final ChannelIndex index, final int slot, final byte[] payload, final int budget)
    {
        final MessageIndex message = index.message(index.messageOf[slot]);
        final Projection p = message.projection(index.typeOf[slot]);
        // Append-time rebuilds (cold or stale projection) are not metered, as in 4.4.0.
        engine.ensureCurrent(p);
        final String summary = fitter.fit(p, budget, true);
        final AnnotationRecord record = new AnnotationRecord();
        record.wrap(payload);
        return List.of(new Broadcast(index.channel, summary, false), new Broadcast(index.channel, Frames.raw(
            index.channel, record), true));
    }

    private static String deleteBody(final String serial, final String deleted)
    {
        final StringBuilder sb = new StringBuilder(128).append("{\"annotationSerial\":");
        JsonWriter.appendQuoted(sb, serial);
        sb.append(",\"deletedAnnotationSerial\":");
        JsonWriter.appendQuoted(sb, deleted);
        return sb.append('}').toString();
    }

    private static Reply error(final int status, final String code, final String message)
    {
        final StringBuilder sb = new StringBuilder(64 + message.length()).append("{\"error\":");
        JsonWriter.appendQuoted(sb, message);
        sb.append(",\"code\":\"").append(code).append("\",\"status\":").append(status).append('}');
        return new Reply(status, sb.toString(), List.of());
    }
}
