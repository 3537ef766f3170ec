package analytics.system2;

import analytics.stats.RateCounter;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketConnection;
import com.eclipsesource.json.JsonArray;
import java.util.Set;
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
 * Threads: publish from any producer's thread; ticks run on the scheduler.
 */
final class DashboardFanout {

    private final Set<WebSocketConnection> dashboards = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final RateCounter delivered;

    DashboardFanout(ScheduledExecutorService scheduler, RateCounter delivered) {
        this.scheduler = scheduler;
        this.delivered = delivered;
    }

    int dashboardCount() {
        return dashboards.size();
    }

    /** Registers (or re-registers) a dashboard; a tick dashboard gets its own schedule. */
    void addDashboard(WebSocketConnection connection, Peer peer) {
        dashboards.add(connection);
        Peer.Tick tick = peer.tick();
        if (tick != null) {
            tick.schedule = scheduler.scheduleAtFixedRate(() -> flushTick(connection, tick),
                    tick.intervalMs, tick.intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    void remove(WebSocketConnection connection, Peer peer) {
        dashboards.remove(connection);
        if (peer != null && peer.tick() != null) {
            peer.tick().cancel();
        }
    }

    /** One aggregate, to every dashboard whose filter matches. */
    void publish(AggregateSnapshot aggregate) {
        String serverId = aggregate.serverId();
        byte[] frame = null; // serialised on first use: no dashboard, no JSON
        for (WebSocketConnection dashboard : dashboards) {
            if (!(dashboard.attachment() instanceof Peer peer) || !peer.wants(serverId)) {
                continue;
            }
            if (peer.tick() != null) {
                peer.tick().latestByServer.put(serverId, aggregate);
                continue;
            }
            if (frame == null) {
                frame = FrameEncoder.text(System2Messages.update(aggregate.toJson()));
            }
            dashboard.send(frame);
            delivered.increment();
        }
    }

    private void flushTick(WebSocketConnection connection, Peer.Tick tick) {
        if (tick.latestByServer.isEmpty()) {
            return;
        }
        JsonArray payload = new JsonArray();
        for (String serverId : tick.latestByServer.keySet()) {
            // remove() takes the value atomically: one put after it waits for the next tick
            AggregateSnapshot latest = tick.latestByServer.remove(serverId);
            if (latest != null) {
                payload.add(latest.toJson());
            }
        }
        connection.sendText(System2Messages.tick(payload));
        delivered.increment();
    }
}
