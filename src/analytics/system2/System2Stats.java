package analytics.system2;

import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * System 2's own figures - what it accepted, rejected and delivered, who is connected,
 * what the JVM holds - as JSON for GET /stats and as Prometheus text for
 * GET /metrics/prometheus.
 *
 * Pattern: a system that reports its own health (the original listed this as a TODO).
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: counters from any thread; sample() once a second from the scheduler.
 */
final class System2Stats {

    private final long startedAt = System.currentTimeMillis();
    private final RateCounter accepted = new RateCounter();
    private final RateCounter rejected = new RateCounter();
    private final RateCounter delivered = new RateCounter();
    private WebSocketServer server;
    private IntSupplier dashboards = () -> 0;
    private IntSupplier servers = () -> 0;

    RateCounter accepted() {
        return accepted;
    }

    RateCounter rejected() {
        return rejected;
    }

    RateCounter delivered() {
        return delivered;
    }

    /** Wired once at start, when the parts these figures come from exist. */
    void observe(WebSocketServer webSocketServer, IntSupplier dashboardCount, IntSupplier serverCount) {
        this.server = webSocketServer;
        this.dashboards = dashboardCount;
        this.servers = serverCount;
    }

    void sample() {
        accepted.sample();
        rejected.sample();
        delivered.sample();
    }

    JsonObject toJson() {
        int connections = server == null ? 0 : server.connectionCount();
        int dashboardCount = dashboards.getAsInt();
        Runtime runtime = Runtime.getRuntime();
        return new JsonObject()
                .add("system", "system2")
                .add("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000)
                .add("metrics", new JsonObject()
                        .add("acceptedPerSecond", accepted.perSecond())
                        .add("acceptedTotal", accepted.total())
                        .add("rejectedPerSecond", rejected.perSecond())
                        .add("rejectedTotal", rejected.total()))
                .add("connections", new JsonObject()
                        .add("producers", Math.max(0, connections - dashboardCount))
                        .add("dashboards", dashboardCount))
                .add("servers", servers.getAsInt())
                .add("updates", new JsonObject()
                        .add("deliveredPerSecond", delivered.perSecond())
                        .add("deliveredTotal", delivered.total())
                        .add("dropped", server == null ? 0 : server.droppedMessages())
                        .add("slowConsumersClosed", server == null ? 0 : server.slowConsumersClosed()))
                .add("jvm", new JsonObject()
                        .add("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory())
                        .add("heapMaxBytes", runtime.maxMemory())
                        .add("threads", ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    String toPrometheus() {
        JsonObject json = toJson();
        JsonObject metrics = json.get("metrics").asObject();
        JsonObject connections = json.get("connections").asObject();
        JsonObject updates = json.get("updates").asObject();
        JsonObject jvm = json.get("jvm").asObject();
        return new PrometheusText("system2")
                .counter("metrics_accepted_total", "Metrics aggregated.", metrics.get("acceptedTotal").asLong())
                .counter("messages_rejected_total", "Messages answered with an error.",
                        metrics.get("rejectedTotal").asLong())
                .gauge("producers", "Connected producer connections.", connections.get("producers").asInt())
                .gauge("dashboards", "Connected dashboards.", connections.get("dashboards").asInt())
                .gauge("servers", "Servers with aggregates in memory.", json.get("servers").asInt())
                .counter("updates_delivered_total", "Updates queued to dashboards.",
                        updates.get("deliveredTotal").asLong())
                .counter("updates_dropped_total", "Messages dropped by the slow-consumer policy.",
                        updates.get("dropped").asLong())
                .counter("slow_consumers_closed_total", "Connections closed with 1008 as slow consumers.",
                        updates.get("slowConsumersClosed").asLong())
                .gauge("jvm_heap_used_bytes", "JVM heap in use.", jvm.get("heapUsedBytes").asLong())
                .gauge("jvm_threads", "Live platform threads.", jvm.get("threads").asInt())
                .toString();
    }
}
