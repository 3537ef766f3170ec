package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void allowsTheLimitPerWindowAndNoMore() {
        RateLimit limit = new RateLimit(3, Duration.ofSeconds(1));
        long start = 1_000 * SECOND;
        assertTrue(limit.allow(start));
        assertTrue(limit.allow(start + 1));
        assertTrue(limit.allow(start + 2));
        assertFalse(limit.allow(start + 3));
    }

    @Test
    void startsAfreshInTheNextWindow() {
        RateLimit limit = new RateLimit(1, Duration.ofSeconds(1));
        long start = 5 * SECOND;
        assertTrue(limit.allow(start));
        assertFalse(limit.allow(start + SECOND / 2));
        assertTrue(limit.allow(start + 2 * SECOND));
    }
}
