/**
 * The durable, append-only event log (message creates, message versions and annotation events), stored in a
 * Chronicle Queue. This is the only package of the project that imports Chronicle; its public API shows only
 * {@link org.agrona.DirectBuffer}, primitives and {@link java.lang.CharSequence}/{@link java.lang.String}.
 * <ul>
 *     <li>{@link io.sockudo.jvm.log.EventLog}: open (scanning the log once to resume the serial clock and find
 *     the last index), append, replay from an index, random read by index, retention by age, close.</li>
 *     <li>{@link io.sockudo.jvm.log.EventLogConfig} and {@link io.sockudo.jvm.log.LogRollCycle}: directory, node
 *     id, clock and file roll cycle.</li>
 *     <li>{@link io.sockudo.jvm.log.LogRecord}: the reusable flyweight handed to a
 *     {@link io.sockudo.jvm.log.LogRecordHandler}; the payload is viewed in the mapped file, not copied.</li>
 *     <li>{@link io.sockudo.jvm.log.SerialClock}: the hybrid logical clock that mints the string serials
 *     {@code {ms:020}:{nodeId}:{counter:020}}.</li>
 * </ul>
 * Records are raw bytes in one Chronicle document each, laid out by {@code LogRecordDescriptor}. Appends,
 * retention and the serial clock belong to one writer at a time (the caller serialises them); reads and replays
 * may run on any threads at once, each with its own tailer.
 */
package io.sockudo.jvm.log;
