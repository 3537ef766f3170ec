package analytics.system2;

import analytics.system2.aggregate.AggregateSnapshot;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's one message on SYSTEM2_BRIDGE_CHANNEL: the aggregates one instance made from
 * the metrics it accepted since its last publish, each exactly the {@code payload} of a
 * {@code metric.update}, and who sent them, so an instance can skip its own.
 *
 * <pre>
 * {"from":"&lt;instance id&gt;","aggregates":[&lt;aggregate&gt;,...]}
 * </pre>
 *
 * Pattern: a codec with no I/O - text to values and back, a bad message refused whole.
 * Lesson:  lessons/22-sharding-system2.md   Spec: the contract's "Sharded (beyond)"
 * Not here: publishing and subscribing (System2Bridge, RedisSubscriber).
 * Threads: stateless.
 */
final class BridgeCodec {

    /** A message from another instance, or one that is not a bridge message at all. */
    sealed interface Decoded permits Batch, Refused {
    }

    record Batch(String from, List<AggregateSnapshot> aggregates) implements Decoded {
    }

    record Refused(String why) implements Decoded {
    }

    private BridgeCodec() {
    }

    static String encode(String from, List<AggregateSnapshot> aggregates) {
        JsonArray items = new JsonArray();
        aggregates.forEach(aggregate -> items.add(aggregate.toJson()));
        return new JsonObject().add("from", from).add("aggregates", items).toString();
    }

    /**
     * Whether {@code text} is what {@link #encode} wrote for {@code from}, read from its first
     * bytes only: every instance receives its own messages back, one in N of all it receives,
     * and need not parse them to skip them.
     */
    static boolean isFrom(String from, String text) {
        return text.startsWith("{\"from\":" + Json.value(from) + ",");
    }

    /**
     * Anyone who can reach the Redis can publish on the channel, so the text is read like any
     * stranger's: a message that is not exactly the shape above is refused whole, never half
     * forwarded to dashboards.
     */
    static Decoded decode(String text) {
        try {
            JsonObject message = Json.parse(text).asObject();
            String from = message.get("from").asString();
            List<AggregateSnapshot> aggregates = new ArrayList<>();
            for (JsonValue item : message.get("aggregates").asArray()) {
                aggregates.add(aggregate(item.asObject()));
            }
            return new Batch(from, aggregates);
        } catch (RuntimeException notABridgeMessage) {
            // ParseException, UnsupportedOperationException (a wrong JSON kind), NullPointerException
            // (a missing member), IllegalArgumentException (a window's samples and averages disagree)
            return new Refused(notABridgeMessage.getClass().getSimpleName() + ": "
                    + notABridgeMessage.getMessage());
        }
    }

    /** The inverse of AggregateSnapshot.toJson; the windows in the order they were written. */
    private static AggregateSnapshot aggregate(JsonObject json) {
        List<AggregateSnapshot.Window> windows = new ArrayList<>();
        for (JsonObject.Member member : json.get("windows").asObject()) {
            JsonObject window = member.getValue().asObject();
            JsonValue averages = window.get("averages");
            windows.add(new AggregateSnapshot.Window(Long.parseLong(member.getName()),
                    window.get("samples").asInt(),
                    averages.isNull() ? null : averages(averages.asObject())));
        }
        return new AggregateSnapshot(json.get("serverId").asString(), json.get("timestamp").asLong(),
                windows);
    }

    private static AggregateSnapshot.Averages averages(JsonObject json) {
        return new AggregateSnapshot.Averages(json.get("cpu").asDouble(), json.get("memory").asDouble(),
                json.get("disk").asDouble(), json.get("networkIn").asDouble(),
                json.get("networkOut").asDouble());
    }
}
