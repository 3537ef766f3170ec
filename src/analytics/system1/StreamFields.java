package analytics.system1;

import analytics.model.Metric;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of one entry of the ingest stream, as the original wrote them: {@code serverId},
 * {@code timestamp} (epoch milliseconds as text) and {@code metrics} (the inner object as
 * JSON text) - Redis stream fields are flat strings, so the nested part travels as JSON.
 *
 * Pattern: one mapping between a domain value and its storage form, named once.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md   Spec: the contract's System 1 pipeline
 * Not here: reading entries back (the workers' side).
 * Threads: stateless.
 */
public final class StreamFields {

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
}
