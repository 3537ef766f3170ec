package analytics.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The reference answer to lesson 07's exercise 6: percentiles by nearest rank, exact below
 * 256 where every value has a bucket of its own, and p100 exact for any value.
 */
class NearestRankTest {

    private static LatencyHistogram oneToHundred() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value = 1; value <= 100; value++) {
            histogram.record(value);
        }
        return histogram;
    }

    @Test
    void percentilesOfOneToHundredAreTheirRanks() {
        LatencyHistogram histogram = oneToHundred();
        assertEquals(50, histogram.percentile(50));
        assertEquals(99, histogram.percentile(99));
        assertEquals(100, histogram.percentile(100));
    }

    /** 101 samples: p99's rank is the ceiling of 0.99 x 101 = 99.99, i.e. 100, the value 100. */
    @Test
    void oneMillionMoreMovesP100ButNotP99() {
        LatencyHistogram histogram = oneToHundred();
        histogram.record(1_000_000);
        assertEquals(1_000_000, histogram.percentile(100));
        assertEquals(100, histogram.percentile(99));
    }
}
