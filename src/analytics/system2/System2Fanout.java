package analytics.system2;

import analytics.fanout.SubscriberIndex;
import analytics.fanout.Subscription;
import analytics.fanout.TickGroups;
import analytics.stats.RateCounter;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketConnection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Pushes each new aggregate to the dashboards that follow its server: found by the
 * server's id in a SubscriberIndex, then serialised and framed once, the same bytes queued
 * on every recipient, so 200 dashboards cost one encoding and 200 queue insertions - never
 * 200 JSON writes or a wait on a slow reader. Tick dashboards are handed to the shared
 * TickGroups, which conflate once per group.
 *
 * Pattern: fan-out with shared encoded frames; per-connection state in the application's
 *          own typed index (a Subscription per dashboard), never read back from the connection.
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: publish from any producer's thread; ticks run on the scheduler; dashboards
 *          join and leave on their own reader threads. The index and TickGroups are
 *          thread-safe.
 */
final class System2Fanout {

    private final SubscriberIndex<WebSocketConnection> dashboards = new SubscriberIndex<>();
    private final TickGroups<AggregateSnapshot> ticks;
    private final RateCounter delivered;

    System2Fanout(ScheduledExecutorService scheduler, RateCounter delivered) {
        this.ticks = new TickGroups<>(scheduler, AggregateSnapshot::toJson, delivered);
        this.delivered = delivered;
    }

    int dashboardCount() {
        return dashboards.size();
    }

    int tickGroupCount() {
        return ticks.groupCount();
    }

    /** Registers a dashboard, or replaces what the connection registered before. */
    void addDashboard(WebSocketConnection connection, Subscription subscription) {
        dashboards.put(connection, subscription);
        ticks.place(connection, subscription);
    }

    /** The connection is no dashboard (any more): it closed, or registered as a producer. */
    void remove(WebSocketConnection connection) {
        dashboards.remove(connection);
        ticks.leave(connection);
    }

    /** One aggregate, to every dashboard whose filter matches, or held for its next tick. */
    void publish(AggregateSnapshot aggregate) {
        String serverId = aggregate.serverId();
        ticks.hold(serverId, aggregate);
        List<WebSocketConnection> recipients = dashboards.recipients(serverId);
        if (recipients.isEmpty()) {
            return; // no dashboard, no JSON
        }
        byte[] frame = FrameEncoder.text(System2Messages.update(aggregate.toJson()));
        for (WebSocketConnection dashboard : recipients) {
            dashboard.send(frame);
        }
        delivered.add(recipients.size());
    }
}
