package analytics.system1.redis;

import analytics.model.FieldError;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.model.UntrustedJson;
import com.eclipsesource.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one entry of the ingest stream, as the original wrote them: {@code serverId},
 * {@code timestamp} (epoch milliseconds as text) and {@code metrics} (the inner object as
 * JSON text) - Redis stream fields are flat strings, so the nested part travels as JSON.
 *
 * Pattern: one mapping between a domain value and its storage form, named once.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md   Spec: the contract's System 1 pipeline
 * Not here: what the workers do with a decoded entry (StreamWorkerScript).
 * Threads: stateless.
 */
public final class StreamFields {

    /** The consumer group of the contract: every worker reads the stream as a member of it. */
    public static final String GROUP = "metrics-workers";

    public static final String SERVER_ID = "serverId";
    public static final String TIMESTAMP = "timestamp";
    public static final String METRICS = "metrics";

    private StreamFields() {
    }

    /** In a fixed order, so {@code XRANGE} shows every entry's fields alike. */
    public static Map<String, String> of(Metric metric) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(SERVER_ID, metric.serverId());
        fields.put(TIMESTAMP, Long.toString(metric.timestamp()));
        fields.put(METRICS, metric.metricsJson().toString());
        return fields;
    }

    /** Longest {@code metrics} text read back; ingest's whole body limit is 256 KiB. */
    private static final int MAX_METRICS_CHARS = 262_144;
    private static final MetricValidator VALIDATOR = new MetricValidator(Set.of());

    /**
     * An entry's fields back into a Metric, validated again: the stream is open to any
     * writer (a student's {@code redis-cli XADD} too), so a worker trusts it no more than
     * ingest trusts a request. {@code null} fields (an entry trimmed away) are invalid.
     */
    public static MetricValidator.Result toMetric(Map<String, String> fields) {
        if (fields == null) {
            return new MetricValidator.Invalid(List.of(new FieldError("", "entry has no fields (trimmed?)")));
        }
        JsonObject json = new JsonObject();
        String serverId = fields.get(SERVER_ID);
        if (serverId != null) {
            json.add(SERVER_ID, serverId);
        }
        String timestamp = fields.get(TIMESTAMP);
        if (timestamp != null) {
            try {
                json.add(TIMESTAMP, Long.parseLong(timestamp));
            } catch (NumberFormatException e) {
                json.add(TIMESTAMP, timestamp); // the validator names it: "must be a number"
            }
        }
        String metrics = fields.get(METRICS);
        if (metrics != null) {
            try {
                json.add(METRICS, UntrustedJson.parse(metrics, MAX_METRICS_CHARS));
            } catch (UntrustedJson.BadJsonException e) {
                return new MetricValidator.Invalid(List.of(new FieldError(METRICS, e.getMessage())));
            }
        }
        return VALIDATOR.validate(json);
    }
}
