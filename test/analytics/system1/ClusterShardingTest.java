package analytics.system1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.ingest.System1Ingest;
import analytics.system1.redis.StreamFields;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import analytics.system1.worker.MetricAggregates;
import analytics.system1.worker.System1Workers;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisClusterProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * System 1 on a real local Redis Cluster (3 masters, 3 replicas) with its stream split in
 * three shards: a POST reaches a dashboard through the shard channels (SSUBSCRIBE), many
 * servers' metrics spread over the shards and are each counted once, and the entries a
 * dead consumer left pending on every shard are reclaimed. One cluster for the class; each
 * test has a stream, a channel and server ids of its own.
 */
class ClusterShardingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static RedisClusterProcess cluster;

    private final String unique = "cl-" + System.nanoTime();

    @BeforeAll
    static void startCluster() {
        Log.setThreshold(Log.Level.ERROR);
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Config config(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("SYSTEM1_REDIS_STREAM_KEY", unique + ":stream",
                "SYSTEM1_REDIS_CHANNEL", unique + ":channel", "SYSTEM1_STREAM_SHARDS", "3"));
        all.addAll(List.of(more));
        return cluster.config(all.toArray(String[]::new));
    }

    static String metric(String serverId, long timestamp, double cpu) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + timestamp
                + ",\"metrics\":{\"cpu\":" + cpu + ",\"memory\":50,\"disk\":70,\"network\":{\"in\":1,\"out\":2}}}";
    }

    static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Entries of the shard's group no worker has read or acknowledged yet. */
    static long unfinished(RedisClusterProcess cluster, StreamShard shard) {
        try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
            for (StreamGroupInfo group : jedis.xinfoGroups(shard.streamKey())) {
                if (group.getName().equals(StreamFields.GROUP)) {
                    Object lag = group.getGroupInfo().get("lag");
                    return group.getPending() + (lag instanceof Long waiting ? waiting : 1);
                }
            }
            return Long.MAX_VALUE; // no group yet
        }
    }

    static long counted(RedisClusterProcess cluster, StreamShard shard, String serverId) {
        try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
            return MetricAggregates.totals(jedis, shard, serverId).count();
        }
    }

    @Test
    void aMetricPostedOnAClusterReachesTheDashboardTheAggregatesAndTheSnapshot() throws Exception {
        Config config = config("SYSTEM1_WORKER_COUNT", "1");
        StreamShards shards = StreamShards.of(config);
        String serverId = unique + "-server";
        StreamShard shard = shards.of(serverId);
        try (System1 system = System1.start(config);
             JdkWebSocketClient dashboard = JdkWebSocketClient.connect("ws://127.0.0.1:" + system.wsPort())) {
            dashboard.send("{\"type\":\"subscribe\",\"serverId\":\"" + serverId + "\"}");
            assertEquals("subscription.ack", dashboard.next().getString("type", ""));

            long now = System.currentTimeMillis();
            HttpResponse<String> accepted = post(system.httpPort(), "/metrics", metric(serverId, now, 42.5));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String entryId = Json.parse(accepted.body()).asObject().getString("id", "");

            JsonObject processed = dashboard.next("metric.processed");
            assertEquals(entryId, processed.getString("entryId", ""));
            assertEquals(Json.parse(metric(serverId, now, 42.5)), processed.get("payload"));
            try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
                assertEquals(1, jedis.xlen(shard.streamKey()), "the entry is in its server's shard");
                assertEquals(Long.toString(now), jedis.hget(shard.latestKey(serverId), "timestamp"));
                assertTrue(jedis.sismember(shard.serversKey(), serverId));
            }
            assertEquals(1, counted(cluster, shard, serverId));

            dashboard.send("{\"type\":\"snapshot.request\"}");
            JsonObject snapshot = dashboard.next("snapshot");
            boolean listed = false;
            for (JsonValue element : snapshot.get("payload").asArray()) {
                listed |= element.asObject().getString("serverId", "").equals(serverId);
            }
            assertTrue(listed, "the snapshot, read shard by shard, lists the server: " + snapshot);
        }
    }

    @Test
    void manyServersMetricsSpreadOverTheShardsAndAreEachCountedOnce() throws Exception {
        int servers = 60;
        int perServer = 20;
        Config config = config("SYSTEM1_WORKER_COUNT", "2");
        StreamShards shards = StreamShards.of(config);
        long start = 1_764_180_000_000L;
        try (System1 system = System1.start(config)) {
            // Batches of 100 metrics of many servers: each batch is split over the shards.
            int sent = 0;
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < perServer; i++) {
                for (int s = 0; s < servers; s++) {
                    batch.append(batch.isEmpty() ? "[" : ",")
                            .append(metric(unique + "-s" + s, start + i, i % 100));
                    if (++sent % 100 == 0) {
                        HttpResponse<String> answer = post(system.httpPort(), "/metrics/batch", batch + "]");
                        assertEquals(202, answer.statusCode(), answer.body());
                        batch.setLength(0);
                    }
                }
            }
            assertEquals(servers * perServer, sent);
            Await.until("every shard's group has read and acknowledged everything", DEADLINE,
                    () -> shards.all().stream().allMatch(shard -> unfinished(cluster, shard) == 0));

            long total = 0;
            Map<Integer, Long> perShard = new java.util.TreeMap<>();
            for (int s = 0; s < servers; s++) {
                String serverId = unique + "-s" + s;
                StreamShard shard = shards.of(serverId);
                assertEquals(perServer, counted(cluster, shard, serverId), serverId);
                try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
                    assertEquals(Long.toString(start + perServer - 1), jedis.hget(shard.latestKey(serverId),
                            "timestamp"), serverId + ": the newest sample is the latest, per-server order kept");
                }
                total += perServer;
                perShard.merge(shard.index(), (long) perServer, Long::sum);
            }
            assertEquals(servers * perServer, total);
            Set<Integer> masters = new HashSet<>();
            for (StreamShard shard : shards.all()) {
                try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
                    assertEquals(perShard.getOrDefault(shard.index(), 0L), jedis.xlen(shard.streamKey()),
                            "stream " + shard.streamKey() + " holds exactly its servers' entries");
                }
                masters.add(cluster.masterOf(shard.streamKey()));
            }
            assertEquals(3, perShard.size(), "all three shards got entries: " + perShard);
            System.out.println("[cluster] " + total + " metrics of " + servers + " servers, entries per shard "
                    + perShard + ", on " + masters.size() + " of 3 masters");
        }
    }

    @Test
    void entriesADeadConsumerLeftPendingOnEveryShardAreReclaimedAndCountedOnce() throws Exception {
        int servers = 30;
        Config config = config("SYSTEM1_WORKER_COUNT", "1", "SYSTEM1_CLAIM_IDLE_MS", "200");
        StreamShards shards = StreamShards.of(config);
        long start = 1_764_180_000_000L;
        try (System1Ingest ingest = System1Ingest.start(config)) {
            for (int s = 0; s < servers; s++) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> answer = post(ingest.port(), "/metrics", metric(unique + "-k" + s, start + i, 10));
                    assertEquals(202, answer.statusCode(), answer.body());
                }
            }
        }
        // A consumer takes everything on every shard and dies without acknowledging.
        long left = 0;
        for (StreamShard shard : shards.all()) {
            try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
                jedis.xgroupCreate(shard.streamKey(), StreamFields.GROUP, new StreamEntryID(0, 0), true);
                jedis.xreadGroup(StreamFields.GROUP, "dead-consumer", XReadGroupParams.xReadGroupParams().count(1_000),
                        Map.of(shard.streamKey(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                long pending = jedis.xpending(shard.streamKey(), StreamFields.GROUP).getTotal();
                assertTrue(pending > 0, shard.streamKey() + " has entries pending for the dead consumer");
                left += pending;
            }
        }
        assertEquals(servers * 4, left);
        try (System1Workers pool = System1Workers.start(config)) {
            long expected = left;
            Await.until("every shard's reclaimer took over the dead consumer's entries", DEADLINE,
                    () -> pool.reclaimed() == expected
                            && shards.all().stream().allMatch(shard -> unfinished(cluster, shard) == 0));
        }
        for (int s = 0; s < servers; s++) {
            String serverId = unique + "-k" + s;
            assertEquals(4, counted(cluster, shards.of(serverId), serverId), serverId);
        }
    }
}
