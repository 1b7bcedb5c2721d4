package io.sockudo.jvm.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest
{
    @ParameterizedTest
    @CsvSource({
        "200,false,true", "204,false,true", "299,false,true",
        "500,true,false", "502,true,false", "503,true,false", "599,true,false",
        "408,true,false", "409,true,false", "425,true,false", "429,true,false",
        "400,false,false", "401,false,false", "403,false,false", "404,false,false", "410,false,false",
        "301,false,false", "100,false,false", "600,false,false",
    })
    void statuses(final int status, final boolean retryable, final boolean success)
    {
        assertEquals(retryable, RetryPolicy.isRetryableStatus(status));
        assertEquals(success, RetryPolicy.isSuccess(status));
    }

    @Test
    void backoffDoublesFromTheInitialValueAndIsCapped()
    {
        final RetryPolicy policy = new RetryPolicy(true, 0, Long.MAX_VALUE, 1000, 60_000);
        final long[] expected = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000};
        for (int retry = 1; retry <= expected.length; retry++)
        {
            assertEquals(expected[retry - 1], policy.backoffMs(retry), "retry " + retry);
        }
        assertEquals(60_000, policy.backoffMs(1000));
    }

    @Test
    void givesUpWhenTheNextAttemptWouldStartAfterTheElapsedLimit()
    {
        final RetryPolicy policy = new RetryPolicy(true, 0, 300_000, 1000, 60_000);
        assertEquals(1000, policy.nextDelayMs(1, 0));
        assertEquals(2000, policy.nextDelayMs(2, 1000));
        assertEquals(60_000, policy.nextDelayMs(8, 240_000));
        assertEquals(-1, policy.nextDelayMs(9, 240_001));
        assertEquals(-1, policy.nextDelayMs(1, 299_500));
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt()
    {
        final RetryPolicy policy = new RetryPolicy(true, 3, 300_000, 10, 100);
        assertEquals(10, policy.nextDelayMs(1, 0));
        assertEquals(20, policy.nextDelayMs(2, 10));
        assertEquals(-1, policy.nextDelayMs(3, 30));
    }

    @Test
    void disabledNeverRetries()
    {
        assertEquals(-1, new RetryPolicy(false, 0, 300_000, 1000, 60_000).nextDelayMs(1, 0));
        assertEquals(-1, RetryPolicy.NEVER.nextDelayMs(1, 0));
    }
}
