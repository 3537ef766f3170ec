package analytics.system2;

import analytics.stats.DeliveryFigures;
import analytics.stats.JvmFigures;
import analytics.stats.PrometheusText;
import analytics.stats.RateCounter;
import analytics.stats.StatsSnapshot;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.JsonObject;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

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
    private IntSupplier tickGroups = () -> 0;
    private IntSupplier servers = () -> 0;
    /** Sharded only: the bridge's figures; null for an instance alone, whose /stats is as before. */
    private Supplier<JsonObject> bridge;

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
    void observe(WebSocketServer webSocketServer, IntSupplier dashboardCount, IntSupplier tickGroupCount,
                 IntSupplier serverCount) {
        this.server = webSocketServer;
        this.dashboards = dashboardCount;
        this.tickGroups = tickGroupCount;
        this.servers = serverCount;
    }

    /** Sharded: GET /stats gains a "bridge" member. */
    void observeBridge(Supplier<JsonObject> bridgeFigures) {
        this.bridge = bridgeFigures;
    }

    void sample() {
        accepted.sample();
        rejected.sample();
        delivered.sample();
    }

    /** The figures now, read once; /stats and /metrics/prometheus both render this. */
    Snapshot snapshot() {
        int connections = server == null ? 0 : server.connectionCount();
        int dashboardCount = dashboards.getAsInt();
        return new Snapshot((System.currentTimeMillis() - startedAt) / 1000,
                accepted.perSecond(), accepted.total(), rejected.perSecond(), rejected.total(),
                Math.max(0, connections - dashboardCount), dashboardCount, tickGroups.getAsInt(),
                servers.getAsInt(),
                DeliveryFigures.of(delivered, server), JvmFigures.now(),
                bridge == null ? null : bridge.get());
    }

    /** System 2's figures at one instant. */
    record Snapshot(long uptimeSeconds, long acceptedPerSecond, long acceptedTotal,
                    long rejectedPerSecond, long rejectedTotal, int producers, int dashboards,
                    int tickGroups, int servers, DeliveryFigures updates,
                    JvmFigures jvm, JsonObject bridge) implements StatsSnapshot {

        @Override
        public JsonObject toJson() {
            JsonObject json = new JsonObject()
                    .add("system", "system2")
                    .add("uptimeSeconds", uptimeSeconds)
                    .add("metrics", new JsonObject()
                            .add("acceptedPerSecond", acceptedPerSecond)
                            .add("acceptedTotal", acceptedTotal)
                            .add("rejectedPerSecond", rejectedPerSecond)
                            .add("rejectedTotal", rejectedTotal))
                    .add("connections", new JsonObject()
                            .add("producers", producers)
                            .add("dashboards", dashboards)
                            .add("tickGroups", tickGroups))
                    .add("servers", servers)
                    .add("updates", updates.toJson())
                    .add("jvm", jvm.toJson());
            return bridge == null ? json : json.add("bridge", bridge);
        }

        @Override
        public String toPrometheus() {
            PrometheusText text = new PrometheusText("system2")
                    .counter("metrics_accepted_total", "Metrics aggregated.", acceptedTotal)
                    .counter("messages_rejected_total", "Messages answered with an error.", rejectedTotal)
                    .gauge("producers", "Connected producer connections.", producers)
                    .gauge("dashboards", "Connected dashboards.", dashboards)
                    .gauge("tick_groups", "Tick dashboards grouped by interval and filter.", tickGroups)
                    .gauge("servers", "Servers with aggregates in memory.", servers);
            return jvm.addTo(updates.addTo(text, "Updates queued to dashboards.")).toString();
        }
    }
}
