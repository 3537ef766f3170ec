package analytics.loadtest.driver;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closed model: N metrics in flight, each sender sending its next as soon as the last
 * is answered - as fast as the server goes. It finds a transport's saturation point (the
 * most it accepts per second), which the open model cannot: there the rate is given.
 *
 * Its latencies run from the actual send, so they hide stalls: while the server stalls, no
 * sender sends, and the stall shows up in only N samples. Compare its p99 with the open
 * model's at the same throughput - the difference is the coordinated omission.
 *
 * Pattern: closed-loop load (throughput-bound), and why its latency is not the fleet's.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: N virtual threads until the end, then joined.
 */
final class ClosedLoad {

    private ClosedLoad() {
    }

    static void run(MetricSender sender, int inFlight, long end, Duration timeout, AtomicLong seqs,
                    LevelMeter meter) throws InterruptedException {
        long wallAtStart = System.currentTimeMillis();
        long nanosAtStart = System.nanoTime();
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < inFlight; i++) {
                senders.execute(() -> {
                    try {
                        for (long sent = System.nanoTime(); sent - end < 0; sent = System.nanoTime()) {
                            long timestamp = wallAtStart + (sent - nanosAtStart) / 1_000_000;
                            meter.owed(sent);
                            Outcome outcome = sender.send(seqs.getAndIncrement(), timestamp,
                                    sent + timeout.toNanos());
                            meter.record(sent, System.nanoTime(), outcome);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        } finally {
            senders.shutdown();
            long grace = end - System.nanoTime() + timeout.toNanos() + LevelMeter.GRACE.toNanos();
            if (!senders.awaitTermination(Math.max(0, grace), TimeUnit.NANOSECONDS)) {
                senders.shutdownNow();
            }
        }
    }
}
