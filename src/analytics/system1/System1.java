package analytics.system1;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.broadcast.System1Broadcaster;
import analytics.system1.ingest.System1Ingest;
import analytics.system1.worker.System1Workers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * All of System 1 in one JVM: workers, broadcaster, then the HTTP ingest. The three parts
 * share nothing but Redis, so each can also run alone in its own process
 * ({@code make run-system1 ROLE=ingest|worker|broadcaster}) and the result is the same.
 *
 * Pattern: composition root over independent parts that meet only in a broker.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md
 * Not here: the parts themselves (System1Ingest, System1Workers, System1Broadcaster).
 * Threads: start and close from one thread.
 */
public final class System1 implements AutoCloseable {

    private static final Log LOG = Log.get(System1.class);

    private final System1Ingest ingest;
    private final System1Broadcaster broadcaster;
    private final List<AutoCloseable> parts; // in start order; closed in reverse

    private System1(System1Ingest ingest, System1Broadcaster broadcaster, List<AutoCloseable> parts) {
        this.ingest = ingest;
        this.broadcaster = broadcaster;
        this.parts = parts;
    }

    /**
     * Consumers first, the door last: by the time ingest accepts a metric, a worker and the
     * broadcaster are there to carry it on. A part that fails to start stops the others.
     */
    public static System1 start(Config config) throws IOException, InterruptedException {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            started.add(System1Workers.start(config));
            System1Broadcaster broadcaster = System1Broadcaster.start(config);
            started.add(broadcaster);
            System1Ingest ingest = System1Ingest.start(config);
            started.add(ingest);
            return new System1(ingest, broadcaster, List.copyOf(started));
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    public int httpPort() {
        return ingest.port();
    }

    public int http2Port() {
        return ingest.http2Port();
    }

    public int http2Connections() {
        return ingest.http2Connections();
    }

    public int wsPort() {
        return broadcaster.port();
    }

    /** The door first (no new metrics), then the workers, then the dashboards. */
    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                LOG.error("a part failed to close; closing the rest", e); // keep going
            }
        }
    }
}
