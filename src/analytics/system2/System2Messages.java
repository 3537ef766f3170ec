package analytics.system2;

import analytics.model.FieldError;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.List;
import java.util.Set;

/**
 * Every message System 2 sends, spelled exactly as the wire contract spells it (and so
 * as the original Node server did, whose clients must keep working), and the envelope
 * fields of the metric messages it receives.
 *
 * Pattern: one place for the wire vocabulary; handlers never build JSON by hand.
 * Lesson:  lessons/09-system2-fan-out.md   Spec: the contract's "System 2" table
 * Threads: stateless.
 */
final class System2Messages {

    static final String INVALID_JSON = "Invalid JSON payload";
    static final String BINARY_NOT_SUPPORTED = "Binary messages are not supported";
    static final String INVALID_METRIC = "Invalid metric payload";
    static final String INVALID_REGISTER = "Invalid register payload";
    static final String UNKNOWN_TYPE = "Unknown message type";

    /**
     * A metric message is the metric's fields plus System 2's {@code type} and an
     * optional {@code id}: the validator accepts these two beside the metric's own.
     */
    static final Set<String> METRIC_ENVELOPE_FIELDS = Set.of("type", "id");

    /** The first message of every connection: the same for all, so written once. */
    static final String CONNECTION_ACK = new JsonObject()
            .add("type", "connection.ack")
            .add("message", "Connected to System 2 WebSocket server")
            .toString();

    private System2Messages() {
    }

    /** A connection's role, as register names it; anything but "dashboard" is a producer. */
    enum Role {
        PRODUCER, DASHBOARD;

        String wireName() {
            return this == DASHBOARD ? "dashboard" : "producer";
        }

        static Role fromWire(String role) {
            return "dashboard".equals(role) ? DASHBOARD : PRODUCER;
        }
    }

    /** @param serverFilter the serverId the peer registered with; null for all */
    static String registerAck(Role role, String serverFilter) {
        return new JsonObject()
                .add("type", "register.ack")
                .add("role", role.wireName())
                .add("serverFilter", nullable(serverFilter))
                .toString();
    }

    /** @param id the client's own {@code id}, echoed when it sent one (beyond the original) */
    static String metricAck(String serverId, JsonValue id) {
        JsonObject ack = new JsonObject().add("type", "metric.ack").add("serverId", serverId);
        if (id != null) {
            ack.add("id", id);
        }
        return ack.toString();
    }

    /** @param id the client's own {@code id}, echoed when it sent one (beyond the original) */
    static String batchAck(int count, JsonValue id) {
        JsonObject ack = new JsonObject().add("type", "metrics.ack").add("count", count);
        if (id != null) {
            ack.add("id", id);
        }
        return ack.toString();
    }

    static String update(JsonObject aggregate) {
        return new JsonObject().add("type", "metric.update").add("payload", aggregate).toString();
    }

    static String snapshot(JsonValue payload) {
        return new JsonObject().add("type", "snapshot").add("payload", payload).toString();
    }

    static String error(String message) {
        return new JsonObject().add("type", "error").add("message", message).toString();
    }

    static String error(String message, List<FieldError> details) {
        return new JsonObject()
                .add("type", "error")
                .add("message", message)
                .add("details", FieldError.toJson(details))
                .toString();
    }

    private static JsonValue nullable(String text) {
        return text == null ? Json.NULL : Json.value(text);
    }
}
