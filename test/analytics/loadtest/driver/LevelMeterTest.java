package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meter's two windows and its error accounting, with times chosen by the test. */
class LevelMeterTest {

    private static final long MS = 1_000_000;
    private final LevelMeter meter = new LevelMeter(1_000 * MS, 2_000 * MS);

    @Test
    void latencyCountsMetricsDueInTheWindowHoweverLateTheirAnswer() {
        meter.record(1_990 * MS, 4_990 * MS, Outcome.ACCEPTED); // due in, answered 3 s later
        meter.record(900 * MS, 1_100 * MS, Outcome.ACCEPTED);   // due in the warm-up
        assertEquals(1, meter.latencies().count());
        assertEquals(3_000_000, meter.latencies().max(), 3_000_000 * 0.01);
    }

    @Test
    void achievedCountsAcceptancesThatArrivedInTheWindowWheneverDue() {
        meter.record(900 * MS, 1_100 * MS, Outcome.ACCEPTED);   // warm-up backlog, answered in
        meter.record(1_500 * MS, 1_600 * MS, Outcome.ACCEPTED); // due and answered in
        meter.record(1_990 * MS, 2_100 * MS, Outcome.ACCEPTED); // answered after the window
        meter.record(1_500 * MS, 1_600 * MS, Outcome.status(503));
        assertEquals(2, meter.acceptedInWindow());
    }

    @Test
    void errorsAreCountedByKindForMetricsDueInTheWindow() {
        meter.record(1_100 * MS, 1_200 * MS, Outcome.status(503));
        meter.record(1_100 * MS, 1_200 * MS, Outcome.status(503));
        meter.record(1_300 * MS, 1_400 * MS, Outcome.closed(1011));
        meter.record(500 * MS, 600 * MS, Outcome.TIMEOUT); // warm-up: not counted
        assertEquals(Map.of("status-503", 2L, "close-1011", 1L), meter.errorsByKind());
    }

    @Test
    void metricsOwedInTheWindowThatNeverSettledAreUnanswered() {
        for (long due = 1_000; due < 1_005; due++) {
            meter.owed(due * MS);
        }
        meter.owed(500 * MS); // warm-up: owes nothing to the window
        meter.record(1_000 * MS, 1_001 * MS, Outcome.ACCEPTED);
        meter.record(1_001 * MS, 1_002 * MS, Outcome.TIMEOUT);
        assertEquals(Map.of("timeout", 1L, LevelMeter.UNANSWERED, 3L), meter.errorsByKind());
        assertEquals(1, meter.errorCount(), "the progress line counts the errors seen so far");
    }

    @Test
    void keepsTheFirstDetailOfEachKindForThePersonWatching() {
        meter.record(1_100 * MS, 1_200 * MS, Outcome.connection(new IOException("first")));
        meter.record(1_100 * MS, 1_200 * MS, Outcome.connection(new IOException("second")));
        meter.record(1_100 * MS, 1_200 * MS, Outcome.TIMEOUT);
        assertEquals(Map.of("connection", "java.io.IOException: first"), meter.firstDetails());
        assertEquals(Map.of("connection", 2L, "timeout", 1L), meter.errorsByKind());
    }
}
