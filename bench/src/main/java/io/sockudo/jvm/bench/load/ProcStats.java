package io.sockudo.jvm.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time and resident memory from Linux {@code /proc}. Returns -1 when the process or the file
 * system is not there (another OS, a process that has exited), so callers can report "n/a" instead of failing.
 */
public final class ProcStats
{
    /** Linux reports {@code utime}/{@code stime} in USER_HZ ticks, which is 100 per second on every mainline arch. */
    public static final long MICROS_PER_TICK = 10_000L;

    private ProcStats()
    {
    }

    /**
     * Total CPU time (user + system) a process has used so far.
     *
     * @param pid the process id.
     * @return CPU time in microseconds, or -1 if it cannot be read.
     */
    public static long cpuMicros(final long pid)
    {
        final String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (null == stat)
        {
            return -1;
        }
        // The command name (field 2) is in parentheses and may hold spaces; fields after the last ')' start at 3.
        final int close = stat.lastIndexOf(')');
        if (close < 0)
        {
            return -1;
        }
        final String[] fields = stat.substring(close + 2).trim().split(" ");
        if (fields.length < 13)
        {
            return -1;
        }
        final long utime = Long.parseLong(fields[11]);
        final long stime = Long.parseLong(fields[12]);
        return (utime + stime) * MICROS_PER_TICK;
    }

    /**
     * Resident set size ({@code VmRSS}) of a process.
     *
     * @param pid the process id.
     * @return RSS in KiB, or -1 if it cannot be read.
     */
    public static long rssKiB(final long pid)
    {
        final String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (null == status)
        {
            return -1;
        }
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("VmRSS:"))
            {
                final String value = line.substring(6).trim();
                final int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space));
            }
        }
        return -1;
    }

    private static String read(final Path path)
    {
        try
        {
            return new String(Files.readAllBytes(path), StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
