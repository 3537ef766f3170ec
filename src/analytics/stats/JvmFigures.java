package analytics.stats;

import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;

/**
 * What the JVM holds right now - heap in use, the heap's ceiling, live platform threads -
 * the block every system's /stats and Prometheus text end with.
 *
 * Pattern: a value read once and rendered twice (see StatsSnapshot).
 * Lesson:  lessons/09-system2-fan-out.md
 * Not here: virtual threads - the thread MXBean counts platform threads only, which is
 *           the point: thousands of connections should leave this number small.
 * Threads: immutable.
 */
public record JvmFigures(long heapUsedBytes, long heapMaxBytes, int threads) {

    public static JvmFigures now() {
        Runtime runtime = Runtime.getRuntime();
        return new JvmFigures(runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    public JsonObject toJson() {
        return new JsonObject()
                .add("heapUsedBytes", heapUsedBytes)
                .add("heapMaxBytes", heapMaxBytes)
                .add("threads", threads);
    }

    public PrometheusText addTo(PrometheusText text) {
        return text
                .gauge("jvm_heap_used_bytes", "JVM heap in use.", heapUsedBytes)
                .gauge("jvm_heap_max_bytes", "The most heap the JVM may use.", heapMaxBytes)
                .gauge("jvm_threads", "Live platform threads (virtual threads are not counted).", threads);
    }
}
