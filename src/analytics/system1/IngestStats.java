package analytics.system1;

import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;

/**
 * The ingest's own figures - metrics accepted, requests refused, the batcher's round trips
 * and queue, the Redis state, the JVM heap - as JSON for GET /stats and Prometheus text
 * for GET /metrics/prometheus.
 *
 * Pattern: a system that reports its own health; metrics per round trip make group commit visible.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Not here: stream length and consumer-group lag (they come with the workers).
 * Threads: counters from any thread; sample() once a second from the timer thread.
 */
final class IngestStats {

    private final long startedAt = System.currentTimeMillis();
    private final RateCounter accepted = new RateCounter();
    private final RateCounter rejected = new RateCounter();
    private final RateCounter unavailable = new RateCounter();
    private final StreamBatcher batcher;

    IngestStats(StreamBatcher batcher) {
        this.batcher = batcher;
    }

    /** Metrics written to the stream and answered with 202. */
    RateCounter accepted() {
        return accepted;
    }

    /** Requests answered 4xx: bad input, wrong method, unknown path. */
    RateCounter rejected() {
        return rejected;
    }

    /** Requests answered 503. */
    RateCounter unavailable() {
        return unavailable;
    }

    void sample() {
        accepted.sample();
        rejected.sample();
        unavailable.sample();
    }

    JsonObject toJson() {
        long roundTrips = batcher.roundTrips();
        String down = batcher.downReason();
        Runtime runtime = Runtime.getRuntime();
        return new JsonObject()
                .add("system", "system1")
                .add("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000)
                .add("metrics", new JsonObject()
                        .add("acceptedPerSecond", accepted.perSecond())
                        .add("acceptedTotal", accepted.total())
                        .add("rejectedPerSecond", rejected.perSecond())
                        .add("rejectedTotal", rejected.total())
                        .add("unavailablePerSecond", unavailable.perSecond())
                        .add("unavailableTotal", unavailable.total()))
                .add("batcher", new JsonObject()
                        .add("roundTrips", roundTrips)
                        .add("written", batcher.written())
                        .add("writtenPerRoundTrip", roundTrips == 0 ? 0 : (double) batcher.written() / roundTrips)
                        .add("queued", batcher.queued()))
                .add("redis", down == null ? "ready" : down)
                .add("jvm", new JsonObject()
                        .add("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory())
                        .add("heapMaxBytes", runtime.maxMemory())
                        .add("threads", ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    String toPrometheus() {
        return new PrometheusText("system1")
                .counter("metrics_accepted_total", "Metrics written to the stream (answered 202).", accepted.total())
                .counter("requests_rejected_total", "Requests answered 4xx.", rejected.total())
                .counter("requests_unavailable_total", "Requests answered 503.", unavailable.total())
                .counter("redis_round_trips_total", "Pipelines sent to Redis by the batcher.", batcher.roundTrips())
                .counter("stream_entries_written_total", "Entries Redis confirmed.", batcher.written())
                .gauge("batcher_queued", "Jobs waiting for the next round trip.", batcher.queued())
                .gauge("redis_up", "1 while the ingest connection to Redis is up.", batcher.downReason() == null ? 1 : 0)
                .gauge("jvm_heap_used_bytes", "JVM heap in use.",
                        Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                .toString();
    }
}
