package io.sockudo.jvm.server.reactor;

import io.sockudo.jvm.protocol.json.JsonWriter;
import io.sockudo.jvm.protocol.pusher.ChannelName;
import io.sockudo.jvm.server.channel.AppRegistry;
import io.sockudo.jvm.server.channel.AppState;
import io.sockudo.jvm.server.channel.Channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /usage} (host memory) and {@code GET /stats} (memory plus node-local connection and occupancy
 * counts per app), when {@code http_api.usage_enabled}.
 */
final class Usage
{
    private Usage()
    {
    }

    /**
     * {@code {"memory":{"free":…,"used":…,"total":…,"percent":…}}} in bytes, from /proc/meminfo
     * ({@code free} is MemAvailable).
     *
     * @return JSON
     */
    static String usageJson()
    {
        return "{\"memory\":" + memoryJson() + "}";
    }

    static String statsJson(final AppRegistry registry)
    {
        final List<AppState> apps = new ArrayList<>(registry.apps());
        apps.sort(Comparator.comparing(a -> a.config().id));
        final long[] totals = new long[8];
        final StringBuilder perApp = new StringBuilder(256);
        for (final AppState app : apps)
        {
            final long[] counts = counts(app);
            for (int i = 0; i < totals.length; i++)
            {
                totals[i] += counts[i];
            }
            if (perApp.length() > 0)
            {
                perApp.append(',');
            }
            perApp.append("{\"app_id\":");
            JsonWriter.appendQuoted(perApp, app.config().id);
            perApp.append(',');
            appendCounts(perApp, counts);
            perApp.append('}');
        }
        final StringBuilder sb = new StringBuilder(512);
        sb.append("{\"memory\":").append(memoryJson()).append(",\"totals\":{\"apps\":").append(apps.size())
            .append(',');
        appendCounts(sb, totals);
        return sb.append("},\"apps\":[").append(perApp).append("]}").toString();
    }

    /** connections, authenticated, users, channels, subscriptions, presence channels/subscriptions/members. */
    private static long[] counts(final AppState app)
    {
        final long[] c = new long[8];
        c[0] = app.connectionCount();
        c[1] = app.authenticatedCount();
        c[2] = app.userCount();
        for (final Channel ch : app.channels())
        {
            final int subs = ch.subscriptionCount();
            if (subs == 0)
            {
                continue;
            }
            c[3]++;
            c[4] += subs;
            if (ChannelName.isPresence(ch.name()))
            {
                c[5]++;
                c[6] += subs;
                c[7] += ch.userCount();
            }
        }
        return c;
    }

    private static void appendCounts(final StringBuilder sb, final long[] c)
    {
        sb.append("\"connections\":").append(c[0])
            .append(",\"authenticated_connections\":").append(c[1])
            .append(",\"users\":").append(c[2])
            .append(",\"occupancy\":{\"channels\":").append(c[3])
            .append(",\"subscriptions\":").append(c[4])
            .append(",\"presence_channels\":").append(c[5])
            .append(",\"presence_subscriptions\":").append(c[6])
            .append(",\"presence_members\":").append(c[7]).append('}');
    }

    private static String memoryJson()
    {
        long total = -1;
        long available = -1;
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("MemTotal:"))
                {
                    total = kb(line) * 1024;
                }
                else if (line.startsWith("MemAvailable:"))
                {
                    available = kb(line) * 1024;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: report the JVM's view instead
        }
        if (total < 0 || available < 0)
        {
            total = Runtime.getRuntime().maxMemory();
            available = total - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        }
        final long used = total - available;
        return "{\"free\":" + available + ",\"used\":" + used + ",\"total\":" + total + ",\"percent\":" +
            String.format(Locale.ROOT, "%.2f", total == 0 ? 0.0 : used * 100.0 / total) + "}";
    }

    private static long kb(final String line)
    {
        return Long.parseLong(line.trim().split("\\s+")[1]);
    }
}
