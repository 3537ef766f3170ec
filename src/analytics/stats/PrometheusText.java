package analytics.stats;

import java.util.Locale;
import java.util.Map;

/**
 * Writes figures in the Prometheus text exposition format, so a real Prometheus can
 * scrape a system: {@code # HELP}, {@code # TYPE}, then {@code name value} per line.
 *
 * Pattern: builder for a line-oriented wire format.
 * Lesson:  lessons/09-system2-fan-out.md
 * Spec:    Prometheus "Exposition formats", text format 0.0.4
 * Threads: one builder per response.
 */
public final class PrometheusText {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder();
    private final String prefix;

    /** @param prefix namespace for every metric name, e.g. "system2" */
    public PrometheusText(String prefix) {
        this.prefix = prefix;
    }

    /** A value that only goes up (reset at restart); by convention named *_total. */
    public PrometheusText counter(String name, String help, long value) {
        return metric(name, "counter", help, Long.toString(value));
    }

    /** A value that goes up and down. */
    public PrometheusText gauge(String name, String help, double value) {
        String shown = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
        return metric(name, "gauge", help, shown);
    }

    /**
     * One counter with a label, a line per label value:
     * {@code system1_requests_total{protocol="h2"} 42}. Label values are escaped as the
     * format requires (backslash, double quote, newline).
     */
    public PrometheusText counter(String name, String help, String label, Map<String, Long> byLabel) {
        String full = header(name, "counter", help);
        byLabel.forEach((value, count) -> text.append(full).append('{').append(label).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                .append("\"} ").append(count).append('\n'));
        return this;
    }

    private PrometheusText metric(String name, String type, String help, String value) {
        text.append(header(name, type, help)).append(' ').append(value).append('\n');
        return this;
    }

    /** Writes the HELP and TYPE lines; returns the full metric name. */
    private String header(String name, String type, String help) {
        String full = prefix + "_" + name;
        text.append("# HELP ").append(full).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n')
                .append("# TYPE ").append(full).append(' ').append(type).append('\n');
        return full;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
