package io.sockudo.jvm.server.history;

/**
 * One history row (spec protocol-v2 3.5): a stored V2 envelope with its serial and metadata. The envelope bytes are
 * held in memory ({@code memory} backend) or read back from the event log by index ({@code log} backend).
 */
public final class HistoryItem
{
    /** History serial. */
    public final long serial;
    /** Publish time. */
    public final long publishedAtMs;
    /** The message id, or null. */
    public final String messageId;
    /** The original event name. */
    public final String eventName;
    /** Always {@code append} for stored rows. */
    public final String operationKind;
    /** Envelope size in bytes. */
    public final int payloadSize;
    /** The message serial when the row is a versioned create, else null. */
    public final String messageSerial;
    /** Envelope bytes, or null when they live in the log. */
    final byte[] envelope;
    /** Log index of the record holding the envelope, or -1. */
    final long logIndex;

    HistoryItem(final long serial, final long publishedAtMs, final String messageId, final String eventName,
        final String operationKind, final int payloadSize, final String messageSerial, final byte[] envelope,
        final long logIndex)
    {
        this.serial = serial;
        this.publishedAtMs = publishedAtMs;
        this.messageId = messageId;
        this.eventName = eventName;
        this.operationKind = operationKind;
        this.payloadSize = payloadSize;
        this.messageSerial = messageSerial;
        this.envelope = envelope;
        this.logIndex = logIndex;
    }
}
