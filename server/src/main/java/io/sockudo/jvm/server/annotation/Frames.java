package io.sockudo.jvm.server.annotation;

import io.sockudo.jvm.protocol.json.JsonWriter;

/**
 * JSON of the wire frames (spec 6.1, 6.2) and of list items (5.3).
 */
final class Frames
{
    static final String SUMMARY_EVENT = "sockudo_internal:message";
    static final String RAW_EVENT = "sockudo_internal:annotation";

    private Frames()
    {
    }

    /**
     * Starts a summary frame; the caller then writes the summary value and {@link #endSummary}.
     *
     * @param sb            destination.
     * @param channel       channel name.
     * @param messageSerial the annotated message.
     * @param type          the annotation type, the only key of {@code summary}.
     */
    static void beginSummary(final StringBuilder sb, final String channel, final String messageSerial,
        final String type)
    {
        sb.append("{\"event\":\"" + SUMMARY_EVENT + "\",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"data\":{\"action\":\"message.summary\",\"serial\":");
        JsonWriter.appendQuoted(sb, messageSerial);
        sb.append(",\"annotations\":{\"summary\":{");
        JsonWriter.appendQuoted(sb, type);
        sb.append(':');
    }

    /**
     * Ends a summary frame: ephemeral, no serial, message id or stream id.
     *
     * @param sb destination.
     */
    static void endSummary(final StringBuilder sb)
    {
        sb.append("}}},\"extras\":{\"ephemeral\":true}}");
    }

    /**
     * A raw annotation frame. Ephemeral by decision: no {@code serial}, {@code message_id}, {@code stream_id} or
     * {@code extras.headers} (4.4.0 persists it as a message; spec 6.5).
     *
     * @param channel channel name.
     * @param record  the event.
     * @return the frame.
     */
    static String raw(final String channel, final AnnotationRecord record)
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"event\":\"" + RAW_EVENT + "\",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        sb.append(",\"data\":");
        item(sb, record);
        sb.append('}');
        return sb.toString();
    }

    /**
     * The wire shape of one event (spec 6.2): action, id (creates only), serial, messageSerial, type, name, clientId,
     * count, data, encoding, timestamp; absent optionals omitted.
     *
     * @param sb     destination.
     * @param record the event.
     */
    static void item(final StringBuilder sb, final AnnotationRecord record)
    {
        final boolean delete = record.isDelete();
        sb.append("{\"action\":\"").append(delete ? "annotation.delete" : "annotation.create").append('"');
        if (!delete)
        {
            field(sb, "id", record.string(AnnotationRecord.FIELD_ID));
        }
        field(sb, "serial", record.string(AnnotationRecord.FIELD_SERIAL));
        field(sb, "messageSerial", record.string(AnnotationRecord.FIELD_MESSAGE_SERIAL));
        field(sb, "type", record.string(AnnotationRecord.FIELD_TYPE));
        if (record.has(AnnotationRecord.HAS_NAME))
        {
            field(sb, "name", record.string(AnnotationRecord.FIELD_NAME));
        }
        if (record.has(AnnotationRecord.HAS_CLIENT))
        {
            field(sb, "clientId", record.string(AnnotationRecord.FIELD_CLIENT));
        }
        if (record.has(AnnotationRecord.HAS_COUNT))
        {
            sb.append(",\"count\":");
            SummaryState.appendUnsigned(sb, record.count());
        }
        if (!delete && record.has(AnnotationRecord.HAS_DATA))
        {
            sb.append(",\"data\":").append(record.string(AnnotationRecord.FIELD_DATA));
        }
        if (!delete && record.has(AnnotationRecord.HAS_ENCODING))
        {
            field(sb, "encoding", record.string(AnnotationRecord.FIELD_ENCODING));
        }
        sb.append(",\"timestamp\":").append(record.timestampMs()).append('}');
    }

    private static void field(final StringBuilder sb, final String key, final String value)
    {
        sb.append(",\"").append(key).append("\":");
        JsonWriter.appendQuoted(sb, value);
    }
}
