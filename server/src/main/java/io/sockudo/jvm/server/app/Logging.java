package io.sockudo.jvm.server.app;

import io.sockudo.jvm.protocol.json.JsonWriter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log output of the server process: one line per record on standard error, human-readable by default and JSON
 * with {@code LOG_OUTPUT_FORMAT=json} (Sockudo's variable). The server logs through {@link System.Logger}, which
 * the JDK backs with {@code java.util.logging}; nothing is logged per message.
 */
public final class Logging
{
    private Logging()
    {
    }

    /** Held strongly: java.util.logging keeps only weak references to loggers, and with them their level. */
    private static final Logger CHRONICLE = Logger.getLogger("net.openhft");

    /**
     * Installs the formatter on the root logger's console handler.
     *
     * @param env process environment
     */
    public static void configure(final Map<String, String> env)
    {
        final boolean json = "json".equalsIgnoreCase(env.getOrDefault("LOG_OUTPUT_FORMAT", "").trim());
        final Logger root = Logger.getLogger("");
        for (final Handler h : root.getHandlers())
        {
            root.removeHandler(h);
        }
        final ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(json ? new JsonFormatter() : new HumanFormatter());
        root.addHandler(handler);
        // Chronicle's start-up banners are INFO; its warnings and errors still show.
        CHRONICLE.setLevel(Level.WARNING);
    }

    /** {@code 2026-12-03T20:00:00.123Z INFO  sockudo: message}. */
    static final class HumanFormatter extends Formatter
    {
        @Override
        public String format(final LogRecord record)
        {
            final StringBuilder sb = new StringBuilder(128);
            sb.append(record.getInstant()).append(' ');
            final String level = level(record.getLevel());
            sb.append(level);
            for (int i = level.length(); i < 6; i++)
            {
                sb.append(' ');
            }
            sb.append(record.getLoggerName()).append(": ").append(formatMessage(record)).append('\n');
            if (record.getThrown() != null)
            {
                sb.append(stackTrace(record.getThrown()));
            }
            return sb.toString();
        }
    }

    /** {@code {"timestamp":"…","level":"INFO","target":"sockudo","thread":"main","message":"…"}}. */
    static final class JsonFormatter extends Formatter
    {
        @Override
        public String format(final LogRecord record)
        {
            final StringBuilder sb = new StringBuilder(160);
            sb.append("{\"timestamp\":");
            JsonWriter.appendQuoted(sb, Instant.ofEpochMilli(record.getMillis()).toString());
            sb.append(",\"level\":\"").append(level(record.getLevel())).append("\",\"target\":");
            JsonWriter.appendQuoted(sb, String.valueOf(record.getLoggerName()));
            sb.append(",\"thread\":");
            JsonWriter.appendQuoted(sb, Thread.currentThread().getName());
            sb.append(",\"message\":");
            JsonWriter.appendQuoted(sb, formatMessage(record));
            if (record.getThrown() != null)
            {
                sb.append(",\"error\":");
                JsonWriter.appendQuoted(sb, stackTrace(record.getThrown()));
            }
            return sb.append("}\n").toString();
        }
    }

    static String level(final Level level)
    {
        final int v = level.intValue();
        if (v >= Level.SEVERE.intValue())
        {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue())
        {
            return "WARN";
        }
        if (v >= Level.INFO.intValue())
        {
            return "INFO";
        }
        if (v >= Level.FINE.intValue())
        {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static String stackTrace(final Throwable thrown)
    {
        final StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
