package analytics.loadtest.driver;

import analytics.loadtest.measure.DueTime;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open model: metrics arrive at a constant rate, whatever the server does, as metrics
 * from a real fleet would. Metric n is due at start + n / rate; one thread keeps that
 * schedule and puts each due metric in a queue, where as many lanes as the sender can
 * have in flight (a lane per HTTP/1.1 connection, per HTTP/2 stream) take them in order.
 * The latency runs from the DUE time, so the wait in the queue counts.
 *
 * Why: a generator that waits for an answer before sending the next (the closed model)
 * sends nothing while the server stalls - so the stall hides in a few slow samples, the
 * "coordinated omission" Gil Tene named. Here every metric due during a 500 ms stall
 * carries its share of it, and the percentiles show what the fleet would have seen.
 *
 * Why a queue and lanes, not a thread per metric: under overload the waiting metrics pile
 * up - 50,000 of them after 10 s at 5,000/s - and a thread each, parked with a timeout on
 * a semaphore, made the driver burn both cores on its own bookkeeping. A queue costs the
 * same per metric whether 5 or 50,000 wait, and a metric whose deadline passed while it
 * waited is counted a timeout without being sent at all.
 *
 * Pattern: open-loop load with latency from the intended start; a work queue in front of a
 *          fixed pool of lanes (the connection pool's own shape).
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: the wire (MetricSender); counting (LevelMeter); the driver's health (GeneratorWatch).
 * Threads: run() keeps the schedule on the caller's thread; lanes are virtual threads.
 */
final class OpenLoad {

    /** One metric owed: which one, when it was due, and the timestamp it carries. */
    private record Due(long seq, long nanos, long timestampMillis) {
    }

    /** Tells a lane the schedule is over. */
    private static final Due END = new Due(-1, 0, 0);

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
        BlockingQueue<Due> queue = new LinkedBlockingQueue<>(); // unbounded: the open model's waiting room
        ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < sender.lanes(); i++) {
                lanes.execute(() -> drive(sender, queue, timeout, meter));
            }
            for (long n = 0; ; n++) {
                long due = start + (long) (n * interval);
                if (due - end >= 0) {
                    break;
                }
                DueTime.await(due); // late: at once, and the lag shows it
                watch.lag(due, System.nanoTime());
                meter.owed(due);
                // The metric's own timestamp is its due time, so a dashboard's delay counts
                // from the same instant as the ingest's latency.
                queue.add(new Due(seqs.getAndIncrement(), due, wallAtStart + (due - nanosAtStart) / 1_000_000));
            }
        } finally {
            for (int i = 0; i < sender.lanes(); i++) {
                queue.add(END);
            }
            lanes.shutdown();
            // What is queued is past its deadline within the timeout, and a sent request
            // returns within MetricSender.ABANDON; after that and a grace period, a lane
            // still busy never got a carrier thread: LevelMeter counts its metric unanswered.
            long wait = end - System.nanoTime() + timeout.toNanos() + MetricSender.ABANDON.toNanos()
                    + LevelMeter.GRACE.toNanos();
            if (!lanes.awaitTermination(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                lanes.shutdownNow();
            }
        }
    }

    /** One lane: takes due metrics in order, sends each unless its deadline already passed. */
    private static void drive(MetricSender sender, BlockingQueue<Due> queue, Duration timeout, LevelMeter meter) {
        try {
            for (Due due = queue.take(); due != END; due = queue.take()) {
                long deadline = due.nanos() + timeout.toNanos();
                Outcome outcome = System.nanoTime() - deadline >= 0
                        ? Outcome.TIMEOUT // waited its whole timeout for a lane: never sent
                        : sender.send(due.seq(), due.timestampMillis(), deadline);
                meter.record(due.nanos(), System.nanoTime(), outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the level was cut short
        }
    }
}
