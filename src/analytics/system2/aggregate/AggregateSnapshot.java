package analytics.system2.aggregate;

import com.eclipsesource.json.JsonObject;
import java.util.List;

/**
 * One server's aggregates at one moment, immutable, ready to be sent: the payload of
 * {@code metric.update} and {@code snapshot} in the contract.
 *
 * Pattern: immutable snapshot taken under a lock and used freely outside it.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 *
 * @param timestamp the newest sample timestamp of the server
 */
public record AggregateSnapshot(String serverId, long timestamp, List<Window> windows) {

    /** One window's figures; {@code averages} is null when the window holds no sample. */
    public record Window(long lengthMs, int samples, double[] averages) {
    }

    public AggregateSnapshot {
        windows = List.copyOf(windows);
    }

    /**
     * {@code {"serverId":...,"timestamp":...,"windows":{"1000":{"samples":n,"averages":{...}|null},...}}}:
     * window keys are the lengths in milliseconds, as strings.
     */
    public JsonObject toJson() {
        JsonObject byLength = new JsonObject();
        for (Window window : windows) {
            JsonObject figures = new JsonObject().add("samples", window.samples());
            if (window.averages() == null) {
                figures.add("averages", (String) null);
            } else {
                JsonObject averages = new JsonObject();
                for (int f = 0; f < SampleRing.FIELDS.length; f++) {
                    averages.add(SampleRing.FIELDS[f], window.averages()[f]);
                }
                figures.add("averages", averages);
            }
            byLength.add(Long.toString(window.lengthMs()), figures);
        }
        return new JsonObject()
                .add("serverId", serverId)
                .add("timestamp", timestamp)
                .add("windows", byLength);
    }
}
