package io.sockudo.jvm.server.app;

import io.sockudo.jvm.protocol.json.JsonScanner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingTest
{
    @Test
    void shouldWriteOneJsonObjectPerRecord()
    {
        final LogRecord record = new LogRecord(Level.WARNING, "cannot listen on \"x\"\nsecond line");
        record.setLoggerName("sockudo");
        record.setThrown(new IllegalStateException("boom"));
        final String line = new Logging.JsonFormatter().format(record);
        assertTrue(line.endsWith("}\n"));
        assertEquals(1, line.split("\n", -1).length - 1, "exactly one line");
        final byte[] bytes = line.trim().getBytes(StandardCharsets.UTF_8);
        final JsonScanner s = new JsonScanner();
        assertTrue(s.scan(new UnsafeBuffer(bytes), 0, bytes.length), s.errorMessage());
        assertEquals("WARN", s.stringValue(s.member(s.root(), "level")));
        assertEquals("sockudo", s.stringValue(s.member(s.root(), "target")));
        assertEquals("cannot listen on \"x\"\nsecond line", s.stringValue(s.member(s.root(), "message")));
        assertTrue(s.stringValue(s.member(s.root(), "error")).contains("IllegalStateException: boom"));
        assertTrue(s.stringValue(s.member(s.root(), "timestamp")).endsWith("Z"));
    }

    @Test
    void shouldWriteAHumanReadableLine()
    {
        final LogRecord record = new LogRecord(Level.INFO, "listening");
        record.setLoggerName("sockudo");
        final String line = new Logging.HumanFormatter().format(record);
        assertTrue(line.matches("\\S+Z INFO  sockudo: listening\\n"), line);
    }
}
