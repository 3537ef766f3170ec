package analytics.loadtest.driver;

import analytics.loadtest.measure.ProcessCpu;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One line a second while a level runs - where it is, what the server accepted in the
 * last second, the p99 so far, errors, and how busy and how late the driver itself is - so
 * a person watching knows at once whether the numbers will be worth reading.
 *
 * Pattern: progress from a ticker thread reading shared counters, never the hot path.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: one virtual thread ticks until stop().
 */
final class ProgressLine {

    private final String label;
    private final LevelMeter meter;
    private final GeneratorWatch watch; // null in the closed model: nothing is scheduled
    private final long start;
    private final PrintStream out;
    private final Thread ticker;

    private ProgressLine(String label, LevelMeter meter, GeneratorWatch watch, long start, PrintStream out) {
        this.label = label;
        this.meter = meter;
        this.watch = watch;
        this.start = start;
        this.out = out;
        this.ticker = Thread.ofVirtual().name("progress").start(this::tick);
    }

    static ProgressLine start(String label, LevelMeter meter, GeneratorWatch watch, long start, PrintStream out) {
        return new ProgressLine(label, meter, watch, start, out);
    }

    private void tick() {
        long pid = ProcessHandle.current().pid();
        double cpuBefore = ProcessCpu.seconds(pid, ProcessCpu.USER_HZ);
        try {
            for (long second = 1; ; second++) {
                long next = start + TimeUnit.SECONDS.toNanos(second);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                double cpuNow = ProcessCpu.seconds(pid, ProcessCpu.USER_HZ);
                out.println(line(next, meter.takeAcceptedThisSecond(), (cpuNow - cpuBefore) * 100));
                cpuBefore = cpuNow;
                if (next - meter.measureTo() >= 0) {
                    return; // the drain that follows is quiet, and short
                }
            }
        } catch (InterruptedException stopped) {
            // the level is over
        }
    }

    private String line(long now, long acceptedLastSecond, double cpuPercent) {
        boolean warming = now - meter.measureFrom() < 0;
        String phase = warming
                ? String.format(Locale.ROOT, "warm-up %d/%d s", seconds(now - start),
                        seconds(meter.measureFrom() - start))
                : String.format(Locale.ROOT, "%d/%.0f s", seconds(now - meter.measureFrom()),
                        meter.windowSeconds());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "  %s  %-14s accepted %6d/s", label, phase, acceptedLastSecond));
        if (!warming) {
            line.append(String.format(Locale.ROOT, "  p99 %8.2f ms  errors %d",
                    meter.latencies().percentile(99) / 1000.0, meter.errorCount()));
        }
        if (watch != null && !warming) {
            line.append(String.format(Locale.ROOT, "  lag p99 %.2f ms", watch.lagP99Ms()));
        }
        line.append(String.format(Locale.ROOT, "  driver CPU %3.0f%%", cpuPercent));
        return line.toString();
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }

    void stop() throws InterruptedException {
        ticker.interrupt();
        ticker.join();
    }
}
