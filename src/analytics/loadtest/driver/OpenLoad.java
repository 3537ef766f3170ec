package analytics.loadtest.driver;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: metrics arrive at a constant rate, whatever the server does, as metrics
 * from a real fleet would. Metric n is due at start + n / rate; one thread keeps that
 * schedule and hands each due metric to its own virtual thread, which sends it and waits
 * for the answer. The latency runs from the DUE time.
 *
 * Why: a generator that waits for an answer before sending the next (the closed model)
 * sends nothing while the server stalls - so the stall hides in a few slow samples, the
 * "coordinated omission" Gil Tene named. Here every metric due during a 500 ms stall
 * carries its share of it, and the percentiles show what the fleet would have seen.
 *
 * Pattern: open-loop load with latency from the intended start.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: the wire (MetricSender); counting (LevelMeter); the driver's health (GeneratorWatch).
 * Threads: run() keeps the schedule on the caller's thread; sends run on virtual threads.
 */
final class OpenLoad {

    private OpenLoad() {
    }

    /**
     * Sends at {@code rate} metrics/s from {@code start} until {@code end} (System.nanoTime()),
     * each metric answered within {@code timeout} of its due time or counted a timeout.
     *
     * @param seqs the driver's sequence numbers, unique across levels (WebSocket ids)
     */
    static void run(MetricSender sender, double rate, long start, long end, Duration timeout,
                    AtomicLong seqs, LevelMeter meter, GeneratorWatch watch) throws InterruptedException {
        long wallAtStart = System.currentTimeMillis();
        long nanosAtStart = System.nanoTime();
        double interval = 1e9 / rate;
        ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (long n = 0; ; n++) {
                long due = start + (long) (n * interval);
                if (due - end >= 0) {
                    break;
                }
                awaitDue(due);
                long seq = seqs.getAndIncrement();
                // The metric's own timestamp is its due time, so a dashboard's delay counts
                // from the same instant as the ingest's latency.
                long timestamp = wallAtStart + (due - nanosAtStart) / 1_000_000;
                meter.owed(due);
                sends.execute(() -> {
                    watch.lag(due, System.nanoTime());
                    try {
                        Outcome outcome = sender.send(seq, timestamp, due + timeout.toNanos());
                        meter.record(due, System.nanoTime(), outcome);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the level was cut short
                    }
                });
            }
        } finally {
            sends.shutdown();
            // Every metric has its deadline by now plus the timeout; what is still running
            // after a grace period never got its turn on a carrier thread - LevelMeter counts
            // it "unanswered", the driver's failure rather than the server's.
            long grace = end - System.nanoTime() + timeout.toNanos() + LevelMeter.GRACE.toNanos();
            if (!sends.awaitTermination(Math.max(0, grace), TimeUnit.NANOSECONDS)) {
                sends.shutdownNow();
            }
        }
    }

    /** Parks until {@code due}; returns at once when already late (and the lag will show it). */
    static void awaitDue(long due) {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
