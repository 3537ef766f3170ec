package analytics.system2;

import analytics.fanout.Subscription;
import analytics.model.FieldError;
import analytics.model.JsonMessage;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.model.UntrustedJson;
import analytics.system2.System2Messages.Role;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.system2.aggregate.Aggregator;
import analytics.websocket.WebSocketConnection;
import analytics.websocket.WebSocketHandler;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * System 2's message router: reads each text message's {@code type} and answers as the
 * contract's System 2 table says. Bad input gets an error message and the connection
 * stays open; nothing is aggregated from a message that had any error.
 *
 * Pattern: message dispatch on a type field (an arrow switch), validation before any effect.
 * Lesson:  lessons/09-system2-fan-out.md   Spec: the contract's "System 2" table
 * Threads: called on each connection's reader thread; the aggregator and fan-out are
 *          thread-safe, so producers on different connections run in parallel.
 */
final class System2Handler implements WebSocketHandler {

    /** Updates to a busy dashboard leave in one write per 20 ms instead of one each. */
    static final Duration DASHBOARD_WRITE_COALESCING = Duration.ofMillis(20);

    private final Aggregator aggregator;
    private final System2Fanout fanout;
    private final System2Stats stats;
    private final MetricValidator validator = new MetricValidator(System2Messages.METRIC_ENVELOPE_FIELDS);
    private final int maxMessageChars;

    System2Handler(Aggregator aggregator, System2Fanout fanout, System2Stats stats, int maxMessageChars) {
        this.aggregator = aggregator;
        this.fanout = fanout;
        this.stats = stats;
        this.maxMessageChars = maxMessageChars;
    }

    /** Every connection starts as a producer: it is no dashboard until it registers as one. */
    @Override
    public void onOpen(WebSocketConnection connection) {
        connection.sendText(System2Messages.connectionAck());
    }

    @Override
    public void onText(WebSocketConnection connection, String text) {
        switch (JsonMessage.parse(text, maxMessageChars)) {
            case JsonMessage.Malformed malformed ->
                    reject(connection, System2Messages.error(System2Messages.INVALID_JSON));
            case JsonMessage.Typed(String type, JsonObject message) -> {
                switch (type) {
                    case "metric" -> metric(connection, message);
                    case "metrics" -> batch(connection, message);
                    case "register" -> register(connection, message);
                    case "snapshot.request" -> snapshot(connection, message);
                    default -> reject(connection, System2Messages.error(System2Messages.UNKNOWN_TYPE));
                }
            }
        }
    }

    @Override
    public void onBinary(WebSocketConnection connection, byte[] data) {
        reject(connection, System2Messages.error(System2Messages.BINARY_NOT_SUPPORTED));
    }

    @Override
    public void onClose(WebSocketConnection connection, int code, String reason) {
        fanout.remove(connection);
    }

    private void metric(WebSocketConnection connection, JsonObject message) {
        switch (validator.validate(message)) {
            case MetricValidator.Invalid invalid ->
                    reject(connection, System2Messages.error(System2Messages.INVALID_METRIC, invalid.errors()));
            case MetricValidator.Valid valid -> {
                Metric metric = valid.metric();
                AggregateSnapshot aggregate = aggregator.add(metric);
                stats.accepted().increment();
                connection.sendText(System2Messages.metricAck(metric.serverId(), message.get("id")));
                fanout.publish(aggregate);
            }
        }
    }

    /** Beyond the original: {"type":"metrics","items":[...]}, all or nothing. */
    private void batch(WebSocketConnection connection, JsonObject message) {
        JsonValue items = message.get("items");
        if (items == null || !items.isArray()) {
            reject(connection, System2Messages.error(System2Messages.INVALID_METRIC,
                    List.of(new FieldError("items", "must be an array of metrics"))));
            return;
        }
        List<Metric> metrics;
        switch (validator.validateBatch(items.asArray())) {
            case MetricValidator.Invalid invalid -> {
                reject(connection, System2Messages.error(System2Messages.INVALID_METRIC, invalid.errors()));
                return;
            }
            case MetricValidator.ValidBatch valid -> metrics = valid.metrics();
        }
        for (Metric metric : metrics) {
            fanout.publish(aggregator.add(metric));
        }
        stats.accepted().add(metrics.size());
        connection.sendText(System2Messages.batchAck(metrics.size()));
    }

    private void register(WebSocketConnection connection, JsonObject message) {
        List<FieldError> errors = new ArrayList<>();
        Role role = Role.fromWire(UntrustedJson.stringOrNull(message, "role"));
        // A producer's serverId binds it to nothing, and its mode is not read.
        Subscription subscription = role == Role.DASHBOARD
                ? Subscription.read(message, errors)
                : new Subscription(Subscription.serverFilter(message, errors), Subscription.EACH_METRIC);
        if (!errors.isEmpty()) {
            reject(connection, System2Messages.error(System2Messages.INVALID_REGISTER, errors));
            return;
        }
        if (role == Role.DASHBOARD) {
            connection.coalesceWrites(DASHBOARD_WRITE_COALESCING);
            fanout.addDashboard(connection, subscription);
        } else {
            connection.coalesceWrites(Duration.ZERO);
            fanout.remove(connection);
        }
        connection.sendText(System2Messages.registerAck(role, subscription.serverFilter()));
    }

    private void snapshot(WebSocketConnection connection, JsonObject message) {
        JsonValue serverId = message.get("serverId");
        JsonValue payload;
        if (serverId != null && serverId.isString()) {
            AggregateSnapshot one = aggregator.snapshot(serverId.asString());
            payload = one == null ? Json.NULL : one.toJson();
        } else {
            JsonArray all = new JsonArray();
            aggregator.snapshots().forEach(aggregate -> all.add(aggregate.toJson()));
            payload = all;
        }
        connection.sendText(System2Messages.snapshot(payload));
    }

    private void reject(WebSocketConnection connection, String error) {
        stats.rejected().increment();
        connection.sendText(error);
    }
}
