package io.sockudo.jvm.server.ratelimit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientIpTest
{
    @ParameterizedTest(name = "xff={1} real={2} hops={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "127.0.0.1 | 1.1.1.1            | 2.2.2.2 | 0 | 127.0.0.1",
        "127.0.0.1 | 1.1.1.1            | NULL    | 1 | 1.1.1.1",
        "127.0.0.1 | 9.9.9.9, 1.1.1.1   | NULL    | 1 | 1.1.1.1",
        "127.0.0.1 | 9.9.9.9, 1.1.1.1   | NULL    | 2 | 9.9.9.9",
        "127.0.0.1 | 9.9.9.9            | NULL    | 3 | 127.0.0.1",
        "127.0.0.1 | NULL               | 2.2.2.2 | 1 | 2.2.2.2",
        "127.0.0.1 | not-an-ip          | NULL    | 1 | 127.0.0.1",
        "127.0.0.1 | ::1                | NULL    | 1 | ::1",
    })
    void shouldTrustProxyHeadersOnlyWithTrustHops(final String peer, final String xff, final String realIp,
        final int hops, final String expected)
    {
        assertEquals(expected, ClientIp.resolve(peer, xff, realIp, hops));
    }

    @Test
    void shouldRecogniseLiteralAddressesOnly()
    {
        assertTrue(ClientIp.isIp("10.0.0.255"));
        assertTrue(ClientIp.isIp("2001:db8::1"));
        assertFalse(ClientIp.isIp("10.0.0.256"));
        assertFalse(ClientIp.isIp("10.0.0"));
        assertFalse(ClientIp.isIp("example.com"));
        assertFalse(ClientIp.isIp(""));
    }

    @Test
    void shouldCountAFixedWindowPerKey()
    {
        final RateLimiter limiter = new RateLimiter(2, 10);
        final RateLimiter.Result r = new RateLimiter.Result();
        assertTrue(limiter.tryAcquire("a", 1_000, r));
        assertEquals(1, r.remaining);
        assertEquals(10, r.resetSeconds);
        assertTrue(limiter.tryAcquire("a", 2_000, r));
        assertFalse(limiter.tryAcquire("a", 3_000, r));
        assertEquals(0, r.remaining);
        assertEquals(8, r.resetSeconds);
        assertTrue(limiter.tryAcquire("b", 3_000, r));
        assertTrue(limiter.tryAcquire("a", 11_000, r), "a new window starts when the old one expired");
    }
}
