package analytics.system2.aggregate;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * One server's aggregates at one moment: the {@code payload} of the contract's
 * {@code metric.update}, and one element of a {@code snapshot}.
 *
 * Pattern: immutable snapshot - copied under the server's lock, then read, serialised and
 *          queued to any number of dashboards on any thread, without a lock.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md   Spec: the contract's "System 2"
 * Not here: the wire envelope ({@code {"type":"metric.update",...}}) is the router's.
 * Threads: immutable (records all the way down, the list copied), so share it freely.
 *
 * @param timestamp the newest (largest) sample timestamp the server has sent
 * @param windows   shortest first: 1x, 5x, 10x SYSTEM2_AGG_WINDOW_MS
 */
public record AggregateSnapshot(String serverId, long timestamp, List<Window> windows) {

    /** One window's figures; {@code averages} is null exactly when {@code samples} is 0. */
    public record Window(long lengthMs, int samples, Averages averages) {
        public Window {
            if ((samples == 0) != (averages == null)) {
                throw new IllegalArgumentException(samples + " samples with averages " + averages);
            }
        }
    }

    /** The contract's {@code averages} object; network figures are 0 for a sample without one. */
    public record Averages(double cpu, double memory, double disk,
                           double networkIn, double networkOut) {

        public JsonObject toJson() {
            return new JsonObject()
                    .add("cpu", cpu)
                    .add("memory", memory)
                    .add("disk", disk)
                    .add("networkIn", networkIn)
                    .add("networkOut", networkOut);
        }
    }

    public AggregateSnapshot {
        Objects.requireNonNull(serverId, "serverId");
        windows = List.copyOf(windows);
    }

    /**
     * {@code {"serverId":..,"timestamp":..,"windows":{"1000":{"samples":n,"averages":{..}}}}}
     * with one member per window, keyed by its length in milliseconds as a string, and
     * {@code "averages":null} for an empty window.
     */
    public JsonObject toJson() {
        JsonObject byLength = new JsonObject();
        for (Window window : windows) {
            Averages averages = window.averages();
            byLength.add(Long.toString(window.lengthMs()), new JsonObject()
                    .add("samples", window.samples())
                    .add("averages", averages == null ? Json.NULL : averages.toJson()));
        }
        return new JsonObject()
                .add("serverId", serverId)
                .add("timestamp", timestamp)
                .add("windows", byLength);
    }
}
