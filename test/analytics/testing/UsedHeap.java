package analytics.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap this JVM holds live, in bytes: what a wire test whose server runs in-process
 * measures before and after a flood, to assert that memory follows the bytes a peer sent
 * and not the lengths it announced. Live, because garbage is collected first: the figure
 * is the objects still reachable - buffers the server keeps - not what it once allocated.
 *
 * Pattern: measure the outcome (heap held), not a proxy (bytes allocated); take the
 *          smallest of a few collections, so a collection that left garbage is not read.
 * Lesson:  lessons/05-websocket-frames.md
 * Not here: RSS (the process's resident memory, which the JVM rarely gives back).
 * Threads: any; System.gc() stops them all for a moment.
 */
public final class UsedHeap {

    /** A full collection is usually enough; one more in case a reference was cleared late. */
    private static final int COLLECTIONS = 3;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private UsedHeap() {
    }

    /** The heap in use after a full collection, the smallest of a few such readings. */
    public static long afterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            MEMORY.gc();
            least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Bytes as MiB with one decimal, for a failure message a person reads. */
    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
