package io.sockudo.jvm.server.reactor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OriginMatcherTest
{
    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "''                                  | https://any.example      | true",
        "*                                   | https://any.example      | true",
        "any                                 | NULL                     | true",
        "https://good.example                | https://good.example     | true",
        "https://good.example                | HTTPS://GOOD.EXAMPLE     | true",
        "https://good.example                | https://evil.example     | false",
        "https://good.example                | NULL                     | false",
        "https://good.example                | ''                       | false",
        "app.example.com                     | https://app.example.com  | true",
        "app.example.com                     | http://app.example.com   | true",
        "app.example.com                     | https://x.example.com    | false",
        "*.example.com                       | https://example.com      | true",
        "*.example.com                       | https://a.b.example.com  | true",
        "*.example.com                       | http://a.example.com:8080 | true",
        "*.example.com                       | https://badexample.com   | false",
        "https://*.example.com               | https://a.example.com    | true",
        "https://*.example.com               | http://a.example.com     | false",
        "http://localhost:*                  | http://localhost:3000    | true",
        "http://localhost:*                  | http://otherhost:3000    | false",
    })
    void shouldMatchOriginPatterns(final String patterns, final String origin, final boolean expected)
    {
        final List<String> list = patterns.isEmpty() ? List.of() : Arrays.asList(patterns.split(","));
        assertEquals(expected, OriginMatcher.allowed(list, origin));
    }
}
