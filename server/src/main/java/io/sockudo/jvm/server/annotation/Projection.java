package io.sockudo.jvm.server.annotation;

/**
 * The summary of one (app, channel, message serial, type). Its state is resident (off-heap, in the LRU list) or cold
 * ({@code state == null}, rebuilt from the journal on demand). {@code watermark} is the slot of the highest serial
 * applied ({@code last_annotation_serial}); an event below it marks the projection stale.
 */
final class Projection
{
    final MessageIndex message;
    final int typeId;
    final Summarizer kind;
    SummaryState state;
    int watermark = -1;
    boolean stale;
    Projection lruPrev;
    Projection lruNext;

    Projection(final MessageIndex message, final int typeId, final Summarizer kind)
    {
        this.message = message;
        this.typeId = typeId;
        this.kind = kind;
    }

    boolean resident()
    {
        return state != null;
    }
}
