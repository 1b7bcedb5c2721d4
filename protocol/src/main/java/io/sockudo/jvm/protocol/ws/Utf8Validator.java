package io.sockudo.jvm.protocol.ws;

import org.agrona.DirectBuffer;

/**
 * Strict UTF-8 validation (RFC 3629, as required for WebSocket text by RFC 6455 section 8.1): rejects overlong forms,
 * UTF-16 surrogates (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences.
 * <p>
 * The validator is a small state machine whose state says how many continuation bytes are still expected and which
 * range the next one must fall in, so a message can be validated piece by piece as its fragments arrive. ASCII runs
 * are skipped eight bytes at a time.
 */
public final class Utf8Validator
{
    /**
     * State between complete code points: the input so far is valid and complete.
     */
    static final int ACCEPT = 0;

    /**
     * State after invalid input; it never leaves this state.
     */
    static final int REJECT = -1;

    // Incomplete states, named by the range the next byte must be in and how many bytes remain after it.
    private static final int NEED_1 = 1;          // one more byte in 80..BF
    private static final int NEED_2 = 2;          // two more, next in 80..BF
    private static final int NEED_2_AFTER_E0 = 3; // two more, next in A0..BF (no overlong 3-byte forms)
    private static final int NEED_2_AFTER_ED = 4; // two more, next in 80..9F (no surrogates)
    private static final int NEED_3_AFTER_F0 = 5; // three more, next in 90..BF (no overlong 4-byte forms)
    private static final int NEED_3 = 6;          // three more, next in 80..BF
    private static final int NEED_3_AFTER_F4 = 7; // three more, next in 80..8F (nothing above U+10FFFF)

    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Validator()
    {
    }

    /**
     * Is the range complete, strictly valid UTF-8?
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return true if valid; an empty range is valid.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return validate(ACCEPT, buffer, offset, length) == ACCEPT;
    }

    /**
     * Continue validation from a previous state over more bytes.
     *
     * @param state  {@link #ACCEPT} at the start of a text, else the value returned for the previous piece.
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return {@link #ACCEPT} if the input so far is complete and valid, {@link #REJECT} if it is invalid, or a
     * positive state if it is valid so far but ends inside a sequence.
     */
    static int validate(final int state, final DirectBuffer buffer, final int offset, final int length)
    {
        int s = state;
        int i = offset;
        final int end = offset + length;

        while (i < end)
        {
            if (ACCEPT == s)
            {
                while (i + 8 <= end && (buffer.getLong(i) & HIGH_BITS) == 0)
                {
                    i += 8;
                }

                while (i < end && buffer.getByte(i) >= 0)
                {
                    i++;
                }

                if (i == end)
                {
                    break;
                }
            }

            s = next(s, buffer.getByte(i) & 0xFF);
            if (REJECT == s)
            {
                return REJECT;
            }
            i++;
        }

        return s;
    }

    private static int next(final int state, final int b)
    {
        switch (state)
        {
            case ACCEPT:
                return leadByte(b);

            case NEED_1:
                return b >= 0x80 && b <= 0xBF ? ACCEPT : REJECT;

            case NEED_2:
                return b >= 0x80 && b <= 0xBF ? NEED_1 : REJECT;

            case NEED_2_AFTER_E0:
                return b >= 0xA0 && b <= 0xBF ? NEED_1 : REJECT;

            case NEED_2_AFTER_ED:
                return b >= 0x80 && b <= 0x9F ? NEED_1 : REJECT;

            case NEED_3_AFTER_F0:
                return b >= 0x90 && b <= 0xBF ? NEED_2 : REJECT;

            case NEED_3:
                return b >= 0x80 && b <= 0xBF ? NEED_2 : REJECT;

            case NEED_3_AFTER_F4:
                return b >= 0x80 && b <= 0x8F ? NEED_2 : REJECT;

            default:
                return REJECT;
        }
    }

    private static int leadByte(final int b)
    {
        if (b < 0x80)
        {
            return ACCEPT;
        }
        if (b < 0xC2)
        {
            return REJECT; // stray continuation byte, or C0/C1 (overlong 2-byte form)
        }
        if (b < 0xE0)
        {
            return NEED_1;
        }
        if (b == 0xE0)
        {
            return NEED_2_AFTER_E0;
        }
        if (b == 0xED)
        {
            return NEED_2_AFTER_ED;
        }
        if (b < 0xF0)
        {
            return NEED_2;
        }
        if (b == 0xF0)
        {
            return NEED_3_AFTER_F0;
        }
        if (b < 0xF4)
        {
            return NEED_3;
        }
        if (b == 0xF4)
        {
            return NEED_3_AFTER_F4;
        }

        return REJECT; // F5..FF can only start code points above U+10FFFF
    }
}
