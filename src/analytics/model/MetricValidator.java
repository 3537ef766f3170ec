package analytics.model;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns a parsed JSON object into a Metric, or into the list of every field that is wrong.
 * The rules are the contract's "metric" section, one method per field.
 *
 * Pattern: validate at the edge, collect all errors, return a sealed result
 *          (Valid | Invalid) that the caller must switch over - no exceptions for bad input.
 * Lesson:  lessons/03-validating-untrusted-input.md
 * Not here: JSON syntax, size and depth (UntrustedJson, which runs first).
 * Threads: immutable; one instance serves every connection.
 */
public final class MetricValidator {

    public static final int MAX_SERVER_ID_LENGTH = 128;
    /** A sender whose clock runs ahead by more than this is rejected (contract: clock skew). */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The three gauges every metric must carry, in percent. */
    public static final List<String> REQUIRED_GAUGES = List.of("cpu", "memory", "disk");

    /**
     * The metric's own top-level fields (additionalProperties false). A caller whose
     * messages wrap a metric in an envelope names the envelope's fields when it builds
     * the validator; the model knows no system.
     */
    public static final Set<String> METRIC_FIELDS = Set.of("serverId", "timestamp", "metrics");

    public sealed interface Result permits Valid, Invalid {
    }

    /** What {@link #validateBatch} returns: every metric, or every error of every item. */
    public sealed interface BatchResult permits ValidBatch, Invalid {
    }

    public record Valid(Metric metric) implements Result {
    }

    public record ValidBatch(List<Metric> metrics) implements BatchResult {
        public ValidBatch {
            metrics = List.copyOf(metrics);
        }
    }

    public record Invalid(List<FieldError> errors) implements Result, BatchResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    private final Set<String> allowedExtraFields;
    private final LongSupplier clock;

    /** @param allowedExtraFields top-level names besides the metric's own that are accepted */
    public MetricValidator(Set<String> allowedExtraFields) {
        this(allowedExtraFields, System::currentTimeMillis);
    }

    public MetricValidator(Set<String> allowedExtraFields, LongSupplier clock) {
        this.allowedExtraFields = Set.copyOf(allowedExtraFields);
        this.clock = clock;
    }

