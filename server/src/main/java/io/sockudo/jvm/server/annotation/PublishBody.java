package io.sockudo.jvm.server.annotation;

import io.sockudo.jvm.protocol.json.JsonScanner;
import io.sockudo.jvm.protocol.json.JsonWriter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The publish request body (spec 5.1): camelCase keys, unknown keys ignored, {@code null} meaning absent for the
 * optional fields. A body that is not JSON fails with 400, a JSON body that does not fit the shape with 422 (what
 * 4.4.0's JSON extractor answers, though with a plain-text body there).
 */
final class PublishBody
{
    private static final String DESERIALIZE = "Failed to deserialize the JSON body into the target type: ";

    String type;
    String name;
    String clientId;
    String socketId;
    boolean hasCount;
    long count;
    String dataJson;
    String encoding;
    int errorStatus;
    String error;

    /**
     * Parses a body.
     *
     * @param body    the bytes, may be null.
     * @param scanner a scanner to use.
     * @return the parsed body; check {@link #error} first.
     */
    static PublishBody parse(final byte[] body, final JsonScanner scanner)
    {
        final PublishBody b = new PublishBody();
        final byte[] bytes = body == null ? new byte[0] : body;
        if (!scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length))
        {
            return b.fail(400, "Failed to parse the request body as JSON: " + scanner.errorMessage());
        }
        final int root = scanner.root();
        if (scanner.type(root) != JsonScanner.OBJECT)
        {
            return b.fail(422, DESERIALIZE + "invalid type: expected struct AnnotationPublishRequest");
        }
        boolean seenType = false;
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = scanner.firstChild(root); k >= 0; k = scanner.next(scanner.next(k)))
        {
            final String key = scanner.stringValue(k);
            final int v = scanner.next(k);
            final int t = scanner.type(v);
            switch (key)
            {
                case "type":
                case "name":
                case "clientId":
                case "socketId":
                case "encoding":
                case "count":
                case "data":
                    if (!seen.add(key))
                    {
                        return b.fail(422, DESERIALIZE + "duplicate field `" + key + "`");
                    }
                    break;
                default:
                    continue;
            }
            if (key.equals("data"))
            {
                b.dataJson = t == JsonScanner.NULL ? null : JsonWriter.compact(scanner, v);
                continue;
            }
            if (key.equals("count"))
            {
                if (t == JsonScanner.NULL)
                {
                    continue;
                }
                if (t != JsonScanner.NUMBER || !b.parseCount(scanner, v))
                {
                    return b.fail(422, DESERIALIZE + "count: invalid value, expected u64");
                }
                continue;
            }
            final boolean isType = key.equals("type");
            if (t == JsonScanner.NULL && !isType)
            {
                continue;
            }
            if (t != JsonScanner.STRING)
            {
                return b.fail(422, DESERIALIZE + key + ": invalid type, expected a string");
            }
            final String value = scanner.stringValue(v);
            switch (key)
            {
                case "type":
                    b.type = value;
                    seenType = true;
                    break;
                case "name":
                    b.name = value;
                    break;
                case "clientId":
                    b.clientId = value;
                    break;
                case "socketId":
                    b.socketId = value;
                    break;
                default:
                    b.encoding = value;
                    break;
            }
        }
        if (!seenType)
        {
            return b.fail(422, DESERIALIZE + "missing field `type`");
        }
        return b;
    }

    private boolean parseCount(final JsonScanner scanner, final int token)
    {
        if (!scanner.isInteger(token))
        {
            return false;
        }
        final org.agrona.DirectBuffer buf = scanner.buffer();
        final int start = scanner.offset(token);
        final int end = start + scanner.length(token);
        long value = 0;
        for (int i = start; i < end; i++)
        {
            final int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return false;
            }
            // overflow of unsigned 64 bits: value * 10 + digit > 2^64 - 1
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0)
            {
                return false;
            }
            final long times10 = value * 10;
            final long next = times10 + digit;
            if (Long.compareUnsigned(next, times10) < 0)
            {
                return false;
            }
            value = next;
        }
        hasCount = true;
        count = value;
        return true;
    }

    private PublishBody fail(final int status, final String message)
    {
        errorStatus = status;
        error = message;
        return this;
    }
}
