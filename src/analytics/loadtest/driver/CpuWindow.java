package analytics.loadtest.driver;

import analytics.loadtest.measure.DueTime;
import analytics.loadtest.measure.ProcessCpu;
import java.util.List;

/**
 * The CPU seconds a set of processes used during a level's measured window, read from
 * /proc at the window's two edges by a thread that sleeps until each edge.
 *
 * Used twice per level: for the system under test (System 1 is its JVM plus Redis, since
 * half of its work per metric is Redis's) and for the driver itself.
 *
 * Pattern: measure cost, not only speed - CPU per metric is what stays comparable when the
 *          generator, not the server, sets the rate.
 * Lesson:  lessons/19-load-testing-done-right.md   Spec: proc(5), /proc/PID/stat
 * Threads: one virtual thread reads; seconds() after join().
 */
final class CpuWindow {

    private final List<Long> pids;
    private final Thread reader;
    private volatile double seconds = Double.NaN;

    private CpuWindow(List<Long> pids, long from, long to) {
        this.pids = pids;
        this.reader = Thread.ofVirtual().name("cpu-window").start(() -> read(from, to));
    }

    /** Starts watching; with no pids, seconds() stays NaN ("not measured"). */
    static CpuWindow watch(List<Long> pids, long fromNanos, long toNanos) {
        return new CpuWindow(pids, fromNanos, toNanos);
    }

    private void read(long from, long to) {
        if (pids.isEmpty()) {
            return;
        }
        DueTime.await(from);
        double before = total();
        DueTime.await(to);
        seconds = total() - before;
    }

    private double total() {
        double sum = 0;
        for (long pid : pids) {
            sum += ProcessCpu.seconds(pid, ProcessCpu.USER_HZ); // NaN if one is gone: says so
        }
        return sum;
    }

    /** CPU seconds over the window; NaN when not measured (no pids, or a process ended). */
    double seconds() throws InterruptedException {
        reader.join();
        return seconds;
    }
}
