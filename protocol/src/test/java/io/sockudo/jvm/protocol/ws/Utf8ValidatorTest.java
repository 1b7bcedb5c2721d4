package io.sockudo.jvm.protocol.ws;

import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.sockudo.jvm.protocol.ws.Frames.bytes;
import static io.sockudo.jvm.protocol.ws.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class Utf8ValidatorTest
{
    static Stream<Arguments> samples()
    {
        return Stream.of(
            Arguments.of("empty", new byte[0], true),
            Arguments.of("ascii", utf8("hello, world"), true),
            Arguments.of("long ascii", utf8("0123456789".repeat(10)), true),
            Arguments.of("2-byte", utf8("\u00e9"), true),
            Arguments.of("3-byte", utf8("\u20ac"), true),
            Arguments.of("4-byte", utf8("\ud83d\ude00"), true),
            Arguments.of("greek", utf8("\u03ba\u1f79\u03c3\u03bc\u03b5"), true),
            Arguments.of("multibyte after long ascii run", utf8("abcdefghijklmnopq\u00e9\u20acxyz\ud83d\ude00"), true),
            Arguments.of("U+D7FF", bytes(0xED, 0x9F, 0xBF), true),
            Arguments.of("U+E000", bytes(0xEE, 0x80, 0x80), true),
            Arguments.of("U+FFFF", bytes(0xEF, 0xBF, 0xBF), true),
            Arguments.of("U+10000", bytes(0xF0, 0x90, 0x80, 0x80), true),
            Arguments.of("U+10FFFF", bytes(0xF4, 0x8F, 0xBF, 0xBF), true),
            Arguments.of("overlong NUL C0 80", bytes(0xC0, 0x80), false),
            Arguments.of("overlong C1 BF", bytes(0xC1, 0xBF), false),
            Arguments.of("overlong 3-byte E0 80 80", bytes(0xE0, 0x80, 0x80), false),
            Arguments.of("overlong 3-byte E0 9F BF", bytes(0xE0, 0x9F, 0xBF), false),
            Arguments.of("overlong 4-byte F0 8F BF BF", bytes(0xF0, 0x8F, 0xBF, 0xBF), false),
            Arguments.of("surrogate ED A0 80", bytes(0xED, 0xA0, 0x80), false),
            Arguments.of("surrogate ED BF BF", bytes(0xED, 0xBF, 0xBF), false),
            Arguments.of("surrogate after ascii run",
                bytes('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0xED, 0xA0, 0x80), false),
            Arguments.of("above U+10FFFF F4 90 80 80", bytes(0xF4, 0x90, 0x80, 0x80), false),
            Arguments.of("F5 lead", bytes(0xF5, 0x80, 0x80, 0x80), false),
            Arguments.of("FF", bytes(0xFF), false),
            Arguments.of("stray continuation", bytes('a', 0x80), false),
            Arguments.of("truncated 2-byte", bytes('a', 0xC3), false),
            Arguments.of("truncated 3-byte", bytes(0xE2, 0x82), false),
            Arguments.of("truncated 4-byte", bytes(0xF0, 0x9F, 0x98), false),
            Arguments.of("bad continuation", bytes(0xC3, 0x28), false),
            Arguments.of("ascii in 3-byte sequence", bytes(0xE2, 0x82, 'a'), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldValidateStrictUtf8(final String name, final byte[] bytes, final boolean valid)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 6]);
        buffer.putBytes(3, bytes);

        assertEquals(valid, Utf8Validator.isValid(buffer, 3, bytes.length), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void shouldGiveSameAnswerWhenValidatedInTwoPieces(final String name, final byte[] bytes, final boolean valid)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int split = 0; split <= bytes.length; split++)
        {
            int state = Utf8Validator.validate(Utf8Validator.ACCEPT, buffer, 0, split);
            if (Utf8Validator.REJECT != state)
            {
                state = Utf8Validator.validate(state, buffer, split, bytes.length - split);
            }

            assertEquals(valid, Utf8Validator.ACCEPT == state, name + " split at " + split);
        }
    }
}
