package analytics.model;

import com.eclipsesource.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sample from one server, already validated: a Metric that exists is a good one.
 *
 * Pattern: immutable value (record) built only by a validator at the edge.
 * Lesson:  lessons/03-validating-untrusted-input.md
 * Not here: parsing and the rules (MetricValidator); aggregation (the systems).
 *
 * @param network {@code null} when the sender sent none; aggregates count it as 0 in/out
 * @param extras  further numeric fields the sender put in {@code metrics}, in its order
 */
public record Metric(String serverId, long timestamp, double cpu, double memory, double disk,
                     Network network, Map<String, Double> extras) {

    /** {@code metrics.network}: bytes (or any unit the sender chose) in and out. */
    public record Network(double in, double out) {
    }

    public Metric {
        Objects.requireNonNull(serverId, "serverId");
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public double networkIn() {
        return network == null ? 0 : network.in();
    }

    public double networkOut() {
        return network == null ? 0 : network.out();
    }

    /** The metric as the contract spells it, as sent by the original's fake servers. */
    public JsonObject toJson() {
        return new JsonObject()
                .add("serverId", serverId)
                .add("timestamp", timestamp)
                .add("metrics", metricsJson());
    }

    /** The inner {@code metrics} object alone (System 1 stores it as one stream field). */
    public JsonObject metricsJson() {
        JsonObject metrics = new JsonObject()
                .add("cpu", cpu)
                .add("memory", memory)
                .add("disk", disk);
        if (network != null) {
            metrics.add("network", new JsonObject().add("in", network.in()).add("out", network.out()));
        }
        extras.forEach(metrics::add);
        return metrics;
    }
}
