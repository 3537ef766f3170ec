package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import analytics.model.Metric;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One window over its own ring, driven by hand; the pointer rules one at a time. */
class SlidingWindowTest {

    /** Calls the window in the order ServerAggregate does. */
    private static final class Driver {
        private final SampleRing ring;
        private final SlidingWindow window;
        private long newest = Long.MIN_VALUE;

        Driver(int capacity, long lengthMs) {
            this.ring = new SampleRing(capacity);
            this.window = new SlidingWindow(lengthMs, ring);
        }

        AggregateSnapshot.Window feed(long timestamp, double cpu) {
            if (ring.isFull()) {
                window.beforeOverwrite(ring.oldestSeq());
            }
            long seq = ring.add(new Metric("s", timestamp, cpu, 0, 0, null, Map.of()));
            newest = Math.max(newest, timestamp);
            window.afterAdd(seq, newest);
            return window.snapshot();
        }
    }

    private final Driver driver = new Driver(10, 1000);

    private AggregateSnapshot.Window feed(long timestamp, double cpu) {
        return driver.feed(timestamp, cpu);
    }

    @Test
    @Tag("sliding-window-1")
    void aSampleExactlyLengthMsOlderThanTheNewestIsInside() {
        feed(10_000, 10);
        AggregateSnapshot.Window figures = feed(11_000, 30);
        assertEquals(2, figures.samples(), "10_000 >= 11_000 - 1000: inclusive, as the original");
        assertEquals(20, figures.averages().cpu());
    }

    @Test
    @Tag("sliding-window-1")
    void oneMillisecondOlderThanTheBoundaryIsOutside() {
        feed(10_000, 10);
        AggregateSnapshot.Window figures = feed(11_001, 30);
        assertEquals(1, figures.samples());
        assertEquals(30, figures.averages().cpu());
    }

    @Test
    @Tag("sliding-window-1")
    void theNewestSampleIsAlwaysInside() {
        assertEquals(1, feed(5, 7).samples());
        assertEquals(1, feed(1_000_000, 9).samples());
    }

    @Test
    @Tag("sliding-window-2")
    void theRingOverwritingACountedSampleSubtractsIt() {
        Driver three = new Driver(3, 1000);
        for (int i = 1; i <= 4; i++) {
            three.feed(500, i); // all inside the window: only the ring limits it
        }
        AggregateSnapshot.Window figures = three.feed(500, 5);
        assertEquals(3, figures.samples());
        assertEquals((3 + 4 + 5) / 3.0, figures.averages().cpu());
    }

    @Test
    @Tag("sliding-window-3")
    void aSampleTooOldOnArrivalIsNeverCountedNorLaterSubtracted() {
        feed(50_000, 10);
        AggregateSnapshot.Window late = feed(48_000, 90); // cutoff 49_000
        assertEquals(1, late.samples());
        assertEquals(10, late.averages().cpu());
        AggregateSnapshot.Window after = feed(50_500, 30);
        assertEquals(2, after.samples());
        assertEquals(20, after.averages().cpu());
    }

    @Test
    @Tag("sliding-window-3")
    void aLateSampleInsideTheCutoffIsCountedUntilTheStartReachesIt() {
        feed(10_000, 10);
        feed(9_500, 20);                           // late, but inside 9_000..10_000
        AggregateSnapshot.Window figures = feed(10_800, 30); // cutoff 9_800
        // The brute-force filter would drop 9_500, but it arrived after 10_000, which is
        // still inside: the start stops at 10_000 and 9_500 stays, as documented.
        assertEquals(3, figures.samples());
        figures = feed(11_001, 40);                // cutoff 10_001: 10_000 leaves, then 9_500
        assertEquals(2, figures.samples());
        assertEquals(35, figures.averages().cpu());
    }

    @Test
    @Tag("sliding-window-2")
    void aWindowIsEmptyWhenTheRingNoLongerHoldsAnythingRecentEnough() {
        Driver one = new Driver(1, 1000);
        one.feed(50_000, 10);
        AggregateSnapshot.Window figures = one.feed(45_000, 30); // overwrote the newest
        assertEquals(0, figures.samples());
        assertNull(figures.averages());
    }

    @Test
    @Tag("sliding-window-1")
    void everySampleOlderThanTheCutoffLeavesAtOnce() {
        feed(1_000, 10);
        feed(1_100, 20);
        feed(1_200, 30);
        AggregateSnapshot.Window figures = feed(5_000, 40);
        assertEquals(1, figures.samples());
        assertEquals(40, figures.averages().cpu());
    }

    @Test
    @Tag("sliding-window-3")
    void anEmptiedWindowStartsAgainFromExactlyZero() {
        Driver one = new Driver(1, 1000);
        one.feed(50_000, 0.1);
        assertNull(one.feed(1_000, 0.7).averages()); // too late: the window is empty
        assertEquals(0.3, one.feed(50_000, 0.3).averages().cpu(), 0.0,
                "no residue of 0.1 or 0.7 left in the sums");
    }

    @Test
    void rejectsALengthBelowOneMillisecond() {
        assertThrows(IllegalArgumentException.class,
                () -> new SlidingWindow(0, new SampleRing(1)));
    }
}
