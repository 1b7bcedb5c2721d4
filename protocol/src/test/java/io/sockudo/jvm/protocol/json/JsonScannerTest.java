package io.sockudo.jvm.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.sockudo.jvm.protocol.json.JsonScanner.ARRAY;
import static io.sockudo.jvm.protocol.json.JsonScanner.FALSE;
import static io.sockudo.jvm.protocol.json.JsonScanner.NULL;
import static io.sockudo.jvm.protocol.json.JsonScanner.NUMBER;
import static io.sockudo.jvm.protocol.json.JsonScanner.OBJECT;
import static io.sockudo.jvm.protocol.json.JsonScanner.STRING;
import static io.sockudo.jvm.protocol.json.JsonScanner.TRUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonScannerTest
{
    private final JsonScanner scanner = new JsonScanner();

    static Stream<Arguments> documents()
    {
        final List<Arguments> rows = new ArrayList<>();
        // valid
        rows.add(Arguments.of("\"\"", true));
        rows.add(Arguments.of("{}", true));
        rows.add(Arguments.of("[]", true));
        rows.add(Arguments.of(" \t\r\n{ } \n", true));
        rows.add(Arguments.of("[ ]", true));
        rows.add(Arguments.of("0", true));
        rows.add(Arguments.of("-0", true));
        rows.add(Arguments.of("-12.5e+10", true));
        rows.add(Arguments.of("1E-2", true));
        rows.add(Arguments.of("0.0", true));
        rows.add(Arguments.of("123456789012345678901234567890", true));
        rows.add(Arguments.of("true", true));
        rows.add(Arguments.of("false", true));
        rows.add(Arguments.of("null", true));
        rows.add(Arguments.of("{\"a\":1}", true));
        rows.add(Arguments.of("{\"\":\"\"}", true));
        rows.add(Arguments.of("{\"a\" : [1, 2, {\"b\":null}] , \"c\":true}", true));
        rows.add(Arguments.of("[[[]],[{}]]", true));
        rows.add(Arguments.of("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", true));
        rows.add(Arguments.of("\"\\u00e9\\u00E9\"", true));
        rows.add(Arguments.of("\"\\uD83D\\uDE00\"", true));
        rows.add(Arguments.of("\"\\uDE00 lone low\"", true));
        rows.add(Arguments.of("\"\\uD83D lone high\"", true));
        rows.add(Arguments.of("\"\\u0000\"", true));
        rows.add(Arguments.of("\"é€😀\"", true));
        rows.add(Arguments.of("\"\u007f\"", true));
        rows.add(Arguments.of(nested(64), true));
        // invalid
        rows.add(Arguments.of("", false));
        rows.add(Arguments.of("  ", false));
        rows.add(Arguments.of("{\"a\":}", false));
        rows.add(Arguments.of("[1,]", false));
        rows.add(Arguments.of("{\"a\":1,}", false));
        rows.add(Arguments.of("[,1]", false));
        rows.add(Arguments.of("[1,,2]", false));
        rows.add(Arguments.of("{,}", false));
        rows.add(Arguments.of("01", false));
        rows.add(Arguments.of("-01", false));
        rows.add(Arguments.of("00", false));
        rows.add(Arguments.of("1.", false));
        rows.add(Arguments.of("1.e5", false));
        rows.add(Arguments.of(".5", false));
        rows.add(Arguments.of("+1", false));
        rows.add(Arguments.of("-", false));
        rows.add(Arguments.of("[-]", false));
        rows.add(Arguments.of("1e", false));
        rows.add(Arguments.of("1e+", false));
        rows.add(Arguments.of("NaN", false));
        rows.add(Arguments.of("Infinity", false));
        rows.add(Arguments.of("\"\\x\"", false));
        rows.add(Arguments.of("\"\\'\"", false));
        rows.add(Arguments.of("\"\\u12\"", false));
        rows.add(Arguments.of("\"\\u12G4\"", false));
        rows.add(Arguments.of("\"\\u00", false));
        rows.add(Arguments.of("\"abc", false));
        rows.add(Arguments.of("\"abc\\", false));
        rows.add(Arguments.of("\"a\tb\"", false));
        rows.add(Arguments.of("\"a\nb\"", false));
        rows.add(Arguments.of("\"\u0000\"", false));
        rows.add(Arguments.of("\"\u001f\"", false));
        rows.add(Arguments.of("tru", false));
        rows.add(Arguments.of("truex", false));
        rows.add(Arguments.of("True", false));
        rows.add(Arguments.of("nul", false));
        rows.add(Arguments.of("[1 2]", false));
        rows.add(Arguments.of("{\"a\" 1}", false));
        rows.add(Arguments.of("{\"a\":1 \"b\":2}", false));
        rows.add(Arguments.of("{a:1}", false));
        rows.add(Arguments.of("{'a':1}", false));
        rows.add(Arguments.of("{1:1}", false));
        rows.add(Arguments.of("[", false));
        rows.add(Arguments.of("]", false));
        rows.add(Arguments.of("{", false));
        rows.add(Arguments.of("{\"a\":1", false));
        rows.add(Arguments.of("[1}", false));
        rows.add(Arguments.of("{\"a\":1]", false));
        rows.add(Arguments.of("{\"a\":1}}", false));
        rows.add(Arguments.of("1 2", false));
        rows.add(Arguments.of("{}{}", false));
        rows.add(Arguments.of(",", false));
        rows.add(Arguments.of("// c\n1", false));
        rows.add(Arguments.of("/*c*/1", false));
        rows.add(Arguments.of("\u00a01", false));
        rows.add(Arguments.of("\ufeff{}", false));
        rows.add(Arguments.of(nested(65), false));
        return rows.stream();
    }

    static Stream<Arguments> utf8Strings()
    {
        return Stream.of(
            Arguments.of(new int[]{0xC3, 0xA9}, true),
            Arguments.of(new int[]{0xE2, 0x82, 0xAC}, true),
            Arguments.of(new int[]{0xF0, 0x9F, 0x98, 0x80}, true),
            Arguments.of(new int[]{0xEF, 0xBF, 0xBF}, true),
            Arguments.of(new int[]{0xF4, 0x8F, 0xBF, 0xBF}, true),
            Arguments.of(new int[]{0xFF}, false),
            Arguments.of(new int[]{0xFE}, false),
            Arguments.of(new int[]{0x80}, false),
            Arguments.of(new int[]{0xC0, 0x80}, false),
            Arguments.of(new int[]{0xC1, 0xBF}, false),
            Arguments.of(new int[]{0xE0, 0x80, 0x80}, false),
            Arguments.of(new int[]{0xED, 0xA0, 0x80}, false),
            Arguments.of(new int[]{0xF0, 0x80, 0x80, 0x80}, false),
            Arguments.of(new int[]{0xF4, 0x90, 0x80, 0x80}, false),
            Arguments.of(new int[]{0xF5, 0x80, 0x80, 0x80}, false),
            Arguments.of(new int[]{0xE2, 0x82}, false),
            Arguments.of(new int[]{0xC3, 0x41}, false));
    }

    @ParameterizedTest
    @MethodSource("documents")
    void shouldValidateDocument(final String json, final boolean valid)
    {
        assertEquals(valid, scan(json), () -> json + " -> " + scanner.errorMessage());
        if (valid)
        {
            assertNull(scanner.errorMessage());
        }
        else
        {
            assertNotNull(scanner.errorMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("utf8Strings")
    void shouldValidateUtf8InsideStrings(final int[] content, final boolean valid)
    {
        final byte[] bytes = new byte[content.length + 2];
        bytes[0] = '"';
        for (int i = 0; i < content.length; i++)
        {
            bytes[i + 1] = (byte)content[i];
        }
        bytes[bytes.length - 1] = '"';
        assertEquals(valid, scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length), scanner::errorMessage);
    }

    @Test
    void shouldRejectNonAsciiByteOutsideStrings()
    {
        final byte[] bytes = {'[', (byte)0xFF, ']'};
        assertFalse(scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Test
    void shouldHonourConfiguredMaxDepth()
    {
        final JsonScanner shallow = new JsonScanner(2);
        assertTrue(scanWith(shallow, "[{\"a\":1}]"));
        assertFalse(scanWith(shallow, "[{\"a\":[]}]"));
        assertEquals("nesting deeper than 2 at position 6", shallow.errorMessage());
    }

    @Test
    void shouldDescribeErrorWithPositionRelativeToOffset()
    {
        assertFalse(scan("[1,]"));
        assertEquals("expected value at position 3", scanner.errorMessage());
        assertEquals(3, scanner.errorPosition());

        final byte[] bytes = "xxxx{\"a\" 1}yyyy".getBytes(StandardCharsets.UTF_8);
        assertFalse(scanner.scan(new UnsafeBuffer(bytes), 4, bytes.length - 8));
        assertEquals("expected ':' at position 5", scanner.errorMessage());

        assertFalse(scan("\"a\u0001\""));
        assertEquals("unescaped control character in string at position 2", scanner.errorMessage());
    }

    @Test
    void shouldScanSliceOfLargerBufferWithAbsoluteOffsets()
    {
        final byte[] bytes = "garbage[1,\"x\"]garbage".getBytes(StandardCharsets.UTF_8);
        assertTrue(scanner.scan(new UnsafeBuffer(bytes), 7, 7));
        assertEquals(ARRAY, scanner.type(0));
        assertEquals(7, scanner.offset(0));
        assertEquals(7, scanner.length(0));
        final int second = scanner.next(scanner.firstChild(0));
        assertEquals(10, scanner.offset(second));
        assertEquals(3, scanner.length(second));
        assertTrue(scanner.stringEquals(second, "x"));
    }

    @Test
    void shouldNavigateNestedObjectsAndArrays()
    {
        final String json = " {\"a\" : [1, \"two\", {\"b\": null}], \"c\": {}, \"d\": [true,false]} ";
        assertTrue(scan(json));
        final int root = scanner.root();
        assertEquals(0, root);
        assertEquals(OBJECT, scanner.type(root));
        assertEquals(3, scanner.childCount(root));
        assertEquals(json.trim(), span(root));
        assertEquals(-1, scanner.next(root));

        final int keyA = scanner.firstChild(root);
        assertEquals(STRING, scanner.type(keyA));
        assertEquals("\"a\"", span(keyA));
        final int valueA = scanner.next(keyA);
        assertEquals(ARRAY, scanner.type(valueA));
        assertEquals(3, scanner.childCount(valueA));
        assertEquals("[1, \"two\", {\"b\": null}]", span(valueA));

        final int one = scanner.firstChild(valueA);
        assertEquals(NUMBER, scanner.type(one));
        assertEquals(1L, scanner.longValue(one));
        final int two = scanner.next(one);
        assertEquals("two", scanner.stringValue(two));
        final int inner = scanner.next(two);
        assertEquals(OBJECT, scanner.type(inner));
        assertEquals(1, scanner.childCount(inner));
        assertEquals(-1, scanner.next(inner));
        assertEquals(NULL, scanner.type(scanner.next(scanner.firstChild(inner))));
        assertEquals(-1, scanner.next(scanner.next(scanner.firstChild(inner))));

        final int keyC = scanner.next(valueA);
        assertEquals("c", scanner.stringValue(keyC));
        final int valueC = scanner.next(keyC);
        assertEquals(OBJECT, scanner.type(valueC));
        assertEquals(0, scanner.childCount(valueC));
        assertEquals(-1, scanner.firstChild(valueC));
        assertEquals("{}", span(valueC));

        final int valueD = scanner.next(scanner.next(valueC));
        assertEquals(2, scanner.childCount(valueD));
        assertEquals(TRUE, scanner.type(scanner.firstChild(valueD)));
        assertEquals(FALSE, scanner.type(scanner.next(scanner.firstChild(valueD))));
        assertEquals("false", span(scanner.next(scanner.firstChild(valueD))));
        assertEquals(-1, scanner.next(valueD));
        assertEquals(-1, scanner.firstChild(keyA));
        assertEquals(valueD, scanner.member(root, "d"));
    }

    @Test
    void shouldRecordScalarRoot()
    {
        assertTrue(scan("  \"hi\"  "));
        assertEquals(STRING, scanner.type(0));
        assertEquals(2, scanner.offset(0));
        assertEquals(4, scanner.length(0));
        assertEquals(-1, scanner.firstChild(0));
        assertEquals(0, scanner.childCount(0));
        assertEquals(1, scanner.tokenCount());
    }

    @Test
    void shouldFindMemberIncludingEscapedAndDuplicateKeys()
    {
        assertTrue(scan("{\"event\":\"e\",\"d\\u0061ta\":1,\"x\":1,\"x\":2,\"caf\\u00e9\":3,\"😀\":4," +
            "\"\\ud83d\\ude00!\":5}"));
        final int root = scanner.root();
        assertEquals("e", scanner.stringValue(scanner.member(root, "event")));
        assertEquals(1L, scanner.longValue(scanner.member(root, "data")));
        assertEquals(2L, scanner.longValue(scanner.member(root, "x")));
        assertEquals(3L, scanner.longValue(scanner.member(root, "café")));
        assertEquals(4L, scanner.longValue(scanner.member(root, "😀")));
        assertEquals(5L, scanner.longValue(scanner.member(root, "😀!")));
        assertEquals(-1, scanner.member(root, "d\\u0061ta"));
        assertEquals(-1, scanner.member(root, "even"));
        assertEquals(-1, scanner.member(root, "events"));
        assertEquals(-1, scanner.member(root, ""));
        assertEquals(-1, scanner.member(scanner.member(root, "event"), "event"));
    }

    @Test
    void shouldNotFindMemberInEmptyObjectOrArray()
    {
        assertTrue(scan("{}"));
        assertEquals(-1, scanner.member(0, "a"));
        assertTrue(scan("[\"a\",1]"));
        assertEquals(-1, scanner.member(0, "a"));
    }

    @Test
    void shouldKeepStringEqualsConsistentWithStringValue()
    {
        final String[] literals = {
            "\"\"", "\"plain\"", "\"\\\"q\\\"\"", "\"a\\\\b\"", "\"\\/\"", "\"\\b\\f\\n\\r\\t\"", "\"\\u0041\"",
            "\"\\u00e9t\\u00C9\"", "\"é€😀\"", "\"\\uD83D\\uDE00\"", "\"\\uD83D\"", "\"\\uDE00x\"",
            "\"\\uD83Dx\\uDE00\"", "\"\\u0000\"", "\"\\uFFFD\""
        };
        for (final String literal : literals)
        {
            assertTrue(scan(literal), literal);
            final String value = scanner.stringValue(0);
            assertTrue(scanner.stringEquals(0, value), literal);
            assertTrue(scanner.stringEquals(0, new StringBuilder(value)), literal);
            assertFalse(scanner.stringEquals(0, value + "x"), literal);
            if (!value.isEmpty())
            {
                assertFalse(scanner.stringEquals(0, value.substring(0, value.length() - 1)), literal);
            }
            assertEquals(value.getBytes(StandardCharsets.UTF_8).length, scanner.stringValueLength(0), literal);
        }
    }

    @Test
    void shouldUnescapeStringValues()
    {
        assertTrue(scan("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\""));
        assertEquals("a\"b\\c/d\b\f\n\r\té😀", scanner.stringValue(0));
        assertTrue(scan("\"\\uD83Dx\\uDE00\\uDE00\\uD83D\""));
        assertEquals("\uFFFDx\uFFFD\uFFFD\uFFFD", scanner.stringValue(0));
        assertTrue(scan("\"é😀\""));
        assertEquals("é😀", scanner.stringValue(0));
        assertEquals(6, scanner.stringValueLength(0));
    }

    @Test
    void shouldNotCompareNonStringTokensAsStrings()
    {
        assertTrue(scan("[1,true]"));
        assertFalse(scanner.stringEquals(1, "1"));
        assertFalse(scanner.stringEquals(2, "true"));
    }

    @Test
    void shouldParseLongValues()
    {
        final String[][] rows = {
            {"0", "0"}, {"-0", "0"}, {"7", "7"}, {"-42", "-42"}, {"1234567890123", "1234567890123"},
            {"9223372036854775807", "9223372036854775807"}, {"-9223372036854775807", "-9223372036854775807"},
            {"-9223372036854775808", "-9223372036854775808"},
        };
        for (final String[] row : rows)
        {
            assertTrue(scan(row[0]), row[0]);
            assertTrue(scanner.isInteger(0), row[0]);
            assertEquals(Long.parseLong(row[1]), scanner.longValue(0), row[0]);
        }
        final String[] notLong = {"9223372036854775808", "-9223372036854775809", "99999999999999999999", "1.0",
            "1e2", "-0.5", "1E0"};
        for (final String json : notLong)
        {
            assertTrue(scan(json), json);
            assertEquals(Long.MIN_VALUE, scanner.longValue(0), json);
        }
        assertTrue(scan("[1.5,\"1\",2]"));
        assertFalse(scanner.isInteger(1));
        assertFalse(scanner.isInteger(2));
        assertEquals(Long.MIN_VALUE, scanner.longValue(2));
        assertTrue(scanner.isInteger(3));
        assertEquals(2L, scanner.longValue(3));
    }

    @Test
    void shouldReuseScannerAcrossDocumentsAndGrowTape()
    {
        final StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 1000; i++)
        {
            big.append(i == 0 ? "" : ",").append("{\"k\":").append(i).append('}');
        }
        big.append(']');
        assertTrue(scan(big.toString()));
        assertEquals(1000, scanner.childCount(0));
        assertEquals(3001, scanner.tokenCount());
        int element = scanner.firstChild(0);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, scanner.longValue(scanner.member(element, "k")));
            element = scanner.next(element);
        }
        assertEquals(-1, element);

        assertFalse(scan("[1,"));
        assertTrue(scan("{\"a\":[]}"));
        assertEquals(1, scanner.childCount(0));
        assertEquals(0, scanner.childCount(scanner.member(0, "a")));
        assertEquals(3, scanner.tokenCount());
    }

    private boolean scan(final String json)
    {
        return scanWith(scanner, json);
    }

    private static boolean scanWith(final JsonScanner scanner, final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return scanner.scan(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private String span(final int token)
    {
        return scanner.buffer().getStringWithoutLengthUtf8(scanner.offset(token), scanner.length(token));
    }

    private static String nested(final int depth)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            sb.append(i % 2 == 0 ? "[" : "{\"k\":");
        }
        sb.append('1');
        for (int i = depth - 1; i >= 0; i--)
        {
            sb.append(i % 2 == 0 ? ']' : '}');
        }
        return sb.toString();
    }
}
