package io.sockudo.jvm.server.history;

import io.sockudo.jvm.protocol.json.JsonWriter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One version of a versioned message (spec protocol-v2 3.2-3.4): immutable once stored. JSON values ({@code data},
 * header values, {@code metadata}) are kept as their compact JSON text.
 */
public final class Version
{
    /** The reserved runtime header keys, overwritten on every stamp. */
    static final String[] RUNTIME_HEADERS = {"sockudo_action", "sockudo_message_serial", "sockudo_version_serial",
        "sockudo_version_timestamp_ms", "sockudo_history_serial"};

    /** Delivery serial of this version on the channel. */
    public final long deliverySerial;
    /** The message's serial (the create's version serial). */
    public final String messageSerial;
    /** History serial of the create. */
    public final long historySerial;
    /** This version's serial. */
    public final String versionSerial;
    /** {@code create}, {@code update}, {@code delete} or {@code append}. */
    public final String action;
    /** Actor of this version, or null. */
    public final String clientId;
    /** When this version was made. */
    public final long timestampMs;
    /** Operation description, or null. */
    public final String description;
    /** Operation metadata as JSON text, or null. */
    public final String metadataJson;
    /** Original event name, or null when cleared. */
    public final String name;
    /** {@code data} as JSON text, or null when absent or cleared. */
    public final String dataJson;
    /** Whether the message has an extras object (false when cleared). */
    public final boolean hasExtras;
    /** User headers (reserved keys excluded), key to JSON scalar text, in order. */
    public final Map<String, String> headers;
    /** The other extras members as a JSON fragment ({@code "echo":true,...}) without braces; may be empty. */
    public final String extrasRest;
    /** The user id of the create's actor, or null. */
    public final String originalClientId;

    /**
     * @param deliverySerial delivery serial
     * @param messageSerial message serial
     * @param historySerial history serial
     * @param versionSerial version serial
     * @param action action
     * @param clientId actor or null
     * @param timestampMs time
     * @param description description or null
     * @param metadataJson metadata JSON or null
     * @param name name or null
     * @param dataJson data JSON or null
     * @param hasExtras extras present
     * @param headers user headers
     * @param extrasRest other extras members
     * @param originalClientId creator or null
     */
    public Version(final long deliverySerial, final String messageSerial, final long historySerial,
        final String versionSerial, final String action, final String clientId, final long timestampMs,
        final String description, final String metadataJson, final String name, final String dataJson,
        final boolean hasExtras, final Map<String, String> headers, final String extrasRest,
        final String originalClientId)
    {
        this.deliverySerial = deliverySerial;
        this.messageSerial = messageSerial;
        this.historySerial = historySerial;
        this.versionSerial = versionSerial;
        this.action = action;
        this.clientId = clientId;
        this.timestampMs = timestampMs;
        this.description = description;
        this.metadataJson = metadataJson;
        this.name = name;
        this.dataJson = dataJson;
        this.hasExtras = hasExtras;
        this.headers = headers == null ? Map.of() : headers;
        this.extrasRest = extrasRest == null ? "" : extrasRest;
        this.originalClientId = originalClientId;
    }

