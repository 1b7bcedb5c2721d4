package io.sockudo.jvm.protocol.http;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class QueryStringTest
{
    /**
     * Renders pairs as {@code name=value} joined with {@code |}, to compare with a table column.
     */
    private static String render(final List<String[]> pairs)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String[] pair : pairs)
        {
            if (sb.length() > 0)
            {
                sb.append('|');
            }
            sb.append('<').append(pair[0]).append('>').append('=').append('<').append(pair[1]).append('>');
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {
        "a=1                  ¦ <a>=<1>",
        "a=1+2&b=x%2Cy        ¦ <a>=<1 2>|<b>=<x,y>",
        "a=x%2cy              ¦ <a>=<x,y>",
        "%41%62=%7e           ¦ <Ab>=<~>",
        "a&b=                 ¦ <a>=<>|<b>=<>",
        "&&a=1&&b=2&          ¦ <a>=<1>|<b>=<2>",
        "=v                   ¦ <>=<v>",
        "a=b=c                ¦ <a>=<b=c>",
        "k=1&k=2              ¦ <k>=<1>|<k>=<2>",
        "e=%C3%A9%E2%82%AC    ¦ <e>=<\u00e9\u20ac>",
        "bad=%C3              ¦ <bad>=<\uFFFD>",
        "p=%2B+%20            ¦ <p>=<+  >",
        "filter_by_prefix=presence-&info=user_count ¦ <filter_by_prefix>=<presence->|<info>=<user_count>",
    }, delimiter = '¦')
    void shouldFormDecodePairsInOrder(final String raw, final String expected)
    {
        assertEquals(expected, render(QueryString.parse(raw)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=%G1", "a=%", "a=%4", "%zz=1", "a=1&b=%2", "a=%%41" })
    void shouldReturnNullForMalformedEscape(final String raw)
    {
        assertNull(QueryString.parse(raw));
    }

    @Test
    void shouldReturnNoPairsForNullOrEmptyQuery()
    {
        assertTrue(QueryString.parse(null).isEmpty());
        assertTrue(QueryString.parse("").isEmpty());
        assertTrue(QueryString.parse("&&&").isEmpty());
    }

    @Test
    void shouldReturnLastValueOfRepeatedKey()
    {
        final List<String[]> pairs = QueryString.parse("k=1&x=9&k=2&K=3");

        assertEquals("2", QueryString.first(pairs, "k"));
        assertEquals("3", QueryString.first(pairs, "K"));
        assertEquals("9", QueryString.first(pairs, "x"));
        assertNull(QueryString.first(pairs, "missing"));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "a+b%20c      ¦ a+b c",
        "plain        ¦ plain",
        "%2Fapps%2f   ¦ /apps/",
        "%E2%82%AC    ¦ \u20ac",
        "%G1          ¦ NULL",
        "abc%         ¦ NULL",
    }, delimiter = '¦', nullValues = "NULL")
    void shouldPercentDecodeKeepingPlus(final String raw, final String expected)
    {
        assertEquals(expected, QueryString.percentDecode(raw));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "a=1", "a=1+2&b=x%2Cy", "%41%62=%7e&Ab=2", "a&b=", "&&a=1&&b=2&", "=v", "a=b=c",
        "k=1&k=2", "protocol=7&client=js&version=8.4.0&flash=false", "protocol=2&format=JSON&protocol=1",
        "echo_messages=false", "echo%5Fmessages=true", "pro+tocol=1", "p=%2B+%20", "", "&", "=" })
    void findGivesWhatParseAndFirstGive(final String raw)
    {
        assertTrue(QueryString.isWellFormed(raw), raw);
        final List<String[]> pairs = QueryString.parse(raw);
        for (final String name : new String[]{ "a", "b", "Ab", "k", "", "protocol", "format", "echo_messages",
            "pro tocol", "p", "missing" })
        {
            assertEquals(QueryString.first(pairs, name), QueryString.find(raw, name), raw + " / " + name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=%G1", "a=%", "a=%4", "%zz=1", "a=1&b=%2", "a=%%41" })
    void isWellFormedAgreesWithParse(final String raw)
    {
        assertEquals(QueryString.parse(raw) != null, QueryString.isWellFormed(raw), raw);
        assertTrue(QueryString.isWellFormed(null));
    }
}
