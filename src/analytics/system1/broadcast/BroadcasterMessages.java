package analytics.system1.broadcast;

import analytics.fanout.Subscription;
import analytics.model.FieldError;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.List;
import java.util.StringJoiner;

/**
 * Every message the broadcaster itself writes, spelled as the contract's "WebSocket
 * broadcaster" table spells it. The pushes ({@code metric.processed}) are not built here:
 * the workers publish them already in wire form, and the broadcaster forwards them as-is.
 *
 * Pattern: one place for the wire vocabulary; handlers never build JSON by hand.
 * Lesson:  lessons/13-pub-sub-fan-out.md   Spec: the contract's "System 1" section
 * Threads: stateless.
 */
final class BroadcasterMessages {

    static final String MALFORMED = "Malformed client message";
    static final String UNKNOWN_TYPE = "Unknown message type";
    /** Beyond the contract: a subscribe with a bad serverId, mode or intervalMs. */
    static final String INVALID_SUBSCRIBE = "Invalid subscribe payload";
    /** Beyond the contract: snapshot.request while Redis cannot be read. */
    static final String SNAPSHOT_UNAVAILABLE = "Snapshot unavailable";

    private BroadcasterMessages() {
    }

    /** The subscription now in effect, tick mode named only when asked for (beyond). */
    static String subscriptionAck(Subscription subscription) {
        String serverId = subscription.serverFilter();
        JsonObject ack = new JsonObject()
                .add("type", "subscription.ack")
                .add("serverId", serverId == null ? Json.NULL : Json.value(serverId));
        if (subscription.ticks()) {
            ack.add("mode", Subscription.TICK_MODE).add("intervalMs", subscription.tickIntervalMs());
        }
        return ack.toString();
    }

    static String snapshot(JsonValue payload) {
        return new JsonObject().add("type", "snapshot").add("payload", payload).toString();
    }

    static String error(String message) {
        return new JsonObject().add("type", "error").add("message", message).toString();
    }

    /** System 2 lists these as details; here they are the one reason, as the contract has it. */
    static String error(String message, List<FieldError> errors) {
        StringJoiner reason = new StringJoiner("; ");
        errors.forEach(error -> reason.add(error.field() + " " + error.message()));
        return error(message, reason.toString());
    }

    static String error(String message, String reason) {
        return new JsonObject().add("type", "error").add("message", message).add("reason", reason).toString();
    }
}
