package analytics.loadtest.driver;

import analytics.loadtest.measure.LatencyHistogram;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts one load level: the latency and fate of every metric DUE inside the measured
 * window, however late its answer comes, and the acceptances that ARRIVED inside it.
 *
 * The two windows differ on purpose. Latency belongs to the metric - one scheduled in the
 * last second that waits 3 s for a stalled server must carry those 3 s. Throughput belongs
 * to the server - what it accepted during the window, whenever those metrics were due. So
 * an overloaded server still shows the rate it managed (counting only metrics due in the
 * window would show 0/s once latencies outgrow the window), and a server draining a
 * backlog left by the warm-up may show more than the offered rate, which is true too.
 *
 * Pattern: measure from the schedule, not from the send (no coordinated omission).
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: the schedule (OpenLoad, ClosedLoad); the generator's own health (GeneratorWatch).
 * Threads: record() from any thread; read after the level's senders have finished.
 */
final class LevelMeter {

    /** The error kind of a metric owed in the window that the driver never finished. */
    static final String UNANSWERED = "unanswered";

    /**
     * How long past its deadline a metric may still be finishing before the level stops
     * waiting: time for the threads that hold the answers to run.
     */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final long measureFrom;
    private final long measureTo;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final LongAdder acceptedInWindow = new LongAdder();
    private final LongAdder owedInWindow = new LongAdder();
    private final LongAdder settledInWindow = new LongAdder();
    private final LongAdder acceptedThisSecond = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> firstDetails = new ConcurrentHashMap<>();

    /** Both on the System.nanoTime() clock: [measureFrom, measureTo). */
    LevelMeter(long measureFrom, long measureTo) {
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
    }

    /** A metric due (or, closed, sent) at {@code startedNanos} is about to be sent. */
    void owed(long startedNanos) {
        if (inWindow(startedNanos)) {
            owedInWindow.increment();
        }
    }

    /**
     * @param startedNanos when the metric's latency starts: its scheduled time in the open
     *                     model, its actual send in the closed one
     * @param doneNanos    when its answer (or its failure) came
     */
    void record(long startedNanos, long doneNanos, Outcome outcome) {
        if (outcome.accepted()) {
            acceptedThisSecond.increment();
            if (inWindow(doneNanos)) {
                acceptedInWindow.increment();
            }
        }
        if (!inWindow(startedNanos)) {
            return; // warm-up, or the drain after the window
        }
        settledInWindow.increment();
        if (outcome.accepted()) {
            latencies.record(Math.max(0, doneNanos - startedNanos) / 1_000);
        } else {
            errors.computeIfAbsent(outcome.errorKind(), kind -> new LongAdder()).increment();
            if (outcome.detail() != null) {
                firstDetails.putIfAbsent(outcome.errorKind(), outcome.detail());
            }
        }
    }

    boolean inWindow(long nanos) {
        return nanos - measureFrom >= 0 && nanos - measureTo < 0;
    }

    long measureFrom() {
        return measureFrom;
    }

    long measureTo() {
        return measureTo;
    }

    double windowSeconds() {
        return (measureTo - measureFrom) / 1e9;
    }

    LatencyHistogram latencies() {
        return latencies;
    }

    long acceptedInWindow() {
        return acceptedInWindow.sum();
    }

    /** Accepted since the last call: the progress line's "per second". */
    long takeAcceptedThisSecond() {
        return acceptedThisSecond.sumThenReset();
    }

    /** For each error kind that came with one, the first detail (e.g. the exception). */
    SortedMap<String, String> firstDetails() {
        return new TreeMap<>(firstDetails);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /**
     * Failures by kind, read after the level. Metrics owed in the window that never settled -
     * the driver ran out of time to even finish them - are "unanswered": counted, so a
     * saturated driver cannot make its own failures vanish from the error column.
     */
    SortedMap<String, Long> errorsByKind() {
        SortedMap<String, Long> copy = new TreeMap<>();
        errors.forEach((kind, count) -> copy.put(kind, count.sum()));
        long unanswered = owedInWindow.sum() - settledInWindow.sum();
        if (unanswered > 0) {
            copy.put(UNANSWERED, unanswered);
        }
        return copy;
    }
}
