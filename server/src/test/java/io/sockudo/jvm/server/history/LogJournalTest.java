package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.EventLogConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable journal: only the named log-writer thread may append, and what it appended is rebuilt at start-up.
 */
class LogJournalTest
{
    private static final HistoryPolicy FOREVER = new HistoryPolicy(true, true, 0, 0, 0, false);

    @Test
    void onlyTheWriterThreadAppendsAndAReopenRebuildsTheRows(@TempDir final Path dir)
    {
        final LogJournal journal = new LogJournal(EventLog.open(new EventLogConfig().directory(dir)));
        final MessageStore store = new MessageStore(journal, journal.log().serialClock());
        final ChannelStreams streams = store.streams("app", "ch");
        final Thread writer = new Thread(() ->
        {
        }, "log-writer");
        store.writerThread(writer);
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> streams.appendHistory(FOREVER, 1, "m", "e", null, new byte[] {'x'}));
        assertTrue(refused.getMessage().startsWith("event log appends belong to the log writer"),
            refused.getMessage());
        assertEquals(0, streams.retainedMessages(), "a refused append stores nothing");

        store.writerThread(Thread.currentThread());
        streams.appendHistory(FOREVER, 1, "m1", "e", null, new byte[] {'a'});
        streams.appendHistory(FOREVER, 2, "m2", "e", null, new byte[] {'b'});
        journal.close();

        final LogJournal reopened = new LogJournal(EventLog.open(new EventLogConfig().directory(dir)));
        final MessageStore rebuilt = new MessageStore(reopened, reopened.log().serialClock());
        assertEquals(2, reopened.replayInto(rebuilt, null));
        final ChannelStreams again = rebuilt.streams("app", "ch");
        assertEquals(2, again.retainedMessages());
        assertEquals("b", new String(again.envelope(again.read(false, -1, -1, -1, -1, -1, 1).get(0)),
            java.nio.charset.StandardCharsets.US_ASCII));
        reopened.close();
    }
}
