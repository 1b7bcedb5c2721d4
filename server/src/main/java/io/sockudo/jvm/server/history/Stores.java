package io.sockudo.jvm.server.history;

import io.sockudo.jvm.log.EventLog;
import io.sockudo.jvm.log.EventLogConfig;
import io.sockudo.jvm.log.LogRollCycle;
import io.sockudo.jvm.log.SerialClock;
import io.sockudo.jvm.server.annotation.AnnotationJournal;
import io.sockudo.jvm.server.annotation.Annotations;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.config.ConfigException;
import io.sockudo.jvm.server.config.NamespaceConfig;
import io.sockudo.jvm.server.config.ServerContext;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link MessageStore} the configuration asks for, and its retention task.
 */
public final class Stores
{
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.history");

    private Stores()
    {
    }

    /**
     * Opens the store: the event log under {@code history.log.directory} when the backend is {@code log} and some
     * channel can have history, otherwise memory. Rebuilds the indexes from the log before returning.
     *
     * @param context the configuration
     * @param apps the apps (their policies can enable history)
     * @return the store
     */
    public static MessageStore open(final ServerContext context, final Collection<AppState> apps)
    {
        final boolean durable = context.history.durable() && !"memory".equals(context.versionedMessages.driver);
        final MessageStore store;
        if (durable && historyPossible(context, apps))
        {
            final LogRollCycle cycle;
            try
            {
                cycle = LogRollCycle.valueOf(context.history.logRollCycle.trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("history.log.roll_cycle: expected one of " +
                    java.util.Arrays.toString(LogRollCycle.values()) + " but was \"" + context.history.logRollCycle +
                    "\"");
            }
            final EventLog log;
            try
            {
                log = EventLog.open(new EventLogConfig().directory(Path.of(context.history.logDirectory))
                    .nodeId(context.instanceProcessId).rollCycle(cycle).conclude());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("history.log: " + ex.getMessage());
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalStateException("cannot open the event log in " + context.history.logDirectory +
                    ": " + ex.getMessage(), ex);
            }
            final LogJournal journal = new LogJournal(log);
            store = new MessageStore(journal, log.serialClock());
            store.annotations(annotations(context, journal, store));
            final long records = journal.replayInto(store, store.annotations());
            LOG.log(System.Logger.Level.INFO, "history log " + context.history.logDirectory + ": " + records +
                " records replayed");
        }
        else
        {
            try
            {
                store = new MessageStore(Journal.NONE, new SerialClock(context.instanceProcessId,
                    System::currentTimeMillis));
                store.annotations(annotations(context, new MemoryAnnotationJournal(), store));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("instance.process_id: " + ex.getMessage());
            }
        }
        final Map<String, AppState> byId = new java.util.HashMap<>();
        for (final AppState app : apps)
        {
            byId.put(app.config().id, app);
        }
        final long logRetentionMs = logRetentionMs(context, apps);
        final long versionRetentionMs = context.versionedMessages.retentionWindowSeconds * 1000;
        store.schedule(() -> retention(store, byId, logRetentionMs, versionRetentionMs),
            context.history.purgeIntervalSeconds * 1000L);
        return store;
    }

    private static Annotations annotations(final ServerContext context, final AnnotationJournal journal,
        final MessageStore store)
    {
        final Object section = context.sections.get("annotations");
        final boolean enabled = section instanceof Map && Boolean.TRUE.equals(((Map<?, ?>)section).get("enabled"));
        return new Annotations(enabled, context.websocketMaxPayloadKb * 1024, journal, store::nextSerial,
            System::currentTimeMillis, context.versionedMessages.maxPageSize,
            Annotations.DEFAULT_MAX_RESIDENT_PROJECTIONS);
    }

    private static void retention(final MessageStore store, final Map<String, AppState> apps,
        final long logRetentionMs, final long versionRetentionMs)
    {
        try
        {
            final long now = System.currentTimeMillis();
            store.evictAll((app, channel) ->
            {
                final AppState state = apps.get(app);
                return state == null ? null : state.historyPolicy(channel);
            }, now, versionRetentionMs);
            long firstRetained = -1;
            if (logRetentionMs > 0 && store.journal instanceof LogJournal)
            {
                final LogJournal journal = (LogJournal)store.journal;
                journal.deleteBefore(now - logRetentionMs);
                firstRetained = journal.log().firstIndex();
            }
            // forgets annotation events whose records are gone, and reclaims interned ids of evicted projections
            store.annotations().purgeBefore(firstRetained);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "history retention failed: " + ex);
        }
    }

    /**
     * How old a log file must be before it can be deleted: the longest retention any channel can have, or 0 (never)
     * when something is kept forever (a window of 0 anywhere, or versioned messages without a window).
     */
    static long logRetentionMs(final ServerContext context, final Collection<AppState> apps)
    {
        long longest = context.history.retentionWindowSeconds;
        if (longest == 0)
        {
            return 0;
        }
        if (context.versionedMessages.enabled)
        {
            if (context.versionedMessages.retentionWindowSeconds == 0)
            {
                return 0;
            }
            longest = Math.max(longest, context.versionedMessages.retentionWindowSeconds);
        }
        for (final AppState app : apps)
        {
            final long appWindow = window(app.config().extra.get("history"));
            final java.util.List<NamespaceConfig> namespaces = app.config().channelNamespaces;
            if (appWindow == 0)
            {
                return 0;
            }
            longest = Math.max(longest, appWindow);
            for (final NamespaceConfig ns : namespaces)
            {
                final long nsWindow = window(ns.extra.get("history"));
                if (nsWindow == 0)
                {
                    return 0;
                }
                longest = Math.max(longest, nsWindow);
            }
        }
        return longest * 1000;
    }

    /** A policy's retention_window_seconds: -1 when unset. */
    private static long window(final Object history)
    {
        if (!(history instanceof Map))
        {
            return -1;
        }
        final Object value = ((Map<?, ?>)history).get("retention_window_seconds");
        if (value instanceof Number)
        {
            return ((Number)value).longValue();
        }
        if (value instanceof String)
        {
            try
            {
                return Long.parseLong(((String)value).trim());
            }
            catch (final NumberFormatException ex)
            {
                return -1;
            }
        }
        return -1;
    }

    private static boolean historyPossible(final ServerContext context, final Collection<AppState> apps)
    {
        if (context.history.enabled || context.versionedMessages.enabled)
        {
            return true;
        }
        for (final AppState app : apps)
        {
            final Object history = app.config().extra.get("history");
            if (history instanceof Map && Boolean.TRUE.equals(((Map<?, ?>)history).get("enabled")))
            {
                return true;
            }
            if (app.annotationsEnabledGlobally())
            {
                return true;
            }
        }
        return false;
    }
}
