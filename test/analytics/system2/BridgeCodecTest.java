package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.Metric;
import analytics.system2.aggregate.AggregateSnapshot;
import analytics.system2.aggregate.Aggregator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bridge's message: what a shard publishes comes out of the others' codec unchanged. */
class BridgeCodecTest {

    @Test
    void aggregatesComeBackAsTheSameUpdateBytes() {
        Aggregator aggregator = new Aggregator(1000, 500);
        AggregateSnapshot first = aggregator.add(new Metric("server-1", 1_764_180_000_000L, 42.5, 61.25, 70,
                new Metric.Network(320, 210.5), Map.of()));
        AggregateSnapshot second = aggregator.add(new Metric("server-1", 1_764_180_003_000L, 100, 0, 33.333333,
                null, Map.of()));
        AggregateSnapshot other = aggregator.add(new Metric("sérveur \"2\"", 1_764_180_000_000L, 1, 2, 3,
                null, Map.of()));

        BridgeCodec.Batch batch = assertInstanceOf(BridgeCodec.Batch.class,
                BridgeCodec.decode(BridgeCodec.encode("instance-a", List.of(first, second, other))));

        assertEquals("instance-a", batch.from());
        assertEquals(List.of(first, second, other), batch.aggregates());
        for (int i = 0; i < 3; i++) {
            // A dashboard on another shard gets the very metric.update it would get on the owner.
            assertEquals(System2Messages.update(List.of(first, second, other).get(i).toJson()),
                    System2Messages.update(batch.aggregates().get(i).toJson()));
        }
    }

    @Test
    void anInstanceKnowsItsOwnMessageByItsFirstBytes() {
        String own = BridgeCodec.encode("a\"b", List.of());
        assertTrue(BridgeCodec.isFrom("a\"b", own));
        assertFalse(BridgeCodec.isFrom("a", own));
        assertFalse(BridgeCodec.isFrom("a\"b", " " + own), "anything else goes to the full decode");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{\"aggregates\":[]}",
        "{\"from\":\"a\",\"aggregates\":{}}",
        "{\"from\":\"a\",\"aggregates\":[{\"serverId\":\"s\",\"timestamp\":1}]}",
        "{\"from\":\"a\",\"aggregates\":[{\"serverId\":\"s\",\"timestamp\":1,"
                + "\"windows\":{\"1000\":{\"samples\":1,\"averages\":null}}}]}",
        "{\"from\":\"a\",\"aggregates\":[{\"serverId\":\"s\",\"timestamp\":1,"
                + "\"windows\":{\"ten\":{\"samples\":0,\"averages\":null}}}]}",
    })
    void refusesAnythingButABridgeMessageWhole(String text) {
        assertInstanceOf(BridgeCodec.Refused.class, BridgeCodec.decode(text));
    }
}
