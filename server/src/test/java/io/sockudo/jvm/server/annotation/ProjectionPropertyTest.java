package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: for random creates and deletes over the five summarizers, the incrementally maintained summary equals a
 * rebuild from scratch and an independent model, whatever the arrival order of the same serials (duplicates
 * included), with resident, evicted and restored projections.
 */
@Timeout(60)
class ProjectionPropertyTest
{
    private static final String[] TYPES = {
        "p:total.v1", "p:flag.v1", "p:distinct.v1", "p:unique.v1", "p:multiple.v1"};
    private static final Summarizer[] KINDS = Summarizer.values();
    private static final String[] NAMES = {"like", "laugh", "\u00E9t\u00E9", "\uD83D\uDE00"};
    private static final String[] CLIENTS = {"c1", "c2", "c3", "C", "\uFF21", "\uD83D\uDE01"};

    @Test
    void shouldConvergeWhateverTheArrivalOrder()
    {
        final Random random = new Random(20_260_404L);
        for (int iteration = 0; iteration < 400; iteration++)
        {
            final List<ReferenceModel.Event> events = generate(random, 1 + random.nextInt(40));
            final List<ReferenceModel.Event> arrival = new ArrayList<>(events);
            for (int d = random.nextInt(4); d > 0; d--)
            {
                arrival.add(events.get(random.nextInt(events.size())));
            }
            Collections.shuffle(arrival, random);
            check(random, events, arrival, iteration);
        }
    }

    private void check(final Random random, final List<ReferenceModel.Event> events,
        final List<ReferenceModel.Event> arrival, final int iteration)
    {
        final InMemoryJournal journal = new InMemoryJournal();
        final Annotations incremental = new Annotations(true, 0, journal, () -> "unused", () -> 0L, 100,
            1 + random.nextInt(6));
        final long[] indexes = new long[arrival.size()];
        for (int i = 0; i < arrival.size(); i++)
        {
            final ReferenceModel.Event e = arrival.get(i);
            final byte[] payload = e.payload(Fixture.MSG);
            indexes[i] = journal.append(Fixture.APP, Fixture.CHANNEL, e.serial(), 1L, payload);
            incremental.restore(Fixture.APP, Fixture.CHANNEL, e.serial(), 1L, payload, indexes[i]);
            if (random.nextInt(3) == 0)
            {
                // make a random projection resident so that later events apply incrementally or mark it stale
                incremental.summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TYPES[random.nextInt(TYPES.length)]);
            }
        }
        final Annotations restored = new Annotations(true, 0, journal, () -> "unused", () -> 0L, 100, 2);
        journal.restoreInto(restored);
        for (int t = 0; t < TYPES.length; t++)
        {
            final List<ReferenceModel.Event> ofType = new ArrayList<>();
            for (final ReferenceModel.Event e : arrival)
            {
                if (e.type().equals(TYPES[t]))
                {
                    ofType.add(e);
                }
            }
            if (ofType.isEmpty())
            {
                continue;
            }
            final String expected = ReferenceModel.summarize(KINDS[t], ofType);
            final String message = "iteration " + iteration + " type " + TYPES[t] + " events " + events;
            assertEquals(expected, incremental.summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TYPES[t]), message);
            assertEquals(expected, restored.summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TYPES[t]), message);
        }
        incremental.evictAll();
        for (int t = 0; t < TYPES.length; t++)
        {
            final String rebuilt = incremental.summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TYPES[t]);
            assertEquals(restored.summary(Fixture.APP, Fixture.CHANNEL, Fixture.MSG, TYPES[t]), rebuilt);
        }
        incremental.evictAll();
        restored.evictAll();
    }

    private static List<ReferenceModel.Event> generate(final Random random, final int n)
    {
        final List<ReferenceModel.Event> events = new ArrayList<>();
        final List<ReferenceModel.Event> creates = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final String serial = String.format("s%04d", i);
            if (!creates.isEmpty() && random.nextInt(3) == 0)
            {
                final ReferenceModel.Event target = creates.get(random.nextInt(creates.size()));
                events.add(new ReferenceModel.Event(true, serial, target.type(), target.serial(), target.name(),
                    target.clientId(), target.count()));
                continue;
            }
            final int t = random.nextInt(TYPES.length);
            final Summarizer kind = KINDS[t];
            final String name = kind.needsName() || random.nextBoolean() ? NAMES[random.nextInt(NAMES.length)] : null;
            final boolean anonymous = !kind.needsClient() && random.nextInt(4) == 0;
            final String client = anonymous ? null : CLIENTS[random.nextInt(CLIENTS.length)];
            final ReferenceModel.Event create = new ReferenceModel.Event(false, serial, TYPES[t], null, name, client,
                1 + random.nextInt(3));
            events.add(create);
            creates.add(create);
        }
        return events;
    }

    @Test
    void shouldMatchTheModelThroughTheHttpApi()
    {
        final Random random = new Random(99);
        final Fixture f = new Fixture(true, 0, 3, new InMemoryJournal(), "node-a");
        final List<ReferenceModel.Event> events = new ArrayList<>();
        final List<ReferenceModel.Event> live = new ArrayList<>();
        for (int i = 0; i < 600; i++)
        {
            f.nowMs += random.nextInt(2);
            if (!live.isEmpty() && random.nextInt(3) == 0)
            {
                final ReferenceModel.Event target = live.get(random.nextInt(live.size()));
                final Reply reply = f.delete(target.serial());
                assertEquals(200, reply.status(), reply.body());
                final String serial = Fixture.serialOf(reply);
                if (!serial.equals(target.serial()))
                {
                    events.add(new ReferenceModel.Event(true, serial, target.type(), target.serial(), target.name(),
                        target.clientId(), target.count()));
                }
                continue;
            }
            final int t = random.nextInt(TYPES.length);
            final String name = NAMES[random.nextInt(NAMES.length)];
            final String client = KINDS[t].needsClient() || random.nextBoolean() ?
                CLIENTS[random.nextInt(CLIENTS.length)] : null;
            final long count = 1 + random.nextInt(3);
            final Reply reply = f.publish("{\"type\":\"" + TYPES[t] + "\",\"name\":\"" + name + "\"" +
                (client == null ? "" : ",\"clientId\":\"" + client + "\"") + ",\"count\":" + count + "}");
            assertEquals(200, reply.status(), reply.body());
            final ReferenceModel.Event e = new ReferenceModel.Event(false, Fixture.serialOf(reply), TYPES[t], null,
                name, client, count);
            events.add(e);
            live.add(e);
        }
        for (int t = 0; t < TYPES.length; t++)
        {
            final List<ReferenceModel.Event> ofType = new ArrayList<>();
            for (final ReferenceModel.Event e : events)
            {
                if (e.type().equals(TYPES[t]))
                {
                    ofType.add(e);
                }
            }
            assertEquals(ReferenceModel.summarize(KINDS[t], ofType), f.summary(TYPES[t]), TYPES[t]);
        }
    }
}
