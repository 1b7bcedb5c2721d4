package io.sockudo.jvm.server.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Type grammar and text rules (spec 1.2, 1.3, tests 9.B1 and B2).
 */
@Timeout(10)
class AnnotationTypeTest
{
    @Test
    void shouldParseNamespaceSummarizerAndVersion()
    {
        assertEquals(Summarizer.DISTINCT, AnnotationType.parse("reaction:distinct.v1"));
        assertEquals(Summarizer.TOTAL, AnnotationType.parse("a.b-c\u00E9:total.v1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reaction:unknown.v1|unsupported annotation summarizer: unknown",
        "a:b:total.v1|unsupported annotation summarizer: b:total",
        "reactions:Total.v1|unsupported annotation summarizer: Total",
        "reactions|annotation type must use namespace:summarizer.version",
        "reactions:total|annotation type must use namespace:summarizer.version",
        ":total.v1|annotation namespace must not be empty",
        "reactions:total.v2|unsupported annotation summarizer version: 2",
        "reactions:total.v002|unsupported annotation summarizer version: 2",
        "reactions:total.vx|invalid annotation summarizer version: x",
        "reactions:total.v-1|invalid annotation summarizer version: -1",
        "reactions:total.v65536|invalid annotation summarizer version: 65536",
        "reactions:total.v65535|unsupported annotation summarizer version: 65535",
    })
    void shouldRejectInvalidTypes(final String type, final String message)
    {
        assertEquals(message, AnnotationType.parse(type));
    }

    @Test
    void shouldAcceptLeadingPlusAndZerosInVersion()
    {
        assertEquals(Summarizer.TOTAL, AnnotationType.parse("reactions:total.v01"));
        assertEquals(Summarizer.TOTAL, AnnotationType.parse("reactions:total.v+1"));
        assertEquals("invalid annotation summarizer version: ", AnnotationType.parse("reactions:total.v"));
        assertEquals("invalid annotation summarizer version: +", AnnotationType.parse("reactions:total.v+"));
    }

    @Test
    void shouldRejectEmptyWhitespaceAndLongTypes()
    {
        assertEquals("annotation type must not be empty", AnnotationType.parse(""));
        assertEquals("annotation type must not be empty", AnnotationType.parse(" \u00A0\u3000"));
        assertEquals("annotation type must not contain whitespace", AnnotationType.parse("a:total.v1\u2007"));
        assertEquals("annotation type must not contain whitespace", AnnotationType.parse("a :total.v1"));
        assertEquals("annotation type must be at most 256 bytes",
            AnnotationType.parse("n".repeat(248) + ":total.v1"));
        assertEquals(Summarizer.TOTAL, AnnotationType.parse("n".repeat(247) + ":total.v1"));
    }

    @Test
    void shouldUseUnicodeWhiteSpaceNotJavaWhitespace()
    {
        assertTrue(Text.isWhiteSpace(0x85));
        assertTrue(Text.isWhiteSpace(0xA0));
        assertTrue(Text.isWhiteSpace(0x202F));
        assertFalse(Text.isWhiteSpace(0x1C));
        assertFalse(Text.isWhiteSpace(0x1F));
        assertEquals(Summarizer.TOTAL, AnnotationType.parse("a\u001C:total.v1"));
    }

    @Test
    void shouldCheckIdentifiers()
    {
        assertNull(Text.checkIdentifier("serial", "ann:1"));
        assertEquals("annotation serial must not be empty", Text.checkIdentifier("serial", "\u00A0"));
        assertEquals("annotation serial must not contain whitespace", Text.checkIdentifier("serial", "a b"));
        assertEquals("annotation serial must be at most 128 bytes",
            Text.checkIdentifier("serial", "\u00E9".repeat(65)));
        assertNull(Text.checkIdentifier("serial", "\u00E9".repeat(64)));
    }
}
