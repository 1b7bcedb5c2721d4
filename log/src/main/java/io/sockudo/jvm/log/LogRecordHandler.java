package io.sockudo.jvm.log;

/**
 * Receives records from {@link EventLog#replay(long, LogRecordHandler, int)} and
 * {@link EventLog#read(long, LogRecordHandler)}.
 */
@FunctionalInterface
public interface LogRecordHandler
{
    /**
     * One record. The flyweight and its buffers are valid only during this call: copy what must outlive it.
     *
     * @param record the record, reused for the next call.
     */
    void onRecord(LogRecord record);
}
