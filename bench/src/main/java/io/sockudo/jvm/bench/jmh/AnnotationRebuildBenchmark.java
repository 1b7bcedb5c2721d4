package io.sockudo.jvm.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sockudo.jvm.server.annotation.AnnotationJournal;
import io.sockudo.jvm.server.annotation.Annotations;
import io.sockudo.jvm.server.annotation.Reply;
import io.sockudo.jvm.server.annotation.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebuilding one projection from the journal: {@link #EVENTS} events of one (message, type), 1 in 5 a delete, over
 * 1,000 clients and 4 names, read back through {@link AnnotationJournal#read} (an in-memory list here, so this is the
 * engine's cost: decode, intern lookup, apply), applied in serial order. One op is one event, so ops/s is events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {
    BenchFlags.F1, BenchFlags.F2, BenchFlags.F3, BenchFlags.F4, BenchFlags.F5, BenchFlags.F6, BenchFlags.F7,
    BenchFlags.F8, BenchFlags.F9, BenchFlags.F10, BenchFlags.F11, BenchFlags.NO_BOUNDS_CHECKS })
public class AnnotationRebuildBenchmark
{
    /** Events in the projection. */
    static final int EVENTS = 10_000;
    private static final String APP = "app";
    private static final String CHANNEL = "chat";
    private static final String MESSAGE = "msg:1";

    /**
     * The annotation type (its summarizer).
     */
    @Param({ "r:total.v1", "r:flag.v1", "r:distinct.v1", "r:unique.v1", "r:multiple.v1" })
    public String type;

    private Annotations annotations;

    /** The journal: a list of payloads. */
    static final class ListJournal implements AnnotationJournal
    {
        final List<byte[]> payloads = new ArrayList<>();

        @Override
        public long append(final String app, final String channel, final String serial, final long timestampMs,
            final byte[] payload)
        {
            payloads.add(payload);
            return payloads.size() - 1;
        }

        @Override
        public byte[] read(final long index)
        {
            return payloads.get((int)index);
        }
    }

    /**
     * Publishes the events through the engine's API.
     */
    @Setup
    public void setUp()
    {
        final long[] counter = {0};
        annotations = new Annotations(true, 0, new ListJournal(),
            () -> String.format("%020d:bench:%020d", 1_775_292_000_000L, ++counter[0]), () -> 1_775_292_000_000L);
        final List<String> serials = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++)
        {
            if (i % 5 == 4)
            {
                final Reply reply = annotations.delete(request(null, Map.of()), serials.get(i / 2));
                check(reply);
                continue;
            }
            final String body = "{\"type\":\"" + type + "\",\"name\":\"name-" + (i % 4) + "\",\"clientId\":\"client-" +
                (i * 7919 % 1000) + "\",\"count\":" + (1 + i % 3) + ",\"data\":{\"i\":" + i + "}}";
            final Reply reply = annotations.publish(request(body, Map.of()));
            check(reply);
            serials.add(reply.body().substring("{\"annotationSerial\":\"".length(), reply.body().length() - 2));
        }
    }

    private static void check(final Reply reply)
    {
        if (reply.status() != 200)
        {
            throw new IllegalStateException(reply.body());
        }
    }

    private static Request request(final String body, final Map<String, String> query)
    {
        return new Request(APP, CHANNEL, MESSAGE, body == null ? null : body.getBytes(StandardCharsets.UTF_8), query,
            true, serial -> true, socketId -> null);
    }

    /**
     * A full rebuild of the projection from the journal.
     *
     * @return events applied, consumed by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int rebuild()
    {
        return annotations.rebuild(APP, CHANNEL, MESSAGE, type);
    }
}
