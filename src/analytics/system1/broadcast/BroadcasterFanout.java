package analytics.system1.broadcast;

import analytics.fanout.TickGroups;
import analytics.stats.RateCounter;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

/**
 * Pushes one published message to every dashboard whose filter matches. The text is
 * already the wire format (the worker built it), so it is framed once and the same bytes
 * are queued on each recipient: no JSON is rebuilt, per message or per dashboard. For tick
 * dashboards the text is held by their shared TickGroups, and parsed only if a tick sends it.
 *
 * Pattern: fan-out with shared encoded frames; route on a field found by a cheap scan,
 *          with a full parse only as the fallback.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Not here: the queues and the slow-consumer policy (OutboundQueue, one per connection).
 * Threads: publish from the subscriber thread; the server's connection set is concurrent.
 */
final class BroadcasterFanout {

    /** The payload's first field, as the workers write it: {"type":...,"payload":{"serverId":"...". */
    private static final String SERVER_ID_KEY = "\"serverId\":\"";

    private final WebSocketServer server;
    private final BroadcasterSubscriptions subscriptions;
    private final RateCounter received;
    private final RateCounter delivered;
    private final RateCounter unroutable;

    BroadcasterFanout(WebSocketServer server, BroadcasterSubscriptions subscriptions,
                      RateCounter received, RateCounter delivered, RateCounter unroutable) {
        this.server = server;
        this.subscriptions = subscriptions;
        this.received = received;
        this.delivered = delivered;
        this.unroutable = unroutable;
    }

    /** One message from the channel, forwarded unchanged to the dashboards that want it. */
    void publish(String message) {
        received.increment();
        String serverId = serverIdOf(message);
        if (serverId == null) {
            unroutable.increment(); // not a message of the contract: nobody could use it
            return;
        }
        TickGroups<String> ticks = subscriptions.ticks();
        ticks.hold(serverId, message);
        if (server.connectionCount() <= ticks.memberCount()) {
            return; // no dashboard, or every one is in tick mode: no framing
        }
        byte[] frame = FrameEncoder.text(message);
        server.broadcast(frame, dashboard -> {
            boolean wanted = subscriptions.wantsEach(dashboard, serverId);
            if (wanted) {
                delivered.increment();
            }
            return wanted;
        });
    }

    /**
     * {@code payload.serverId} of a published message, or null when it has none. The fast
     * path finds the first {@code "serverId":"} - the workers write type, entryId, then the
     * payload with serverId first, so nothing before it can hold that text - and reads to the
     * closing quote. An id with an escape in it, or a message written some other way
     * (spaces after the colon), takes the slow path: a full parse.
     */
    static String serverIdOf(String message) {
        int start = message.indexOf(SERVER_ID_KEY);
        if (start >= 0) {
            start += SERVER_ID_KEY.length();
            int end = message.indexOf('"', start);
            if (end > start && message.lastIndexOf('\\', end) < start) {
                return message.substring(start, end);
            }
        }
        return parsedServerId(message);
    }

    private static String parsedServerId(String message) {
        JsonObject payload = payloadOf(message);
        JsonValue serverId = payload == null ? null : payload.get("serverId");
        return serverId != null && serverId.isString() && !serverId.asString().isEmpty()
                ? serverId.asString() : null;
    }

    /**
     * The metric inside a published message - {"serverId","timestamp","metrics"}, as a
     * snapshot's elements are - or null when the text has no payload object. A tick is
     * built from these: one parse per server that changed, per tick group, not per metric.
     */
    static JsonObject payloadOf(String message) {
        try {
            JsonValue root = Json.parse(message);
            JsonValue payload = root.isObject() ? root.asObject().get("payload") : null;
            return payload != null && payload.isObject() ? payload.asObject() : null;
        } catch (ParseException notJson) {
            return null;
        }
    }
}
