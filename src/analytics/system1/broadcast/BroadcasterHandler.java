package analytics.system1.broadcast;

import analytics.fanout.Subscription;
import analytics.model.FieldError;
import analytics.model.JsonMessage;
import analytics.redis.RedisUnavailableException;
import analytics.websocket.WebSocketConnection;
import analytics.websocket.WebSocketHandler;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dashboard may say to the broadcaster, row by row of the contract's "WebSocket
 * broadcaster" table: subscribe (with a server filter, or null for all; per metric or in
 * tick mode), snapshot.request, and the errors. Every connection is a dashboard; nothing is sent on connect.
 *
 * Pattern: message dispatch on a type field (an arrow switch); the filters live in
 *          BroadcasterSubscriptions, read by the fan-out on another thread.
 * Lesson:  lessons/13-pub-sub-fan-out.md   Spec: the contract's "System 1" section
 * Not here: the pushes (BroadcasterFanout), reading Redis (BroadcasterSnapshot).
 * Threads: called on each connection's reader thread; the snapshot reader is thread-safe.
 */
final class BroadcasterHandler implements WebSocketHandler {

    /** Pushes to a busy dashboard leave in one write per 20 ms, as System 2's do. */
    static final Duration DASHBOARD_WRITE_COALESCING = Duration.ofMillis(20);

    private final BroadcasterSubscriptions subscriptions;
    private final BroadcasterSnapshot snapshots;
    private final BroadcasterStats stats;
    private final int maxMessageChars;

    BroadcasterHandler(BroadcasterSubscriptions subscriptions, BroadcasterSnapshot snapshots,
                       BroadcasterStats stats, int maxMessageChars) {
        this.subscriptions = subscriptions;
        this.snapshots = snapshots;
        this.stats = stats;
        this.maxMessageChars = maxMessageChars;
    }

    @Override
    public void onOpen(WebSocketConnection connection) {
        // No subscription yet: a dashboard that never subscribes receives everything.
        connection.coalesceWrites(DASHBOARD_WRITE_COALESCING);
    }

    @Override
    public void onText(WebSocketConnection connection, String text) {
        switch (JsonMessage.parse(text, maxMessageChars)) {
            case JsonMessage.Malformed malformed ->
                    reject(connection, BroadcasterMessages.error(BroadcasterMessages.MALFORMED));
            case JsonMessage.Typed(String type, JsonObject message) -> {
                switch (type) {
                    case "subscribe" -> subscribe(connection, message);
                    case "snapshot.request" -> snapshot(connection);
                    default -> reject(connection, BroadcasterMessages.error(BroadcasterMessages.UNKNOWN_TYPE));
                }
            }
        }
    }

    @Override
    public void onClose(WebSocketConnection connection, int code, String reason) {
        subscriptions.forget(connection);
    }

    /** Binary is not JSON text: the same answer as anything else we cannot parse. */
    @Override
    public void onBinary(WebSocketConnection connection, byte[] data) {
        reject(connection, BroadcasterMessages.error(BroadcasterMessages.MALFORMED));
    }

    /**
     * Replaces the subscription; an absent, null or empty serverId follows every server,
     * and without a mode every metric is one message again. Read with System 2's rules.
     */
    private void subscribe(WebSocketConnection connection, JsonObject message) {
        List<FieldError> errors = new ArrayList<>();
        Subscription subscription = Subscription.read(message, errors);
        if (subscription == null) {
            reject(connection, BroadcasterMessages.error(BroadcasterMessages.INVALID_SUBSCRIBE, errors));
            return;
        }
        subscriptions.subscribe(connection, subscription);
        connection.sendText(BroadcasterMessages.subscriptionAck(subscription));
    }

    private void snapshot(WebSocketConnection connection) {
        JsonArray payload;
        try {
            payload = snapshots.latestPerServer();
        } catch (RedisUnavailableException e) {
            reject(connection,
                    BroadcasterMessages.error(BroadcasterMessages.SNAPSHOT_UNAVAILABLE, e.getMessage()));
            return;
        }
        connection.sendText(BroadcasterMessages.snapshot(payload));
    }

    private void reject(WebSocketConnection connection, String error) {
        stats.rejected().increment();
        connection.sendText(error);
    }
}
