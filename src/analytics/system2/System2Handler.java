package analytics.system2;

import analytics.config.IngestToken;
import analytics.fanout.Subscription;
import analytics.log.Log;
import analytics.log.Untrusted;
import analytics.model.FieldError;
import analytics.model.JsonMessage;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.model.UntrustedJson;
import analytics.system2.System2Messages.Role;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.system2.aggregate.Aggregator;
import analytics.websocket.CloseCode;
import analytics.websocket.WebSocketConnection;
import analytics.websocket.WebSocketHandler;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * System 2's message router: reads each text message's {@code type} and answers as the
 * contract's System 2 table says. Bad input gets an error message and the connection
 * stays open; nothing is aggregated from a message that had any error.
 *
 * With INGEST_TOKEN set, a connection sends metrics only once it registered as a producer
 * with the token; a producer register without it, or a metric before it, closes the
 * connection with 1008 (policy violation). Dashboards and snapshots need no token.
 *
 * Sharded (SYSTEM2_BRIDGE_REDIS_URL set, lesson 22), each aggregate also goes to the bridge,
 * and a snapshot holds the other shards' servers too; alone, the bridge is null and unused.
 *
 * Pattern: message dispatch on a type field (an arrow switch), validation before any effect.
 * Lesson:  lessons/09-system2-fan-out.md   Spec: the contract's "System 2" table
 * Threads: called on each connection's reader thread; the aggregator and fan-out are
 *          thread-safe, so producers on different connections run in parallel.
 */
final class System2Handler implements WebSocketHandler {

    /** Updates to a busy dashboard leave in one write per 20 ms instead of one each. */
    static final Duration DASHBOARD_WRITE_COALESCING = Duration.ofMillis(20);
    /** Close reasons (1008) when INGEST_TOKEN is set; short, as a close frame's must be. */
    static final String WRONG_TOKEN = "missing or wrong token";
    static final String NOT_REGISTERED = "register as a producer with the token first";

    private static final Log LOG = Log.get(System2Handler.class);

    private final Aggregator aggregator;
    private final System2Fanout fanout;
    private final System2Stats stats;
    private final MetricValidator validator = new MetricValidator(System2Messages.METRIC_ENVELOPE_FIELDS);
    private final int maxMessageChars;
    private final IngestToken token;
    /** The link to the other shards; null for an instance alone, which behaves as it always did. */
    private final System2Bridge bridge;
    /** Connections that registered as producers with the token; used only when one is set. */
    private final Set<WebSocketConnection> producers = ConcurrentHashMap.newKeySet();

    System2Handler(Aggregator aggregator, System2Fanout fanout, System2Stats stats, int maxMessageChars,
                   IngestToken token, System2Bridge bridge) {
        this.aggregator = aggregator;
        this.fanout = fanout;
        this.stats = stats;
        this.maxMessageChars = maxMessageChars;
        this.token = token;
        this.bridge = bridge;
    }

    /** Every connection starts as a producer: it is no dashboard until it registers as one. */
    @Override
    public void onOpen(WebSocketConnection connection) {
        connection.sendText(System2Messages.CONNECTION_ACK);
    }

    @Override
    public void onText(WebSocketConnection connection, String text) {
        switch (JsonMessage.parse(text, maxMessageChars)) {
            case JsonMessage.Malformed malformed ->
                    reject(connection, System2Messages.error(System2Messages.INVALID_JSON));
            case JsonMessage.Typed(String type, JsonObject message) -> {
                switch (type) {
                    case "metric" -> {
                        if (mayProduce(connection)) {
                            metric(connection, message);
                        }
                    }
                    case "metrics" -> {
                        if (mayProduce(connection)) {
                            batch(connection, message);
                        }
                    }
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
        producers.remove(connection);
    }

    /** Without a token anyone may; with one, a producer that registered with it. Else 1008. */
    private boolean mayProduce(WebSocketConnection connection) {
        if (!token.required() || producers.contains(connection)) {
            return true;
        }
        stats.rejected().increment();
        connection.startClosingHandshake(CloseCode.POLICY_VIOLATION, NOT_REGISTERED);
        return false;
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
                publish(aggregate);
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
            publish(aggregator.add(metric));
        }
        stats.accepted().add(metrics.size());
        connection.sendText(System2Messages.batchAck(metrics.size(), message.get("id")));
    }

    /** To this instance's dashboards, and, sharded, to the other shards' through the bridge. */
    private void publish(AggregateSnapshot aggregate) {
        fanout.publish(aggregate);
        if (bridge != null) {
            bridge.offer(aggregate);
        }
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
        if (role == Role.PRODUCER && token.required()) {
            if (!token.matches(UntrustedJson.stringOrNull(message, "token"))) {
                // The serverId is a stranger's text: escaped and cut before it is logged.
                LOG.info("producer refused: missing or wrong token", "connection", connection.id(),
                        "remote", connection.remoteAddress(), "serverId", Untrusted.text(subscription.serverFilter()));
                stats.rejected().increment();
                connection.startClosingHandshake(CloseCode.POLICY_VIOLATION, WRONG_TOKEN);
                return;
            }
            producers.add(connection);
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
            if (one == null && bridge != null) {
                one = bridge.remote(serverId.asString()); // another shard's server, as last heard of
            }
            payload = one == null ? Json.NULL : one.toJson();
        } else {
            JsonArray all = new JsonArray();
            List<AggregateSnapshot> local = aggregator.snapshots();
            List<AggregateSnapshot> fleet = bridge == null ? local : bridge.withRemote(local);
            fleet.forEach(aggregate -> all.add(aggregate.toJson()));
            payload = all;
        }
        connection.sendText(System2Messages.snapshot(payload));
    }

    private void reject(WebSocketConnection connection, String error) {
        stats.rejected().increment();
        connection.sendText(error);
    }
}
