package analytics.system1.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.system1.redis.StreamFields;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The batch script on a real redis-server: idempotent per entry id, entries claimed away,
 * a server whose key is broken, poison entries, NOSCRIPT.
 */
@ExtendWith(RedisExtension.class)
class StreamWorkerScriptTest {

    private final String id = Long.toString(System.nanoTime());
    private final String streamKey = "test:worker-script:" + id;
    private final String serverId = "script-server-" + id;
    private final StreamWorkerScript script = new StreamWorkerScript(streamKey, "test:channel:" + id);

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    private static Metric metric(String serverId, long timestamp, double cpu) {
        return new Metric(serverId, timestamp, cpu, 50, 70, new Metric.Network(300, 200), Map.of());
    }

    /** Writes the entries, creates the group, and reads them as consumer "c" (now pending). */
    private List<StreamEntry> addAndRead(Jedis jedis, List<Map<String, String>> entries) {
        for (Map<String, String> fields : entries) {
            jedis.xadd(streamKey, XAddParams.xAddParams(), fields);
        }
        StreamWorker.ensureGroup(jedis, streamKey);
        return jedis.xreadGroup(StreamFields.GROUP, "c", XReadGroupParams.xReadGroupParams().count(100),
                Map.of(streamKey, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)).get(0).getValue();
    }

