package analytics.stats;

import com.eclipsesource.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * What the JVM holds right now - heap in use, the part of it the last collection kept, the
 * heap's ceiling, collections so far, live platform threads - the block every system's
 * /stats and Prometheus text end with.
 *
 * Pattern: a value read once and rendered twice (see StatsSnapshot).
 * Lesson:  lessons/09-system2-fan-out.md
 * Not here: virtual threads - the thread MXBean counts platform threads only, which is
 *           the point: thousands of connections should leave this number small.
 * Threads: immutable.
 */
public record JvmFigures(long heapUsedBytes, long heapRetainedBytes, long heapMaxBytes,
                         long collections, int threads) {

    public static JvmFigures now() {
        Runtime runtime = Runtime.getRuntime();
        return new JvmFigures(runtime.totalMemory() - runtime.freeMemory(), heapOutsideEden(),
                runtime.maxMemory(), collectionsSoFar(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** Collections of every kind since start: a kept-heap figure means something only after one. */
    private static long collectionsSoFar() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount()); // -1: this collector cannot say
        }
        return count;
    }

    /**
     * The heap outside eden. Eden is where new objects are born and most die; what is
     * elsewhere (survivor spaces, the old generation, objects too big for eden) is what the
     * collector last decided to keep, plus what it has not looked at again. "Heap used" swings
     * by hundreds of megabytes with eden's fill; this moves only when something is kept, which
     * is what a memory bound is about. A collector without an eden (ZGC, Shenandoah) reports
     * all its heap here: an upper bound, never an underestimate.
     */
    private static long heapOutsideEden() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && !pool.getName().contains("Eden")) {
                bytes += pool.getUsage().getUsed();
            }
        }
        return bytes;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .add("heapUsedBytes", heapUsedBytes)
                .add("heapRetainedBytes", heapRetainedBytes)
                .add("heapMaxBytes", heapMaxBytes)
                .add("collections", collections)
                .add("threads", threads);
    }

    public PrometheusText addTo(PrometheusText text) {
        return text
                .gauge("jvm_heap_used_bytes", "JVM heap in use.", heapUsedBytes)
                .gauge("jvm_heap_retained_bytes",
                        "JVM heap outside eden: what the last collection kept.", heapRetainedBytes)
                .gauge("jvm_heap_max_bytes", "The most heap the JVM may use.", heapMaxBytes)
                .counter("jvm_collections_total", "Garbage collections since start.", collections)
                .gauge("jvm_threads", "Live platform threads (virtual threads are not counted).",
                        threads);
    }
}
