package analytics.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far, from Linux's /proc/PID/stat (utime + stime).
 * Read before and after a run, it gives the server's own cost per unit of work - on a
 * 2-core machine where the load generator, not the server, often sets the throughput.
 *
 * Pattern: measure cost, not just speed.
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: proc(5), /proc/pid/stat fields 14-15
 * Not here: when to read it (the benches and the load driver read it before and after a run).
 * Threads: stateless.
 */
public final class ProcessCpu {

    /**
     * USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux the JDK runs on
     * (getconf CLK_TCK); the benches take --clk-tck for a machine that differs.
     */
    public static final int USER_HZ = 100;

    private ProcessCpu() {
    }

    /** CPU seconds (user + system) of process {@code pid}, or NaN where /proc is missing. */
    public static double seconds(long pid, int clockTicksPerSecond) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2 (comm) may contain spaces and parentheses: count from its closing ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]); // field 14 overall
            long stime = Long.parseLong(fields[12]); // field 15 overall
            return (utime + stime) / (double) clockTicksPerSecond;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