    public Result validate(JsonObject json) {
        List<FieldError> errors = new ArrayList<>();
        for (String name : json.names()) {
            if (!METRIC_FIELDS.contains(name) && !allowedExtraFields.contains(name)) {
                errors.add(new FieldError(UntrustedJson.shorten(name), "is not allowed"));
            }
        }
        String serverId = serverId(json.get("serverId"), errors);
        long timestamp = timestamp(json.get("timestamp"), errors);

        JsonValue metricsValue = json.get("metrics");
        double[] gauges = new double[REQUIRED_GAUGES.size()];
        Metric.Network network = null;
        Map<String, Double> extras = new LinkedHashMap<>();
        if (metricsValue == null) {
            errors.add(new FieldError("metrics", "is required"));
        } else if (!metricsValue.isObject()) {
            errors.add(new FieldError("metrics", "must be an object"));
        } else {
            JsonObject metrics = metricsValue.asObject();
            for (int i = 0; i < gauges.length; i++) {
                gauges[i] = percent(metrics, REQUIRED_GAUGES.get(i), errors);
            }
            network = network(metrics.get("network"), errors);
            extras = extras(metrics, errors);
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        return new Valid(new Metric(serverId, timestamp, gauges[0], gauges[1], gauges[2], network, extras));
    }

    /**
     * A batch (both systems accept one): every item is validated before any is used, and
     * errors name the item, as in {@code items[3].metrics.cpu}. All or nothing.
     */
    public BatchResult validateBatch(JsonArray items) {
        List<Metric> metrics = new ArrayList<>(items.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "items[" + i + "]";
            JsonValue item = items.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(prefix, "must be an object"));
                continue;
            }
            switch (validate(item.asObject())) {
                case Valid valid -> metrics.add(valid.metric());
                case Invalid invalid -> invalid.errors().forEach(error ->
                        errors.add(new FieldError(prefix + "." + error.field(), error.message())));
            }
        }
        return errors.isEmpty() ? new ValidBatch(metrics) : new Invalid(errors);
    }

    private static String serverId(JsonValue value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError("serverId", "is required"));
        } else if (!value.isString() || value.asString().isEmpty()) {
            errors.add(new FieldError("serverId", "must be a non-empty string"));
        } else if (value.asString().length() > MAX_SERVER_ID_LENGTH) {
            errors.add(new FieldError("serverId", "must be at most " + MAX_SERVER_ID_LENGTH
                    + " characters, got " + value.asString().length()));
        } else {
            return value.asString();
        }
        return null;
    }

    private long timestamp(JsonValue value, List<FieldError> errors) {
        String rule = "must be a number of milliseconds since the epoch";
        double number = finiteNumber(value);
        if (value == null) {
            errors.add(new FieldError("timestamp", "is required"));
        } else if (!(number >= 0)) {
            errors.add(new FieldError("timestamp", rule));
        } else if (number > clock.getAsLong() + MAX_CLOCK_SKEW.toMillis()) {
            errors.add(new FieldError("timestamp", "is more than " + MAX_CLOCK_SKEW.toMinutes()
                    + " minutes in the future"));
        } else {
            return (long) number; // a fractional millisecond is dropped, not rejected
        }
        return 0;
    }

    private static double percent(JsonObject metrics, String name, List<FieldError> errors) {
        JsonValue value = metrics.get(name);
        String field = "metrics." + name;
        double number = finiteNumber(value);
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (!(number >= 0 && number <= 100)) { // NaN fails too
            errors.add(new FieldError(field, "must be a number from 0 to 100"));
        } else {
            return number;
        }
        return 0;
    }

    private static Metric.Network network(JsonValue value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(new FieldError("metrics.network", "must be an object with numbers in and out"));
            return null;
        }
        JsonObject network = value.asObject();
        for (String name : network.names()) {
            if (!name.equals("in") && !name.equals("out")) {
                errors.add(new FieldError("metrics.network." + UntrustedJson.shorten(name), "is not allowed"));
            }
        }
        double in = nonNegative(network.get("in"), "metrics.network.in", errors);
        double out = nonNegative(network.get("out"), "metrics.network.out", errors);
        return new Metric.Network(in, out);
    }

    private static double nonNegative(JsonValue value, String field, List<FieldError> errors) {
        double number = finiteNumber(value);
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (!(number >= 0)) {
            errors.add(new FieldError(field, "must be a number of at least 0"));
        } else {
            return number;
        }
        return 0;
    }

    /** Fields in {@code metrics} beyond the gauges and network: allowed, if numeric. */
    private static Map<String, Double> extras(JsonObject metrics, List<FieldError> errors) {
        Map<String, Double> extras = new LinkedHashMap<>();
        for (JsonObject.Member member : metrics) {
            String name = member.getName();
            if (REQUIRED_GAUGES.contains(name) || name.equals("network")) {
                continue;
            }
            double number = finiteNumber(member.getValue());
            if (!Double.isNaN(number)) {
                extras.put(name, number);
            } else {
                errors.add(new FieldError("metrics." + UntrustedJson.shorten(name), "must be a number"));
            }
        }
        return extras;
    }

    /**
     * The value as a finite number, or NaN: "42" (a string) is not a number, and 1e999
     * parses as Infinity, which is not finite. Parsed once - minimal-json keeps numbers as
     * text and parses on every asDouble(), a cost that shows at 100,000 metrics a second.
     */
    private static double finiteNumber(JsonValue value) {
        if (value == null || !value.isNumber()) {
            return Double.NaN;
        }
        double number = value.asDouble();
        return Double.isFinite(number) ? number : Double.NaN;
    }
}
