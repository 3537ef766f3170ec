package analytics.model;

import com.eclipsesource.json.Json;
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

    /**
     * {@link #metricsJson()} as text, the same character for character, but written straight
     * into one StringBuilder. System 1 writes this text twice per metric (the stream field at
     * ingest, the latest hash and PUBLISH in the worker): building a JsonObject first - a
     * hash table of names, an object per number - and then writing it cost about twice as
     * much. Names the sender chose (extras) still go through minimal-json's escaping.
     */
    public String metricsJsonText() {
        StringBuilder json = new StringBuilder(128)
                .append("{\"cpu\":").append(number(cpu))
                .append(",\"memory\":").append(number(memory))
                .append(",\"disk\":").append(number(disk));
        if (network != null) {
            json.append(",\"network\":{\"in\":").append(number(network.in()))
                    .append(",\"out\":").append(number(network.out())).append('}');
        }
        extras.forEach((name, value) -> json.append(',').append(Json.value(name)).append(':').append(number(value)));
        return json.append('}').toString();
    }

    /** A number as minimal-json writes it: Double.toString, without a trailing ".0" (45.0 is 45). */
    static String number(double value) {
        String text = Double.toString(value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
