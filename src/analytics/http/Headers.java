package analytics.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The header fields of a request or a response, found by name whatever its case, with
 * every value of a repeated field kept in arrival order.
 *
 * Pattern: immutable value with case-insensitive keys - "content-type", "Content-Type"
 *          and HTTP/2's lower-case names all find the same field.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9110 §5.1, §5.3
 * Not here: checking names and values for illegal characters; the transport did that.
 * Threads: immutable, so share it freely.
 */
public final class Headers {

    public static final Headers EMPTY = new Headers(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final Map<String, List<String>> fields;

    private Headers(TreeMap<String, List<String>> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** {@code Headers.of("Allow", "POST", "Retry-After", "1")}: names and values in turn. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        Headers headers = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers = headers.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** A copy of a transport's map (e.g. com.sun.net.httpserver's), whatever its key case. */
    public static Headers from(Map<String, List<String>> map) {
        Builder builder = new Builder();
        map.forEach((name, values) -> {
            if (name != null) { // the JDK server keeps the request line under a null key
                values.forEach(value -> builder.add(name, value));
            }
        });
        return builder.build();
    }

    /**
     * Collects fields as a parser meets them, straight into the map the Headers keeps: a
     * field seen once holds a one-element list, and nothing is copied at the end (every
     * WebSocket handshake and h2c upgrade builds one).
     */
    static final class Builder {
        private final TreeMap<String, List<String>> fields =
                new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        void add(String name, String value) {
            fields.merge(name, List.of(value), Builder::append);
        }

        /** Hands the map over: a builder builds once. */
        Headers build() {
            return new Headers(fields);
        }

        private static List<String> append(List<String> values, List<String> more) {
            List<String> all = new ArrayList<>(values);
            all.addAll(more);
            return List.copyOf(all);
        }
    }

    /** The first value of the field, or null when absent. */
    public String first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the field; empty when absent. */
    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** A copy with one more value for {@code name} (added after any it already has). */
    public Headers with(String name, String value) {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(fields);
        List<String> values = new ArrayList<>(all(name));
        values.add(value);
        copy.put(name, List.copyOf(values));
        return new Headers(copy);
    }

    /** Name to values, names as first given; for the transport that writes them out. */
    public Map<String, List<String>> asMap() {
        return fields;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
