package analytics.loadtest.report;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one scenario achieved at one load level: one row of the run's CSV, and what the
 * comparison reads back. Every figure is a measurement; NaN means "not measured here"
 * (no local server to read CPU from, no dashboards in this scenario) and is written as an
 * empty cell, never as a zero that would read like a result.
 *
 * Pattern: a result is a value (a record), written and read by one codec (ResultsCsv).
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: measuring (analytics.loadtest.driver); the file format (ResultsCsv).
 * Threads: immutable.
 *
 * @param scenario            http1, http2, ws, fanout-system1 or fanout-system2
 * @param transport           what carried the metrics in: http/1.1, h2 or websocket
 * @param model               open (constant arrival rate) or closed (N in flight)
 * @param level               open: the offered metrics/s; closed: the metrics in flight
 * @param connections         connections the driver used to send
 * @param seconds             length of the measured window (warm-up excluded)
 * @param offeredPerSecond    metrics/s the schedule asked for; NaN in the closed model
 * @param achievedPerSecond   metrics/s the server accepted within the window
 * @param ok                  metrics accepted within the window
 * @param errorsByKind        failures by kind: "status-503", "timeout", "connection",
 *                            "close-1011" (a WebSocket close code), "unanswered"
 * @param generatorLagP99Ms   how late the driver itself issued sends (p99), in ms
 * @param generatorCpuPercent the driver's CPU over the window, 100 = one core busy
 * @param generatorSaturated  true when the driver, not the server, was the limit: then the
 *                            latencies describe the driver and the row must say so
 * @param deliveriesPerSecond fan-out only: metric updates/s received by all dashboards
 */
public record LevelResult(
        String scenario,
        String transport,
        String model,
        int level,
        int connections,
        double seconds,
        double offeredPerSecond,
        double achievedPerSecond,
        long ok,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        SortedMap<String, Long> errorsByKind,
        double generatorLagP99Ms,
        double generatorLagMaxMs,
        double generatorCpuPercent,
        boolean generatorSaturated,
        double serverCpuMicrosPerMetric,
        double deliveriesPerSecond) {

    public LevelResult {
        errorsByKind = new TreeMap<>(errorsByKind); // sorted, so the CSV cell is stable
    }

    /** Every failure of every kind. */
    public long errors() {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The errors of the kinds that start with {@code prefix} ("status-", "close-"). */
    public long errors(String prefix) {
        long sum = 0;
        for (Map.Entry<String, Long> e : errorsByKind.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
