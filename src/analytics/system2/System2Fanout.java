package analytics.system2;

import analytics.stats.RateCounter;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketConnection;
import com.eclipsesource.json.JsonArray;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes each new aggregate to the dashboards that follow its server: serialised and
 * framed once, the same bytes queued on every recipient, so 200 dashboards cost one
 * encoding and 200 queue insertions - never 200 JSON writes or a wait on a slow reader.
 *
 * Pattern: fan-out with shared encoded frames; tick mode conflates (latest per server).
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: publish from any producer's thread; ticks run on the scheduler; dashboards
 *          join and leave on their own reader threads. The map is concurrent.
 */
final class System2Fanout {

    private final Map<WebSocketConnection, System2Dashboard> dashboards = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final RateCounter delivered;

    System2Fanout(ScheduledExecutorService scheduler, RateCounter delivered) {
        this.scheduler = scheduler;
        this.delivered = delivered;
    }

    int dashboardCount() {
        return dashboards.size();
    }

    /**
     * Registers a dashboard, or replaces what the connection registered before; a tick
     * dashboard gets its own schedule, started before it can receive anything.
     */
    void addDashboard(WebSocketConnection connection, System2Dashboard dashboard) {
        if (dashboard.ticks()) {
            long interval = dashboard.tickIntervalMs();
            dashboard.startTicks(scheduler.scheduleAtFixedRate(() -> flushTick(connection, dashboard),
                    interval, interval, TimeUnit.MILLISECONDS));
        }
        System2Dashboard previous = dashboards.put(connection, dashboard);
        if (previous != null) {
            previous.stopTicks();
        }
    }

    /** The connection is no dashboard (any more): it closed, or registered as a producer. */
    void remove(WebSocketConnection connection) {
        System2Dashboard previous = dashboards.remove(connection);
        if (previous != null) {
            previous.stopTicks();
        }
    }

    /** One aggregate, to every dashboard whose filter matches. */
    void publish(AggregateSnapshot aggregate) {
        String serverId = aggregate.serverId();
        byte[] frame = null; // serialised on first use: no dashboard, no JSON
        for (Map.Entry<WebSocketConnection, System2Dashboard> entry : dashboards.entrySet()) {
            System2Dashboard dashboard = entry.getValue();
            if (!dashboard.wants(serverId)) {
                continue;
            }
            if (dashboard.ticks()) {
                dashboard.hold(aggregate);
                continue;
            }
            if (frame == null) {
                frame = FrameEncoder.text(System2Messages.update(aggregate.toJson()));
            }
            entry.getKey().send(frame);
            delivered.increment();
        }
    }

    private void flushTick(WebSocketConnection connection, System2Dashboard dashboard) {
        List<AggregateSnapshot> held = dashboard.takeHeld();
        if (held.isEmpty()) {
            return;
        }
        JsonArray payload = new JsonArray();
        held.forEach(aggregate -> payload.add(aggregate.toJson()));
        connection.sendText(System2Messages.tick(payload));
        delivered.increment();
    }
}
