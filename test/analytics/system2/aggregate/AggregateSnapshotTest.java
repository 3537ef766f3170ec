package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateSnapshotTest {

    private static final AggregateSnapshot.Averages AVERAGES =
            new AggregateSnapshot.Averages(42.5, 61.25, 70.125, 320, 210);

    private static AggregateSnapshot snapshot() {
        return new AggregateSnapshot("server-1", 1_764_180_000_000L, List.of(
                new AggregateSnapshot.Window(1000, 0, null),
                new AggregateSnapshot.Window(5000, 3, AVERAGES),
                new AggregateSnapshot.Window(10_000, 7, AVERAGES)));
    }

    @Test
    void jsonHasTheContractsFieldsAndNoOthers() {
        JsonObject json = snapshot().toJson();
        assertEquals(List.of("serverId", "timestamp", "windows"), json.names());
        assertEquals("server-1", json.get("serverId").asString());
        assertEquals(1_764_180_000_000L, json.get("timestamp").asLong());
        JsonObject windows = json.get("windows").asObject();
        assertEquals(List.of("1000", "5000", "10000"), windows.names());
        for (String key : windows.names()) {
            assertEquals(List.of("samples", "averages"), windows.get(key).asObject().names(), key);
        }
        JsonObject full = windows.get("5000").asObject();
        assertEquals(3, full.get("samples").asInt());
        JsonObject averages = full.get("averages").asObject();
        assertEquals(List.of("cpu", "memory", "disk", "networkIn", "networkOut"),
                averages.names());
        assertEquals(42.5, averages.get("cpu").asDouble());
        assertEquals(61.25, averages.get("memory").asDouble());
        assertEquals(70.125, averages.get("disk").asDouble());
        assertEquals(320, averages.get("networkIn").asDouble());
        assertEquals(210, averages.get("networkOut").asDouble());
    }

    @Test
    void anEmptyWindowHasZeroSamplesAndJsonNullAverages() {
        JsonValue empty = snapshot().toJson().get("windows").asObject().get("1000");
        assertEquals(0, empty.asObject().get("samples").asInt());
        assertTrue(empty.asObject().get("averages").isNull());
        assertEquals(Json.parse("{\"samples\":0,\"averages\":null}"), empty);
    }

    @Test
    void serialisesAsTheContractsExampleWouldParse() {
        String text = snapshot().toJson().toString();
        assertTrue(text.startsWith("{\"serverId\":\"server-1\",\"timestamp\":1764180000000,"),
                "an epoch timestamp is written as a whole number: " + text);
        assertEquals(Json.parse("""
                {"serverId":"server-1","timestamp":1764180000000,"windows":{
                 "1000":{"samples":0,"averages":null},
                 "5000":{"samples":3,"averages":{"cpu":42.5,"memory":61.25,"disk":70.125,
                         "networkIn":320,"networkOut":210}},
                 "10000":{"samples":7,"averages":{"cpu":42.5,"memory":61.25,"disk":70.125,
                          "networkIn":320,"networkOut":210}}}}"""), Json.parse(text));
    }

    @Test
    void cannotBeChangedThroughTheListItWasBuiltFrom() {
        List<AggregateSnapshot.Window> windows = new ArrayList<>();
        windows.add(new AggregateSnapshot.Window(1000, 1, AVERAGES));
        AggregateSnapshot snapshot = new AggregateSnapshot("s", 1, windows);
        windows.clear();
        assertEquals(1, snapshot.windows().size());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.windows().clear());
    }

    @Test
    void averagesArePresentExactlyWhenThereAreSamples() {
        assertThrows(IllegalArgumentException.class,
                () -> new AggregateSnapshot.Window(1000, 0, AVERAGES));
        assertThrows(IllegalArgumentException.class,
                () -> new AggregateSnapshot.Window(1000, 2, null));
    }
}
