package io.sockudo.jvm.server.annotation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An independent, heap-based model of the summarizers for the property tests: plain collections, events sorted by
 * serial, first serial wins, first delete of an annotation counts, unique.v1 deletes only the active annotation.
 */
final class ReferenceModel
{
    /** One event as a test generates it. */
    record Event(boolean delete, String serial, String type, String target, String name, String clientId, long count)
    {
        byte[] payload(final String messageSerial)
        {
            return AnnotationRecord.encode(delete, "id-" + (delete ? target : serial), serial, messageSerial, type,
                delete ? target : null, name, clientId, count != 1, count, null, null, 1L);
        }
    }

    private static final Comparator<String> CODE_POINTS = ReferenceModel::compareCodePoints;

    private ReferenceModel()
    {
    }

    private static int compareCodePoints(final String a, final String b)
    {
        final int[] x = a.codePoints().toArray();
        final int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++)
        {
            if (x[i] != y[i])
            {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * The summary of the events of one type, as JSON.
     *
     * @param kind   the summarizer.
     * @param events events in arrival order (duplicates allowed).
     * @return the summary JSON.
     */
    static String summarize(final Summarizer kind, final List<Event> events)
    {
        final TreeMap<String, Event> bySerial = new TreeMap<>(CODE_POINTS);
        for (final Event e : events)
        {
            bySerial.putIfAbsent(e.serial(), e);
        }
        final Set<String> deletedTargets = new HashSet<>();
        long total = 0;
        final TreeMap<String, TreeSet<String>> buckets = new TreeMap<>(CODE_POINTS);
        final Map<String, String[]> active = new TreeMap<>();
        final TreeMap<String, TreeMap<String, Long>> counts = new TreeMap<>(CODE_POINTS);
        final TreeMap<String, Long> unidentified = new TreeMap<>(CODE_POINTS);
        for (final Event e : bySerial.values())
        {
            if (e.delete() && !deletedTargets.add(e.target()))
            {
                continue;
            }
            final String bucket = kind == Summarizer.FLAG ? "" : e.name();
            switch (kind)
            {
                case TOTAL:
                    total = e.delete() ? Math.max(0, total - 1) : total + 1;
                    break;
                case FLAG:
                case DISTINCT:
                    if (!e.delete())
                    {
                        buckets.computeIfAbsent(bucket, k -> new TreeSet<>(CODE_POINTS)).add(e.clientId());
                    }
                    else if (buckets.containsKey(bucket))
                    {
                        buckets.get(bucket).remove(e.clientId());
                        if (buckets.get(bucket).isEmpty())
                        {
                            buckets.remove(bucket);
                        }
                    }
                    break;
                case UNIQUE:
                {
                    final String[] current = active.get(e.clientId());
                    if (!e.delete())
                    {
                        if (current != null)
                        {
                            removeFrom(buckets, current[0], e.clientId());
                        }
                        active.put(e.clientId(), new String[] {e.name(), e.serial()});
                        buckets.computeIfAbsent(e.name(), k -> new TreeSet<>(CODE_POINTS)).add(e.clientId());
                    }
                    else if (current != null && current[1].equals(e.target()))
                    {
                        removeFrom(buckets, current[0], e.clientId());
                        active.remove(e.clientId());
                    }
                    break;
                }
                default:
                {
                    final TreeMap<String, Long> perClient =
                        counts.computeIfAbsent(e.name(), k -> new TreeMap<>(CODE_POINTS));
                    unidentified.putIfAbsent(e.name(), 0L);
                    if (!e.delete())
                    {
                        if (e.clientId() == null)
                        {
                            unidentified.merge(e.name(), e.count(), Long::sum);
                        }
                        else
                        {
                            perClient.merge(e.clientId(), e.count(), Long::sum);
                        }
                    }
                    else if (e.clientId() != null)
                    {
                        perClient.remove(e.clientId());
                    }
                    break;
                }
            }
        }
        return render(kind, total, buckets, counts, unidentified);
    }

    private static void removeFrom(final TreeMap<String, TreeSet<String>> buckets, final String name,
        final String client)
    {
        final TreeSet<String> set = buckets.get(name);
        if (set != null)
        {
            set.remove(client);
            if (set.isEmpty())
            {
                buckets.remove(name);
            }
        }
    }

    private static String render(final Summarizer kind, final long total,
        final TreeMap<String, TreeSet<String>> buckets,
        final TreeMap<String, TreeMap<String, Long>> counts, final TreeMap<String, Long> unidentified)
    {
        switch (kind)
        {
            case TOTAL:
                return "{\"total\":" + total + "}";
            case FLAG:
                return identified(buckets.getOrDefault("", new TreeSet<>()));
            case DISTINCT:
            case UNIQUE:
            {
                final List<String> parts = new ArrayList<>();
                buckets.forEach((name, set) -> parts.add(quote(name) + ":" + identified(set)));
                return "{" + String.join(",", parts) + "}";
            }
            default:
            {
                final List<String> parts = new ArrayList<>();
                counts.forEach((name, perClient) ->
                {
                    final long u = unidentified.get(name);
                    final long sum = perClient.values().stream().mapToLong(Long::longValue).sum();
                    final List<String> cc = new ArrayList<>();
                    perClient.forEach((c, n) -> cc.add(quote(c) + ":" + n));
                    parts.add(quote(name) + ":{\"total\":" + (sum + u) + ",\"clientCounts\":{" + String.join(",", cc) +
                        "},\"totalUnidentified\":" + u + ",\"clipped\":false,\"totalClientIds\":" + perClient.size() +
                        "}");
                });
                return "{" + String.join(",", parts) + "}";
            }
        }
    }

    private static String identified(final Set<String> clients)
    {
        final List<String> quoted = new ArrayList<>();
        clients.forEach(c -> quoted.add(quote(c)));
        return "{\"total\":" + clients.size() + ",\"clientIds\":[" + String.join(",", quoted) + "],\"clipped\":false}";
    }

    private static String quote(final String s)
    {
        return "\"" + s + "\"";
    }
}
