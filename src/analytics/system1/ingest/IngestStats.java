package analytics.system1.ingest;

import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;

/**
 * The ingest's own figures - metrics accepted, requests refused, the batcher's round trips
 * and queue, the stream length and consumer-group lag, the Redis state, the JVM heap - as
 * JSON for GET /stats and Prometheus text for GET /metrics/prometheus.
 *
 * Pattern: a system that reports its own health; metrics per round trip make group commit visible.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Not here: measuring the stream and the group (GroupLag: /stats shows its latest reading,
 *           -1 while there is none).
 * Threads: counters from any thread; sample() once a second from the timer thread.
 */
final class IngestStats {

    private final long startedAt = System.currentTimeMillis();
    private final RateCounter accepted = new RateCounter();
    private final RateCounter rejected = new RateCounter();
    private final RateCounter unavailable = new RateCounter();
    private final StreamBatcher batcher;
    private final GroupLag lag;

    IngestStats(StreamBatcher batcher, GroupLag lag) {
        this.batcher = batcher;
        this.lag = lag;
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
                .add("stream", streamJson())
                .add("redis", down == null ? "ready" : down)
                .add("jvm", new JsonObject()
                        .add("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory())
                        .add("heapMaxBytes", runtime.maxMemory())
                        .add("threads", ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    /** The latest GroupLag reading; -1 for "unknown" (Redis down, or no reading yet). */
    private JsonObject streamJson() {
        GroupLag.Reading reading = lag.latest();
        return new JsonObject()
                .add("streamLength", reading == null ? -1 : reading.streamLength())
                .add("groupLag", reading == null ? -1 : reading.lag())
                .add("pending", reading == null ? -1 : reading.pending())
                .add("groupExists", reading != null && reading.groupExists())
                .add("maxLag", lag.maxLag());
    }

    String toPrometheus() {
        GroupLag.Reading reading = lag.latest();
        return new PrometheusText("system1")
                .counter("metrics_accepted_total", "Metrics written to the stream (answered 202).", accepted.total())
                .counter("requests_rejected_total", "Requests answered 4xx.", rejected.total())
                .counter("requests_unavailable_total", "Requests answered 503.", unavailable.total())
                .counter("redis_round_trips_total", "Pipelines sent to Redis by the batcher.", batcher.roundTrips())
                .counter("stream_entries_written_total", "Entries Redis confirmed.", batcher.written())
                .gauge("batcher_queued", "Jobs waiting for the next round trip.", batcher.queued())
                .gauge("stream_length", "Entries in the ingest stream (-1: unknown).",
                        reading == null ? -1 : reading.streamLength())
                .gauge("group_lag", "Entries no worker has read yet (-1: unknown).",
                        reading == null ? -1 : reading.lag())
                .gauge("group_pending", "Entries read but not yet acknowledged (-1: unknown).",
                        reading == null ? -1 : reading.pending())
                .gauge("group_max_lag", "SYSTEM1_MAX_LAG: from this lag on, ingest answers 503.",
                        lag.maxLag())
                .gauge("redis_up", "1 while the ingest connection to Redis is up.", batcher.downReason() == null ? 1 : 0)
                .gauge("jvm_heap_used_bytes", "JVM heap in use.",
                        Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                .toString();
    }
}
