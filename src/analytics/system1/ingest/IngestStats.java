package analytics.system1.ingest;

import analytics.http.Protocol;
import analytics.stats.JvmFigures;
import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import analytics.stats.StatsSnapshot;
import com.eclipsesource.json.JsonObject;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest's own figures - metrics accepted, requests refused, requests by protocol
 * (HTTP/1.1, h2, h2c-upgrade), the metrics waiting for Redis and the requests shed at
 * SYSTEM1_MAX_PENDING_WRITES, the batcher's round trips and queue, the stream length
 * and consumer-group lag, the Redis state, the JVM heap - as
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
    private final Map<Protocol, LongAdder> requestsByProtocol = new EnumMap<>(Protocol.class);
    private final ShardedBatcher batcher;
    private final ShardedLag lag;
    private final PendingWrites pending;

    IngestStats(ShardedBatcher batcher, ShardedLag lag, PendingWrites pending) {
        this.batcher = batcher;
        this.lag = lag;
        this.pending = pending;
        for (Protocol protocol : Protocol.values()) {
            requestsByProtocol.put(protocol, new LongAdder()); // filled once; read-only after
        }
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

    /** Counts one request by the protocol that carried it, whatever its answer. */
    void countRequest(Protocol protocol) {
        requestsByProtocol.get(protocol).increment();
    }

    void sample() {
        accepted.sample();
        rejected.sample();
        unavailable.sample();
    }

    /** The figures now, read once; /stats and /metrics/prometheus both render this. */
    Snapshot snapshot() {
        Map<String, Long> byProtocol = new LinkedHashMap<>();
        requestsByProtocol.forEach((protocol, count) -> byProtocol.put(protocol.label(), count.sum()));
        return new Snapshot((System.currentTimeMillis() - startedAt) / 1000,
                accepted.perSecond(), accepted.total(), rejected.perSecond(), rejected.total(),
                unavailable.perSecond(), unavailable.total(), byProtocol,
                new Admission(pending.waiting(), pending.limit(), pending.shed()),
                batcher.roundTrips(), batcher.written(), batcher.queued(),
                lag.latest(), lag.maxLag(), batcher.downReason(), JvmFigures.now());
    }

    /**
     * Admission control at one instant.
     *
     * @param waiting metrics admitted and not yet answered
     * @param limit   SYSTEM1_MAX_PENDING_WRITES
     * @param shed    requests answered 503 because {@code limit} metrics were waiting
     */
    record Admission(long waiting, long limit, long shed) {
    }

    /**
     * The ingest's figures at one instant.
     *
     * @param reading   the latest GroupLag reading; null (shown as -1) while there is none
     * @param redisDown null while the ingest's Redis connection is up
     */
    record Snapshot(long uptimeSeconds, long acceptedPerSecond, long acceptedTotal,
                    long rejectedPerSecond, long rejectedTotal, long unavailablePerSecond,
                    long unavailableTotal, Map<String, Long> requestsByProtocol,
                    Admission admission, long roundTrips,
                    long written, long queued, GroupLag.Reading reading, long maxLag,
                    String redisDown, JvmFigures jvm) implements StatsSnapshot {

        @Override
        public JsonObject toJson() {
            JsonObject byProtocol = new JsonObject();
            requestsByProtocol.forEach(byProtocol::add);
            return new JsonObject()
                    .add("system", "system1")
                    .add("uptimeSeconds", uptimeSeconds)
                    .add("metrics", new JsonObject()
                            .add("acceptedPerSecond", acceptedPerSecond)
                            .add("acceptedTotal", acceptedTotal)
                            .add("rejectedPerSecond", rejectedPerSecond)
                            .add("rejectedTotal", rejectedTotal)
                            .add("unavailablePerSecond", unavailablePerSecond)
                            .add("unavailableTotal", unavailableTotal))
                    .add("requestsByProtocol", byProtocol)
                    .add("admission", new JsonObject()
                            .add("pendingWrites", admission.waiting())
                            .add("maxPendingWrites", admission.limit())
                            .add("shedTotal", admission.shed()))
                    .add("batcher", new JsonObject()
                            .add("roundTrips", roundTrips)
                            .add("written", written)
                            .add("writtenPerRoundTrip", roundTrips == 0 ? 0 : (double) written / roundTrips)
                            .add("queued", queued))
                    .add("stream", new JsonObject()
                            .add("streamLength", streamLength())
                            .add("groupLag", groupLag())
                            .add("pending", pending())
                            .add("groupExists", reading != null && reading.groupExists())
                            .add("maxLag", maxLag))
                    .add("redis", redisDown == null ? "ready" : redisDown)
                    .add("jvm", jvm.toJson());
        }

        @Override
        public String toPrometheus() {
            return jvm.addTo(new PrometheusText("system1")
                    .counter("metrics_accepted_total", "Metrics written to the stream (answered 202).",
                            acceptedTotal)
                    .counter("requests_rejected_total", "Requests answered 4xx.", rejectedTotal)
                    .counter("requests_unavailable_total", "Requests answered 503.", unavailableTotal)
                    .counter("requests_shed_total",
                            "Requests answered 503: SYSTEM1_MAX_PENDING_WRITES metrics waited.",
                            admission.shed())
                    .gauge("pending_writes", "Metrics admitted and waiting for Redis.",
                            admission.waiting())
                    .gauge("max_pending_writes", "SYSTEM1_MAX_PENDING_WRITES: from here on, 503.",
                            admission.limit())
                    .counter("requests_total", "Requests by the protocol that carried them.", "protocol",
                            requestsByProtocol)
                    .counter("redis_round_trips_total", "Pipelines sent to Redis by the batcher.", roundTrips)
                    .counter("stream_entries_written_total", "Entries Redis confirmed.", written)
                    .gauge("batcher_queued", "Jobs waiting for the next round trip.", queued)
                    .gauge("stream_length", "Entries in the ingest stream (-1: unknown).", streamLength())
                    .gauge("group_lag", "Entries no worker has read yet (-1: unknown).", groupLag())
                    .gauge("group_pending", "Entries read but not yet acknowledged (-1: unknown).",
                            pending())
                    .gauge("group_max_lag", "SYSTEM1_MAX_LAG: from this lag on, ingest answers 503.",
                            maxLag)
                    .gauge("redis_up", "1 while the ingest connection to Redis is up.",
                            redisDown == null ? 1 : 0))
                    .toString();
        }

        private long streamLength() {
            return reading == null ? -1 : reading.streamLength();
        }

        private long groupLag() {
            return reading == null ? -1 : reading.lag();
        }

        private long pending() {
            return reading == null ? -1 : reading.pending();
        }
    }
}
