package analytics.loadtest.driver;

import analytics.loadtest.measure.LatencyHistogram;
import java.util.List;

/**
 * The driver watching itself: how late it started each send it owed, and how much CPU it
 * burned doing so. When either says the driver could not keep up, the level's latencies
 * describe the driver, not the server, and the row is flagged instead of blamed on the
 * server.
 *
 * Lag is taken when the scheduler hands a metric to the lanes: how late its wake-up was.
 * The wait in the queue for a free lane comes after and is the server's (its connections
 * are busy): it stays in the latency. A driver short of CPU for its lanes shows in its CPU.
 *
 * Pattern: a load generator is a measuring instrument; an instrument reports its own error.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: lag() from any thread; the verdict after the level.
 */
final class GeneratorWatch {

    /**
     * Sends starting 5 ms late at the 99th percentile: the schedule no longer holds, and a
     * p99 below that could not be told from the driver's own lateness.
     */
    static final double SATURATED_LAG_P99_MS = 5.0;
    /** The driver alone using 90 % of every core leaves the server nothing to run on. */
    static final double SATURATED_CPU_SHARE = 0.9;

    private final LevelMeter window;
    private final LatencyHistogram lag = new LatencyHistogram();
    private final CpuWindow cpu;

    GeneratorWatch(LevelMeter window) {
        this.window = window;
        this.cpu = CpuWindow.watch(List.of(ProcessHandle.current().pid()),
                window.measureFrom(), window.measureTo());
    }

    /** A send due at {@code dueNanos} began at {@code beganNanos}. */
    void lag(long dueNanos, long beganNanos) {
        if (window.inWindow(dueNanos)) {
            lag.record(Math.max(0, beganNanos - dueNanos) / 1_000);
        }
    }

    double lagP99Ms() {
        return lag.count() == 0 ? 0 : lag.percentile(99) / 1000.0;
    }

    double lagMaxMs() {
        return lag.max() / 1000.0;
    }

    /** Percent of one core over the window: 100 is one core kept busy. */
    double cpuPercent() throws InterruptedException {
        return cpu.seconds() / window.windowSeconds() * 100;
    }

    boolean saturated() throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        return lagP99Ms() > SATURATED_LAG_P99_MS || cpuPercent() >= SATURATED_CPU_SHARE * cores * 100;
    }
}
