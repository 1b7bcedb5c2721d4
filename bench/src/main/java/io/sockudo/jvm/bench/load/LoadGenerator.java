package io.sockudo.jvm.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one load scenario against a Pusher-compatible server and reports it.
 *
 * <ul>
 *   <li>{@code fanout}: N subscribers on one channel, an open-loop publisher at {@code rate / N} publishes per
 *   second, a warm-up, a measured window and a bounded drain.</li>
 *   <li>{@code idle}: N subscribed idle connections; server RSS before and after gives memory per connection.</li>
 *   <li>{@code churn}: Sockudo's {@code ci-local} shape: N steady subscribers plus churners that connect, subscribe,
 *   live a random time and leave, with a timed message every 1 / {@code publish-rate} seconds.</li>
 *   <li>{@code versioned}: fan-out to Protocol V2 subscribers on a channel with history and versioned messages
 *   (e.g. {@code chat:bench}); the same measure as fan-out, and every subscriber's first message must carry the
 *   {@code sockudo_message_serial} header. Compare with {@code fanout --protocol v2} on a plain channel.</li>
 *   <li>{@code annotation}: one seed message is published to the (annotated) channel and its serial read back
 *   from {@code /history}; then annotations are published open-loop at {@code rate / N} per second, client ids
 *   cycling over {@code --annotation-clients}. The deliveries are the {@code message.summary} frames on N V2
 *   subscribers, matched to publishes by order (see {@link SubscriberPool}).</li>
 * </ul>
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.sockudo.jvm.bench.load.LoadGenerator \
 *     --scenario fanout --subscribers 1000 --rate 20000 --payload 20 --server-pid 1234 --label ours
 * </pre>
 */
public final class LoadGenerator
{
    private static final long HARD_SLACK_MS = 30_000;

    private LoadGenerator()
    {
    }

    /**
     * Command-line entry: runs the scenario, prints the summary and the Markdown row, appends the row to
     * {@code --results} if given; {@code --header} alone prints the table header. Exits 1 when something was lost
     * or failed.
     *
     * @param args {@code --name value} pairs, see {@link LoadOptions}.
     * @throws Exception on a setup failure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length == 1 && "--header".equals(args[0]))
        {
            System.out.println(LoadReport.markdownHeader());
            return;
        }
        final LoadOptions options = LoadOptions.parse(args);
        final LoadReport report = run(options);
        System.out.println(report.summary());
        System.out.println(report.markdownRow());
        if (!options.resultsPath.isEmpty())
        {
            Files.writeString(Path.of(options.resultsPath), report.markdownRow() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(report.problems.isEmpty() ? 0 : 1);
    }

    /**
     * Runs the scenario named in the options.
     *
     * @param o the options.
     * @return the report.
     * @throws IOException          on a setup failure.
     * @throws InterruptedException if interrupted.
     */
    public static LoadReport run(final LoadOptions o) throws IOException, InterruptedException
    {
        return switch (o.scenario)
        {
            case "fanout", "churn", "versioned", "annotation" -> publishing(o, "churn".equals(o.scenario));
            case "idle" -> idle(o);
            default -> throw new IllegalArgumentException("unknown scenario " + o.scenario);
        };
    }

    private static LoadReport idle(final LoadOptions o) throws IOException, InterruptedException
    {
        final StringBuilder problems = new StringBuilder();
        final long hardMs = (long)((o.connectTimeoutSeconds * 2 + o.settleSeconds) * 1000) + HARD_SLACK_MS;
        // Warm the server's connection path first so that one-off growth (JIT, class loading, pools) is not
        // charged to the measured connections.
        final int warm = Math.min(200, o.subscribers);
        final SubscriberPool warmPool = pool(o, warm, 0, new Recorder(3), hardMs);
        final Thread warmThread = start(warmPool, "warm-subscribers");
        awaitSubscribed(warmPool, warm, o.connectTimeoutSeconds, problems);
        warmPool.stop();
        warmThread.join(10_000);
        sleepSeconds(1);

        final long rssBefore = o.serverPid > 0 ? ProcStats.rssKiB(o.serverPid) : -1;
        final SubscriberPool pool = pool(o, o.subscribers, 0, new Recorder(3), hardMs);
        final long connectStart = System.nanoTime();
        final Thread thread = start(pool, "idle-subscribers");
        awaitSubscribed(pool, o.subscribers, o.connectTimeoutSeconds, problems);
        final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        final long cpuStart = o.serverPid > 0 ? ProcStats.cpuMicros(o.serverPid) : -1;
        final long spanStart = System.nanoTime();
        sleepSeconds(o.settleSeconds);
        final long rssAfter = o.serverPid > 0 ? ProcStats.rssKiB(o.serverPid) : -1;
        final long cpuEnd = o.serverPid > 0 ? ProcStats.cpuMicros(o.serverPid) : -1;
        final long span = (System.nanoTime() - spanStart) / 1000;
        if (pool.subscribedSteady() != o.subscribers)
        {
            append(problems, "only " + pool.subscribedSteady() + " of " + o.subscribers + " still subscribed");
        }
        collectErrors(pool, null, problems);
        pool.stop();
        thread.join(10_000);
        return new LoadReport("idle", o.label, o.subscribers, 0, 0, 0, 0, 0, 0, 0, new Histogram(3),
            cpuStart < 0 ? -1 : cpuEnd - cpuStart, 0, span, rssBefore, rssAfter, connectSeconds,
            problems.toString(), "");
    }

