package analytics.stats;

import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.JsonObject;

/**
 * What a WebSocket fan-out did for its dashboards: updates queued to them, and what the
 * slow-consumer policy dropped or cut - the "updates" block System 2 and System 1's
 * broadcaster both report, read once and rendered twice.
 *
 * Pattern: a value read once, rendered twice (see StatsSnapshot).
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: immutable.
 */
public record DeliveryFigures(long deliveredPerSecond, long deliveredTotal, long dropped,
                              long slowConsumersClosed) {

    /** @param server null before the server exists: nothing dropped yet */
    public static DeliveryFigures of(RateCounter delivered, WebSocketServer server) {
        return new DeliveryFigures(delivered.perSecond(), delivered.total(),
                server == null ? 0 : server.droppedMessages(),
                server == null ? 0 : server.slowConsumersClosed());
    }

    public JsonObject toJson() {
        return new JsonObject()
                .add("deliveredPerSecond", deliveredPerSecond)
                .add("deliveredTotal", deliveredTotal)
                .add("dropped", dropped)
                .add("slowConsumersClosed", slowConsumersClosed);
    }

    /** @param deliveredHelp what one delivered update is, in this system's words */
    public PrometheusText addTo(PrometheusText text, String deliveredHelp) {
        return text
                .counter("updates_delivered_total", deliveredHelp, deliveredTotal)
                .counter("updates_dropped_total", "Messages dropped by the slow-consumer policy.", dropped)
                .counter("slow_consumers_closed_total", "Connections closed with 1008 as slow consumers.",
                        slowConsumersClosed);
    }
}
