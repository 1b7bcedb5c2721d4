package io.sockudo.jvm.server.annotation;

/**
 * Renders the {@code message.summary} frame of a projection and fits it to the payload budget (spec 4), counting
 * deliveries, clipping and clipping rebuilds, and writing the log lines of spec 8.3. One frame buffer, reused; not
 * thread safe ({@link Annotations} serialises).
 */
final class SummaryFitter
{
    private static final int[] CLIP_LIMITS = {64, 32, 16, 8, 4, 2, 1, 0};
    private static final System.Logger LOG = System.getLogger("io.sockudo.jvm.server.annotation");

    private final Interner types;
    private final AnnotationMetrics metrics;
    private final StringBuilder frame = new StringBuilder(1024);

    SummaryFitter(final Interner types, final AnnotationMetrics metrics)
    {
        this.types = types;
        this.metrics = metrics;
    }

    /**
     * The summary frame of a current projection, clipped to the budget by halving contributor limits (spec 4). Live
     * deliveries count each attempt as a rebuild, as 4.4.0 does; snapshots are fitted too (4.4.0 sends them
     * unfitted), without counting attempts.
     */
    String fit(final Projection p, final int budget, final boolean live)
    {
        final ChannelIndex index = p.message.channel;
        final String channel = index.channel;
        final String messageSerial = index.messageSerials.string(p.message.messageId);
        final String type = types.string(p.typeId);
        boolean clipped = render(p, channel, messageSerial, type, Integer.MAX_VALUE);
        if (budget > 0 && Text.utf8Length(frame) > budget)
        {
            for (final int limit : CLIP_LIMITS)
            {
                final long startNs = System.nanoTime();
                clipped = render(p, channel, messageSerial, type, limit);
                if (live)
                {
                    metrics.rebuilt(channel, 1, (System.nanoTime() - startNs) / 1e9);
                    LOG.log(System.Logger.Level.WARNING, "annotation projection rebuild triggered on hot channel " +
                        "channel={0} message_serial={1} annotation_type={2} annotation_count={3} client_id_limit={4}",
                        channel, messageSerial, type, eventCount(p), limit);
                }
                if (Text.utf8Length(frame) <= budget)
                {
                    break;
                }
            }
        }
        if (clipped)
        {
            metrics.clipped(channel, type);
            LOG.log(System.Logger.Level.WARNING, "annotation summary clipped channel={0} message_serial={1} " +
                "annotation_type={2} contributor_count={3}", channel, messageSerial, type,
                p.state.clippedContributors());
        }
        metrics.delivered(channel, 1);
        return frame.toString();
    }

    private static int eventCount(final Projection p)
    {
        final MessageIndex message = p.message;
        int n = 0;
        for (int i = 0; i < message.size; i++)
        {
            n += message.channel.typeOf[message.slots[i]] == p.typeId ? 1 : 0;
        }
        return n;
    }

    private boolean render(final Projection p, final String channel, final String messageSerial, final String type,
        final int limit)
    {
        frame.setLength(0);
        Frames.beginSummary(frame, channel, messageSerial, type);
        final boolean clipped = p.state.render(frame, limit);
        Frames.endSummary(frame);
        return clipped;
    }
}