    private static LoadReport publishing(final LoadOptions o, final boolean churn)
        throws IOException, InterruptedException
    {
        final StringBuilder problems = new StringBuilder();
        final long pid = o.serverPid;
        final double publishRate = churn ? o.publishRate : o.rate / o.subscribers;
        final boolean annotation = "annotation".equals(o.scenario);
        final boolean versioned = "versioned".equals(o.scenario);
        final String messageSerial = annotation ? SeedMessage.publish(o) : "";
        final long hardMs = (long)((o.connectTimeoutSeconds + o.warmupSeconds + o.durationSeconds + o.drainSeconds +
            10) * 1000) + HARD_SLACK_MS;
        final Recorder recorder = new Recorder(3_600_000_000_000L, 3);
        final long rssBefore = pid > 0 ? ProcStats.rssKiB(pid) : -1;
        final SubscriberPool pool = pool(o, o.subscribers, churn ? o.churners : 0, recorder, hardMs);
        final long connectStart = System.nanoTime();
        final Thread poolThread = start(pool, "subscribers");
        awaitSubscribed(pool, o.subscribers, o.connectTimeoutSeconds, problems);
        final double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        sleepSeconds(0.5);
        final long rssAfter = pid > 0 ? ProcStats.rssKiB(pid) : -1;
        if (churn)
        {
            pool.enableChurn();
        }

        final long t0 = System.nanoTime() + 200_000_000L;
        final long measureStart = t0 + (long)(o.warmupSeconds * 1e9);
        final long measureEnd = measureStart + (long)(o.durationSeconds * 1e9);
        pool.measureWindow(measureStart, measureEnd);
        if (annotation)
        {
            pool.matchSummaries(t0, publishRate);
        }
        final ApiSigner signer = annotation ?
            ApiSigner.annotations(o.host + ":" + o.port, o.appId, o.appKey, o.appSecret, o.channel, messageSerial,
            o.annotationType, o.annotationClients) :
            new ApiSigner(o.host + ":" + o.port, o.appId, o.appKey, o.appSecret, o.channel, o.event, o.payload);
        final Publisher publisher = new Publisher(o.host, o.port, signer, publishRate, t0, measureStart, measureEnd,
            o.publisherConnections);
        final Thread publisherThread = start(publisher, "publisher");

        final Histogram total = new Histogram(3_600_000_000_000L, 3);
        Histogram interval = null;
        PrintStream hlogStream = null;
        HistogramLogWriter hlog = null;
        if (!o.hlogPath.isEmpty())
        {
            hlogStream = new PrintStream(new FileOutputStream(o.hlogPath), false, StandardCharsets.UTF_8);
            hlog = new HistogramLogWriter(hlogStream);
            hlog.outputComment("sockudo-jvm load generator: " + o.label + " " + o.scenario + " N=" + o.subscribers +
                " rate=" + o.rate + " payload=" + o.payload + "; values are nanoseconds from intended send time");
            hlog.outputLogFormatVersion();
            final long nowMs = System.currentTimeMillis();
            hlog.outputStartTime(nowMs);
            hlog.setBaseTime(nowMs);
            hlog.outputLegend();
        }

        parkUntil(measureStart);
        final long cpuStart = pid > 0 ? ProcStats.cpuMicros(pid) : -1;
        final long clientCpuStart = ProcStats.cpuMicros(ProcessHandle.current().pid());
        final long spanStart = System.nanoTime();
        final long drainDeadline = measureEnd + (long)(o.drainSeconds * 1e9);
        long nextInterval = spanStart + 1_000_000_000L;
        while (true)
        {
            final long now = System.nanoTime();
            final boolean publishing = now - measureEnd < 0 || !publisher.done();
            final long expected = publisher.sentMeasured() * o.subscribers;
            if (!publishing && (pool.deliveredMeasured() >= expected || now - drainDeadline > 0))
            {
                break;
            }
            if (now - (drainDeadline + 10_000_000_000L) > 0)
            {
                append(problems, "publisher did not finish in time");
                break;
            }
            if (now - nextInterval >= 0)
            {
                interval = recorder.getIntervalHistogram(interval);
                total.add(interval);
                if (hlog != null)
                {
                    hlog.outputIntervalHistogram(interval);
                }
                nextInterval += 1_000_000_000L;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        final long cpuEnd = pid > 0 ? ProcStats.cpuMicros(pid) : -1;
        final long clientCpuEnd = ProcStats.cpuMicros(ProcessHandle.current().pid());
        final long span = (System.nanoTime() - spanStart) / 1000;
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (hlog != null)
        {
            hlog.outputIntervalHistogram(interval);
            hlogStream.close();
        }
        publisherThread.join(10_000);

        final long expected = publisher.scheduledMeasured() * o.subscribers;
        final long delivered = pool.deliveredMeasured();
        if (delivered != expected)
        {
            append(problems, "delivered " + delivered + " of " + expected);
        }
        if (publisher.failed() > 0)
        {
            append(problems, publisher.failed() + " publishes failed");
        }
        if (publisher.ok() != publisher.sent())
        {
            append(problems, "publish responses " + publisher.ok() + " ok of " + publisher.sent() + " sent");
        }
        if (versioned && pool.versionedSubscribers() != o.subscribers)
        {
            append(problems, "only " + pool.versionedSubscribers() + " of " + o.subscribers +
                " subscribers got versioned frames (sockudo_message_serial)");
        }
        collectErrors(pool, publisher, problems);
        pool.stop();
        poolThread.join(10_000);
        return new LoadReport(reportName(o), o.label, o.subscribers, churn ? publishRate : o.rate,
            annotation ? pool.maxSummaryBytes() : o.payload, o.durationSeconds, publisher.scheduledMeasured(),
            expected, delivered,
            pool.deliveredChurnMeasured(), total, cpuStart < 0 ? -1 : cpuEnd - cpuStart,
            clientCpuEnd - clientCpuStart, span, rssBefore, rssAfter, connectSeconds, problems.toString(),
            String.format(java.util.Locale.ROOT, "%.1f publishes/s, %d sent, %d reconnects (server closed after " +
            "responding), max %.2f ms behind schedule, max %d unanswered on one connection%s", publishRate,
            publisher.sent(), publisher.reconnects(), publisher.maxLateNs() / 1e6, publisher.maxOutstanding(),
            churn ? "; " + pool.churnCycles() + " churn reconnects in total" : extraNotes(o, pool, messageSerial)));
    }

    private static String reportName(final LoadOptions o)
    {
        return "fanout".equals(o.scenario) && wire(o) == SubscriberPool.WIRE_V2 ? "fanout-v2" : o.scenario;
    }

    private static String extraNotes(final LoadOptions o, final SubscriberPool pool, final String messageSerial)
    {
        if ("annotation".equals(o.scenario))
        {
            return "; annotations on message " + messageSerial + ", " + o.annotationType + " over " +
                o.annotationClients + " client ids; largest summary frame " + pool.maxSummaryBytes() + " B; " +
                pool.snapshots() + " snapshot summaries before the start";
        }
        if (wire(o) == SubscriberPool.WIRE_V2)
        {
            return "; V2: " + pool.versionedSubscribers() + " of " + pool.checkedSubscribers() +
                " subscribers got versioned creates (sockudo_message_serial)";
        }
        return "";
    }

    private static int wire(final LoadOptions o)
    {
        if ("versioned".equals(o.scenario) || "annotation".equals(o.scenario) || "v2".equals(o.protocol))
        {
            return SubscriberPool.WIRE_V2;
        }
        return "raw".equals(o.protocol) ? SubscriberPool.WIRE_RAW : SubscriberPool.WIRE_V1;
    }

    private static SubscriberPool pool(
        final LoadOptions o, final int steady, final int churners, final Recorder recorder, final long hardMs)
        throws IOException
    {
        return new SubscriberPool(o.host, o.port, o.appKey, o.channel, wire(o), "annotation".equals(o.scenario),
            steady, churners, o.churnLifeMs, o.churnLifeMs * 4, recorder, hardMs);
    }

    private static Thread start(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitSubscribed(
        final SubscriberPool pool, final int count, final double timeoutSeconds, final StringBuilder problems)
    {
        final long deadline = System.nanoTime() + (long)(timeoutSeconds * 1e9);
        while (pool.subscribedSteady() < count && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(5_000_000L);
        }
        if (pool.subscribedSteady() < count)
        {
            append(problems, "only " + pool.subscribedSteady() + " of " + count + " subscribed in " +
                timeoutSeconds + " s");
        }
    }

    private static void collectErrors(final SubscriberPool pool, final Publisher publisher, final StringBuilder out)
    {
        if (pool.connectFailures() > 0)
        {
            append(out, pool.connectFailures() + " connect failures");
        }
        if (pool.closedByServer() > 0)
        {
            append(out, pool.closedByServer() + " subscribers closed by the server");
        }
        if (pool.pusherErrors() > 0)
        {
            append(out, pool.pusherErrors() + " pusher:error messages");
        }
        if (pool.firstError() != null)
        {
            append(out, "first subscriber error: " + pool.firstError());
        }
        if (publisher != null && publisher.firstError() != null)
        {
            append(out, "first publisher error: " + publisher.firstError());
        }
    }

    private static void append(final StringBuilder out, final String text)
    {
        if (out.length() > 0)
        {
            out.append("; ");
        }
        out.append(text);
    }

    private static void parkUntil(final long deadlineNs)
    {
        long now;
        while ((now = System.nanoTime()) - deadlineNs < 0)
        {
            LockSupport.parkNanos(deadlineNs - now);
        }
    }

    private static void sleepSeconds(final double seconds)
    {
        parkUntil(System.nanoTime() + (long)(seconds * 1e9));
    }
}
