package analytics.system1.broadcast;

import analytics.stats.RateCounter;
import analytics.websocket.FrameEncoder;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

/**
 * Pushes one published message to every dashboard whose filter matches. The text is
 * already the wire format (the worker built it), so it is framed once and the same bytes
 * are queued on each recipient: no JSON is rebuilt, per message or per dashboard.
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
        if (server.connectionCount() == 0) {
            return; // no dashboard, no framing
        }
        byte[] frame = FrameEncoder.text(message);
        server.broadcast(frame, dashboard -> {
            boolean wanted = subscriptions.wants(dashboard, serverId);
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
        try {
            JsonValue root = Json.parse(message);
            JsonValue payload = root.isObject() ? root.asObject().get("payload") : null;
            JsonValue serverId = payload != null && payload.isObject()
                    ? payload.asObject().get("serverId") : null;
            return serverId != null && serverId.isString() && !serverId.asString().isEmpty()
                    ? serverId.asString() : null;
        } catch (ParseException notJson) {
            return null;
        }
    }
}
