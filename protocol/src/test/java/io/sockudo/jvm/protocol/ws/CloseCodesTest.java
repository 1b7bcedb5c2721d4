package io.sockudo.jvm.protocol.ws;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class CloseCodesTest
{
    @ParameterizedTest
    @CsvSource({
        "0, false", "999, false", "1000, true", "1001, true", "1002, true", "1003, true", "1004, false",
        "1005, false", "1006, false", "1007, true", "1008, true", "1009, true", "1010, true", "1011, true",
        "1012, true", "1013, true", "1014, true", "1015, false", "1016, false", "2000, false", "2999, false",
        "3000, true", "3999, true", "4000, true", "4999, true", "5000, false", "65535, false", "-1, false"
    })
    void shouldAcceptOnlyCodesAllowedOnTheWire(final int code, final boolean valid)
    {
        assertEquals(valid, CloseCodes.isValidOnWire(code));
    }
}
