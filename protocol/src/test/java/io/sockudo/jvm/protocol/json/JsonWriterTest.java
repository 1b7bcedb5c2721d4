package io.sockudo.jvm.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonWriterTest
{
    private static final String[] VALUES = {
        "", "plain", "quote\"back\\slash/", "\b\f\n\r\t", "\u0000\u0001\u001f\u007f", "é€😀", "tab\tand\u2028",
        "{\"user_id\":\"u1\"}", "lone \uD83D high", "lone \uDE00 low", "\uDE00\uD83D", "end\uD83D"
    };

    private final JsonScanner scanner = new JsonScanner();

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters()
    {
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(4);
        final String value = "a\"b\\c\b\f\n\r\t\u0001\u001fé/";
        final int end = JsonWriter.writeQuoted(dst, 3, value);
        final String expected = "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001fé/\"";
        assertEquals(expected, dst.getStringWithoutLengthUtf8(3, end - 3));
        assertEquals(3 + expected.getBytes(StandardCharsets.UTF_8).length, end);

        final StringBuilder sb = new StringBuilder("x");
        JsonWriter.appendQuoted(sb, value);
        assertEquals("x" + expected, sb.toString());
    }

    @Test
    void shouldEscapeLoneSurrogatesLikeJavaScript()
    {
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer();
        final int end = JsonWriter.writeQuoted(dst, 0, "a\uD83Db\uDE00");
        assertEquals("\"a\\ud83db\\ude00\"", dst.getStringWithoutLengthUtf8(0, end));
        final StringBuilder sb = new StringBuilder();
        JsonWriter.appendQuoted(sb, "a\uD83Db\uDE00");
        assertEquals("\"a\\ud83db\\ude00\"", sb.toString());
    }

    @Test
    void shouldRoundTripWriteQuotedThroughScanner()
    {
        for (final String value : VALUES)
        {
            final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(1);
            final int end = JsonWriter.writeQuoted(dst, 0, value);
            assertTrue(scanner.scan(dst, 0, end), value);
            assertEquals(end, scanner.length(0));
            assertEquals(replaceLoneSurrogates(value), scanner.stringValue(0), value);
            assertTrue(scanner.stringEquals(0, replaceLoneSurrogates(value)), value);

            final StringBuilder sb = new StringBuilder();
            JsonWriter.appendQuoted(sb, value);
            assertEquals(dst.getStringWithoutLengthUtf8(0, end), sb.toString(), value);
        }
    }

    @Test
    void shouldWriteRawJsonAsQuotedString()
    {
        final byte[] bytes = "xx{\"user_id\":\"u\\\"1\",\n\"name\":\"é\"}yy".getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer src = new UnsafeBuffer(bytes);
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(2);
        final int end = JsonWriter.writeQuotedRaw(dst, 0, src, 2, bytes.length - 4);
        assertEquals("\"{\\\"user_id\\\":\\\"u\\\\\\\"1\\\",\\n\\\"name\\\":\\\"é\\\"}\"",
            dst.getStringWithoutLengthUtf8(0, end));

        assertTrue(scanner.scan(dst, 0, end));
        assertEquals(new String(bytes, 2, bytes.length - 4, StandardCharsets.UTF_8), scanner.stringValue(0));
    }

    @Test
    void shouldWriteCompactCopyOfPrettyPrintedDocument()
    {
        final String pretty = "{\n  \"event\" : \"client-x\",\n  \"data\" : {\n" +
            "    \"text\" : \"keep  \\\"  spaces\\\\\",\n" +
            "    \"list\" : [ 1 , 2.5e3 , true , null , \"a b\" ],\n    \"empty\" : { }\n  }\n}\n";
        final byte[] bytes = pretty.getBytes(StandardCharsets.UTF_8);
        assertTrue(scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length));
        final String expected = "{\"event\":\"client-x\",\"data\":{\"text\":\"keep  \\\"  spaces\\\\\"," +
            "\"list\":[1,2.5e3,true,null,\"a b\"],\"empty\":{}}}";
        assertEquals(expected, JsonWriter.compact(scanner, 0));

        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(1);
        dst.putByte(0, (byte)'>');
        final int end = JsonWriter.writeCompact(dst, 1, scanner, scanner.member(0, "data"));
        final String data = expected.substring("{\"event\":\"client-x\",\"data\":".length(), expected.length() - 1);
        assertEquals(">" + data, dst.getStringWithoutLengthUtf8(0, end));

        assertTrue(scanner.scan(dst, 1, end - 1));
        assertEquals(data, JsonWriter.compact(scanner, 0));
    }

    @Test
    void shouldWriteCompactScalar()
    {
        final byte[] bytes = "  \"a \\\" b\"  ".getBytes(StandardCharsets.UTF_8);
        assertTrue(scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length));
        assertEquals("\"a \\\" b\"", JsonWriter.compact(scanner, 0));
    }

    private static String replaceLoneSurrogates(final String value)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                sb.append(c).append(value.charAt(++i));
            }
            else
            {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