    /**
     * Whether a header key is one the server stamps.
     *
     * @param key header key
     * @return true for reserved keys
     */
    public static boolean reservedHeader(final String key)
    {
        for (final String k : RUNTIME_HEADERS)
        {
            if (k.equals(key))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The extras object with this version's runtime headers stamped over the user headers (integers as integers).
     *
     * @param sb where to write
     * @param actionHeader the {@code sockudo_action} value, e.g. {@code message.update}
     */
    public void appendStampedExtras(final StringBuilder sb, final String actionHeader)
    {
        sb.append("{\"headers\":{");
        for (final Map.Entry<String, String> h : headers.entrySet())
        {
            JsonWriter.appendQuoted(sb, h.getKey());
            sb.append(':').append(h.getValue()).append(',');
        }
        sb.append("\"sockudo_action\":");
        JsonWriter.appendQuoted(sb, actionHeader);
        sb.append(",\"sockudo_message_serial\":");
        JsonWriter.appendQuoted(sb, messageSerial);
        sb.append(",\"sockudo_version_serial\":");
        JsonWriter.appendQuoted(sb, versionSerial);
        sb.append(",\"sockudo_version_timestamp_ms\":").append(timestampMs);
        sb.append(",\"sockudo_history_serial\":").append(historySerial).append('}');
        if (!extrasRest.isEmpty())
        {
            sb.append(',').append(extrasRest);
        }
        sb.append('}');
    }

    /**
     * The item shape of spec 3.4: the flattened message, then action, serials and version.
     *
     * @param sb where to write
     * @param channel channel name
     */
    public void appendItem(final StringBuilder sb, final String channel)
    {
        sb.append("{\"event\":\"sockudo:message.").append(action).append("\",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        if (dataJson != null)
        {
            sb.append(",\"data\":").append(dataJson);
        }
        if (name != null)
        {
            sb.append(",\"name\":");
            JsonWriter.appendQuoted(sb, name);
        }
        sb.append(",\"serial\":").append(deliverySerial);
        if (hasExtras)
        {
            sb.append(",\"extras\":");
            appendStampedExtras(sb, "message." + action);
        }
        sb.append(",\"action\":\"").append(action).append("\",\"message_serial\":");
        JsonWriter.appendQuoted(sb, messageSerial);
        sb.append(",\"history_serial\":").append(historySerial);
        sb.append(",\"delivery_serial\":").append(deliverySerial);
        sb.append(",\"version\":{\"serial\":");
        JsonWriter.appendQuoted(sb, versionSerial);
        if (clientId != null)
        {
            sb.append(",\"client_id\":");
            JsonWriter.appendQuoted(sb, clientId);
        }
        sb.append(",\"timestamp_ms\":").append(timestampMs);
        if (description != null)
        {
            sb.append(",\"description\":");
            JsonWriter.appendQuoted(sb, description);
        }
        if (metadataJson != null)
        {
            sb.append(",\"metadata\":").append(metadataJson);
        }
        sb.append("}}");
    }

    /**
     * A copy of the user headers map (for patching).
     *
     * @return a mutable copy
     */
    public Map<String, String> headersCopy()
    {
        return new LinkedHashMap<>(headers);
    }

    /**
     * A live frame carrying this version (spec protocol-v2 3.2 step 9 and 3.7).
     *
     * @param sb where to write
     * @param event the event name: the original name for a create, {@code sockudo:message.<action>} otherwise
     * @param channel channel
     * @param messageId message id
     * @param streamId version stream id
     */
    public void appendLiveFrame(final StringBuilder sb, final String event, final String channel,
        final String messageId, final String streamId)
    {
        sb.append("{\"event\":");
        JsonWriter.appendQuoted(sb, event);
        sb.append(",\"channel\":");
        JsonWriter.appendQuoted(sb, channel);
        if (dataJson != null)
        {
            sb.append(",\"data\":").append(dataJson);
        }
        if (name != null && !"create".equals(action))
        {
            sb.append(",\"name\":");
            JsonWriter.appendQuoted(sb, name);
        }
        sb.append(",\"message_id\":");
        JsonWriter.appendQuoted(sb, messageId);
        sb.append(",\"stream_id\":");
        JsonWriter.appendQuoted(sb, streamId);
        sb.append(",\"serial\":").append(deliverySerial).append(",\"extras\":");
        appendStampedExtras(sb, "message." + action);
        sb.append('}');
    }

    /**
     * Splits an extras object into user headers (reserved keys dropped) and the other members.
     *
     * @param s scanner holding the extras
     * @param extras the extras object token
     * @param headersOut receives header key to compact JSON value
     * @return the other members as a compact JSON fragment without braces
     */
    public static String splitExtras(final io.sockudo.jvm.protocol.json.JsonScanner s, final int extras,
        final Map<String, String> headersOut)
    {
        final StringBuilder rest = new StringBuilder();
        for (int k = s.firstChild(extras); k >= 0; k = s.next(s.next(k)))
        {
            final String key = s.stringValue(k);
            final int value = s.next(k);
            if ("headers".equals(key))
            {
                if (s.type(value) == io.sockudo.jvm.protocol.json.JsonScanner.OBJECT)
                {
                    for (int h = s.firstChild(value); h >= 0; h = s.next(s.next(h)))
                    {
                        final String hk = s.stringValue(h);
                        if (!reservedHeader(hk))
                        {
                            headersOut.put(hk, JsonWriter.compact(s, s.next(h)));
                        }
                    }
                }
                continue;
            }
            if (rest.length() > 0)
            {
                rest.append(',');
            }
            JsonWriter.appendQuoted(rest, key);
            rest.append(':').append(JsonWriter.compact(s, value));
        }
        return rest.toString();
    }
}
