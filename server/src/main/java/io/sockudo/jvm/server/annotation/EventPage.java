package io.sockudo.jvm.server.annotation;

import io.sockudo.jvm.protocol.json.JsonWriter;

/**
 * The body of a list page (spec 5.3): the raw events of a message in serial order, from a cursor, read back from the
 * journal. Events whose records are gone (retention, before {@link Annotations#purgeBefore}) are skipped.
 */
final class EventPage
{
    private EventPage()
    {
    }

    /**
     * Renders one page.
     *
     * @param engine        the index.
     * @param request       the call (app and channel).
     * @param messageSerial the message.
     * @param type          only events of this type, or null for all.
     * @param fromSerial    exclusive lower bound, or null.
     * @param limit         page size, at least 1.
     * @return the JSON body.
     */
    static String render(final ProjectionEngine engine, final Request request, final String messageSerial,
        final String type, final String fromSerial, final int limit)
    {
        final StringBuilder items = new StringBuilder(256);
        boolean hasMore = false;
        String last = null;
        final ChannelIndex index = engine.channel(request.app(), request.channel(), false);
        final int messageId = index == null ? -1 : index.messageSerials.find(messageSerial);
        final int typeId = type == null ? -1 : engine.types.find(type);
        if (messageId >= 0 && messageId < index.messages.length && index.messages[messageId] != null &&
            (type == null || typeId >= 0))
        {
            final MessageIndex message = index.messages[messageId];
            int n = 0;
            for (int i = fromSerial == null ? 0 : message.firstAfter(fromSerial); i < message.size; i++)
            {
                final int slot = message.slots[i];
                if (type != null && index.typeOf[slot] != typeId)
                {
                    continue;
                }
                final AnnotationRecord record = engine.read(index, slot);
                if (record == null)
                {
                    continue;
                }
                if (n == limit)
                {
                    hasMore = true;
                    break;
                }
                if (n > 0)
                {
                    items.append(',');
                }
                Frames.item(items, record);
                last = record.string(AnnotationRecord.FIELD_SERIAL);
                n++;
            }
        }
        final StringBuilder sb = new StringBuilder(items.length() + 160);
        sb.append("{\"channel\":");
        JsonWriter.appendQuoted(sb, request.channel());
        sb.append(",\"messageSerial\":");
        JsonWriter.appendQuoted(sb, messageSerial);
        sb.append(",\"limit\":").append(limit).append(",\"hasMore\":").append(hasMore).append(",\"nextCursor\":");
        if (hasMore)
        {
            JsonWriter.appendQuoted(sb, last);
        }
        else
        {
            sb.append("null");
        }
        return sb.append(",\"items\":[").append(items).append("]}").toString();
    }
}
