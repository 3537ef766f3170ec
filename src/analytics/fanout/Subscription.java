package analytics.fanout;

import analytics.model.FieldError;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.List;

/**
 * What one dashboard asked to receive: the server it follows (null for every server) and
 * how - one message per metric, or in tick mode one conflated message per interval. Both
 * systems read it from their own request (System 1's subscribe, System 2's register) with
 * the same rules and the same words for a mistake.
 *
 * Pattern: parse, don't validate - a value that exists only when the request was good;
 *          errors collected as data (FieldError), not thrown.
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: the contract's tick mode rows
 * Not here: what each system answers with those errors (its own Messages class).
 * Threads: immutable.
 *
 * @param serverFilter   the only server whose metrics it wants; null for every server
 * @param tickIntervalMs {@link #EACH_METRIC} for one message per metric; else the interval
 */
public record Subscription(String serverFilter, long tickIntervalMs) {

    /** No tick mode: one message per metric, as the original systems did. */
    public static final long EACH_METRIC = 0;
    /** Bounds of a tick interval: faster is no longer "conflated", slower is no longer live. */
    public static final long MIN_TICK_MS = 50;
    public static final long MAX_TICK_MS = 60_000;
    /** The one value "mode" may take. */
    public static final String TICK_MODE = "tick";

    /** Follows every server, one message per metric: a dashboard that never asked for less. */
    public static final Subscription EVERYTHING = new Subscription(null, EACH_METRIC);

    public boolean wants(String serverId) {
        return serverFilter == null || serverFilter.equals(serverId);
    }

    /** Beyond the original: metrics conflated into one tick message per interval. */
    public boolean ticks() {
        return tickIntervalMs != EACH_METRIC;
    }

    /** {@code serverId} and tick mode read together; null when {@code errors} got one. */
    public static Subscription read(JsonObject request, List<FieldError> errors) {
        int before = errors.size();
        String filter = serverFilter(request, errors);
        long interval = tickIntervalMs(request, errors);
        return errors.size() == before ? new Subscription(filter, interval) : null;
    }

    /** A string (an empty one follows every server), null, or absent; else an error. */
    public static String serverFilter(JsonObject request, List<FieldError> errors) {
        JsonValue serverId = request.get("serverId");
        if (serverId == null || serverId.isNull()) {
            return null;
        }
        if (!serverId.isString()) {
            errors.add(new FieldError("serverId", "must be a string or null"));
            return null;
        }
        return serverId.asString().isEmpty() ? null : serverId.asString();
    }

    /** {"mode":"tick","intervalMs":250}; no mode means {@link #EACH_METRIC}. */
    public static long tickIntervalMs(JsonObject request, List<FieldError> errors) {
        JsonValue mode = request.get("mode");
        if (mode == null || mode.isNull()) {
            return EACH_METRIC;
        }
        if (!mode.isString() || !mode.asString().equals(TICK_MODE)) {
            errors.add(new FieldError("mode", "must be \"" + TICK_MODE + "\" or absent"));
            return EACH_METRIC;
        }
        JsonValue interval = request.get("intervalMs");
        double ms = interval != null && interval.isNumber() ? interval.asDouble() : Double.NaN;
        if (!(ms >= MIN_TICK_MS && ms <= MAX_TICK_MS) || ms != Math.rint(ms)) {
            errors.add(new FieldError("intervalMs", "must be a whole number from "
                    + MIN_TICK_MS + " to " + MAX_TICK_MS));
            return EACH_METRIC;
        }
        return (long) ms;
    }
}
