package io.sockudo.jvm.server.annotation;

/**
 * Persistence boundary of the annotation engine, implemented on the event log. The log on disk is authoritative:
 * projections are rebuilt from it by {@link #read}.
 */
public interface AnnotationJournal
{
    /**
     * Durably appends one annotation event record.
     *
     * @param app         app id.
     * @param channel     channel name.
     * @param serial      annotation serial of the event.
     * @param timestampMs event time in ms since the epoch.
     * @param payload     the encoded event (see {@link AnnotationRecord}); not modified afterwards.
     * @return the log index of the record (opaque), later given to {@link #read}.
     */
    long append(String app, String channel, String serial, long timestampMs, byte[] payload);

    /**
     * Reads back the payload of a record appended before.
     *
     * @param index a value returned by {@link #append} (or given to {@link Annotations#restore}).
     * @return the payload, or null if the record is gone (retention). The caller does not modify it.
     */
    byte[] read(long index);
}