    @Test
    void anEntryDeliveredTwiceIsCountedOnce(RedisProcess redis) {
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = addAndRead(jedis, List.of(
                    StreamFields.of(metric(serverId, 1_000, 10)),
                    StreamFields.of(metric(serverId, 2_000, 20)),
                    StreamFields.of(metric(serverId, 3_000, 30))));
            script.load(jedis);

            assertEquals(new StreamWorkerScript.Outcome(3, 0, 0, 0), script.apply(jedis, "c", entries));
            // The same entries again - a slow worker and a reclaimer both holding them.
            assertEquals(new StreamWorkerScript.Outcome(0, 3, 0, 0), script.apply(jedis, "c", entries));

            MetricAggregates.Totals totals = MetricAggregates.totals(jedis, serverId);
            assertEquals(3, totals.count());
            assertEquals(60, totals.cpuSum(), 1e-9);
            assertEquals(900, totals.networkInSum(), 1e-9);
            assertEquals(20, totals.cpuAverage(), 1e-9);
            assertEquals(3, MetricAggregates.window(jedis, serverId, 3_000, 1).count());
            assertEquals(0, jedis.xpending(streamKey, StreamFields.GROUP).getTotal());
        }
    }

    @Test
    void anEntryClaimedByAnotherConsumerIsLeftToItsNewOwner(RedisProcess redis) {
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = addAndRead(jedis, List.of(
                    StreamFields.of(metric(serverId, 1_000, 10)), StreamFields.of(metric(serverId, 2_000, 20))));
            // The reclaimer takes the second entry from "c", presumed dead but merely slow.
            jedis.xclaim(streamKey, StreamFields.GROUP, "reclaimer", 0,
                    XClaimParams.xClaimParams(), entries.get(1).getID());
            script.load(jedis);

            assertEquals(new StreamWorkerScript.Outcome(1, 1, 0, 0), script.apply(jedis, "c", entries));
            assertEquals(new StreamWorkerScript.Outcome(1, 0, 0, 0),
                    script.apply(jedis, "reclaimer", entries.subList(1, 2)));
            assertEquals(2, MetricAggregates.totals(jedis, serverId).count());
            assertEquals(0, jedis.xpending(streamKey, StreamFields.GROUP).getTotal());
        }
    }

    @Test
    void aServerWhoseKeyIsBrokenKeepsItsEntriesPendingAndTheOthersGoOn(RedisProcess redis) {
        String broken = "broken-" + id;
        try (Jedis jedis = redis.jedis()) {
            jedis.set(MetricAggregates.totalsKey(broken), "not a hash"); // HINCRBY answers WRONGTYPE
            List<StreamEntry> entries = addAndRead(jedis, List.of(
                    StreamFields.of(metric(serverId, 1_000, 10)), StreamFields.of(metric(broken, 1_000, 10)),
                    StreamFields.of(metric(serverId, 2_000, 20))));
            script.load(jedis);

            assertEquals(new StreamWorkerScript.Outcome(2, 0, 0, 1), script.apply(jedis, "c", entries));
            assertEquals(2, MetricAggregates.totals(jedis, serverId).count());
            var pending = jedis.xpending(streamKey, StreamFields.GROUP);
            assertEquals(1, pending.getTotal());
            assertEquals(entries.get(1).getID(), pending.getMinId());
        }
    }

    @Test
    void theLatestSampleIsTheNewestByTimestampNotByArrival(RedisProcess redis) {
        try (Jedis jedis = redis.jedis()) {
            Metric newer = metric(serverId, 5_000, 55);
            List<StreamEntry> entries = addAndRead(jedis, List.of(
                    StreamFields.of(newer), StreamFields.of(metric(serverId, 4_000, 44))));
            script.load(jedis);
            script.apply(jedis, "c", entries);
            assertEquals(Map.of("timestamp", "5000", "metrics", newer.metricsJson().toString()),
                    jedis.hgetAll(MetricAggregates.latestKey(serverId)));
            assertTrue(jedis.sismember(MetricAggregates.SERVERS_KEY, serverId));
        }
    }

    @Test
    void anEntryThatIsNotAMetricIsAcknowledgedAndSkipped(RedisProcess redis) {
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = addAndRead(jedis, List.of(
                    Map.of("serverId", serverId, "timestamp", "soon", "metrics", "{\"cpu\":1}"),
                    Map.of("serverId", serverId, "timestamp", "1", "metrics", "not json"),
                    StreamFields.of(metric(serverId, 1_000, 10))));
            script.load(jedis);
            assertEquals(new StreamWorkerScript.Outcome(1, 0, 2, 0), script.apply(jedis, "c", entries));
            assertEquals(0, jedis.xpending(streamKey, StreamFields.GROUP).getTotal());
            assertEquals(1, MetricAggregates.totals(jedis, serverId).count());
        }
    }

    @Test
    void aFlushedScriptCacheIsLoadedAgain(RedisProcess redis) {
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = addAndRead(jedis, List.of(StreamFields.of(metric(serverId, 1_000, 10))));
            // Never loaded on this server (or flushed): the first EVALSHA answers NOSCRIPT.
            jedis.scriptFlush();
            assertEquals(new StreamWorkerScript.Outcome(1, 0, 0, 0), script.apply(jedis, "c", entries));
        }
    }

    @Test
    void theNamedLayoutIsTheOneTheScriptReads() {
        // The Java side names the protocol; the script has its own copy of two numbers.
        String script = StreamWorkerScript.SCRIPT;
        assertTrue(script.contains("local FIELDS = " + StreamWorkerScript.ARGS_PER_ENTRY + "\n"));
        assertTrue(script.contains("local HEAD = " + StreamWorkerScript.HEAD_ARGS + "\n"));
        assertTrue(script.contains("(#ARGV - HEAD) / FIELDS"));
    }

    @Test
    void readsTheScriptsReplyByName() {
        byte[] error = "WRONGTYPE".getBytes(StandardCharsets.UTF_8);
        assertEquals(new StreamWorkerScript.Reply(3, 1, 2, "WRONGTYPE"),
                StreamWorkerScript.Reply.of(List.of(3L, 1L, 2L, error)));
    }

    @Test
    void rejectsAReplyOfAnotherShapeSayingWhatCame() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StreamWorkerScript.Reply.of(List.of(3L, 1L)));
        assertEquals("stream-batch.lua answered [3, 1], "
                + "not {applied, no longer pending, failed, first error}", e.getMessage());
    }

    @Test
    void theProcessedMessageIsTheSharedContractsText() {
        Metric metric = new Metric("server-1", 1_764_180_000_000L, 42.5, 61.2, 70.1,
                new Metric.Network(320, 210), Map.of());
        assertEquals("{\"type\":\"metric.processed\",\"entryId\":\"1-0\",\"payload\":{\"serverId\":\"server-1\","
                + "\"timestamp\":1764180000000,\"metrics\":{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,"
                + "\"network\":{\"in\":320,\"out\":210}}}}", StreamWorkerScript.processedMessage("1-0", metric));
    }
}
