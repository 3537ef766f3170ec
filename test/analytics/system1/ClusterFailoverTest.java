package analytics.system1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.broadcast.System1Broadcaster;
import analytics.system1.ingest.System1Ingest;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import analytics.system1.worker.MetricAggregates;
import analytics.system1.worker.System1Workers;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisClusterProcess;
import com.eclipsesource.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A master of a real Redis Cluster killed with SIGKILL while ingest takes metrics: its
 * replica takes over after the node timeout (2 s here), ingest answers 503 meanwhile -
 * never 500 - and 202 again once it has reconnected to the new master; the broadcaster's
 * shard subscription follows the slot to the new master; the workers drain every shard and
 * count every entry in the streams exactly once.
 *
 * What the 202s were worth is measured, not assumed. Redis replicates asynchronously: a
 * write the master acknowledged and died before sending on is gone. The first test counts
 * such lost 202s and prints them; the second sets SYSTEM1_REDIS_WAIT_REPLICAS=1, so ingest
 * answers 202 only after WAIT saw the replica take it, and then no 202 may be lost.
 */
class ClusterFailoverTest {

    private static final int LOADERS = 4;
    private static final int SERVERS = 30;
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    /** One answer of ingest. */
    private record Answer(String serverId, int status, String entryId, long at) {
    }

    private final String unique = "fo-" + System.nanoTime();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicLong clock = new AtomicLong(1_764_180_000_000L);

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    @Test
    void aKilledMasterFailsOverIngestAnswers503MeanwhileAndTheLostAcknowledgedWritesAreCounted()
            throws Exception {
        Figures figures = killAMasterUnderLoad("0", false);
        // Without WAIT the loss is what it is: measured and said, never hidden.
        System.out.println("[failover, WAIT off] " + figures);
    }

    @Test
    void withWaitForOneReplicaNoAcknowledgedWriteIsLostInAFailover() throws Exception {
        Figures figures = killAMasterUnderLoad("1", true);
        System.out.println("[failover, SYSTEM1_REDIS_WAIT_REPLICAS=1] " + figures);
        assertEquals(0, figures.lost(), "every 202 survived the failover: " + figures);
    }

    @Test
    void aReplicaBehindItsMasterWhenTheMasterDiesLosesAcknowledgedWrites() throws Exception {
        LagFigures figures = killTheMasterOfALaggingReplica("0");
        System.out.println("[replica behind, WAIT off] " + figures);
        assertTrue(figures.accepted() > 0, "some batches were acknowledged: " + figures);
    }

    @Test
    void withWaitNothingAcknowledgedIsLostWhenTheReplicaWasBehind() throws Exception {
        LagFigures figures = killTheMasterOfALaggingReplica("1");
        System.out.println("[replica behind, SYSTEM1_REDIS_WAIT_REPLICAS=1] " + figures);
        assertTrue(figures.accepted() > 0, "some batches were acknowledged: " + figures);
        assertEquals(0, figures.lost(), "WAIT answered 503 for what the replica did not have: " + figures);
    }

    /** Metrics acknowledged (202) in all, while the replica was frozen, and missing afterwards. */
    record LagFigures(long accepted, long acceptedWhileFrozen, long refusedWhileFrozen, long lost) {
        @Override
        public String toString() {
            return accepted + " metrics answered 202, " + acceptedWhileFrozen + " of them while the replica was"
                    + " frozen (" + refusedWhileFrozen + " answered 503 then); after the failover " + lost
                    + " acknowledged metrics are missing from the stream";
        }
    }

    /** One batch POST: its metrics' timestamps (unique), its status, when it was answered. */
    private record BatchAnswer(List<Long> timestamps, int status, long at) {
    }

    /**
     * The replica of shard {0}'s master is frozen (SIGSTOP) while batches keep coming, so it
     * falls behind by more than the sockets between them can hold; then the master is killed
     * and the replica thawed and promoted, without what it never received.
     */
    private LagFigures killTheMasterOfALaggingReplica(String waitReplicas) throws Exception {
        ConcurrentLinkedQueue<BatchAnswer> batches = new ConcurrentLinkedQueue<>();
        try (RedisClusterProcess cluster = RedisClusterProcess.start()) {
            Config config = cluster.config("SYSTEM1_REDIS_STREAM_KEY", unique + ":stream",
                    "SYSTEM1_REDIS_CHANNEL", unique + ":channel", "SYSTEM1_STREAM_SHARDS", "3",
                    "SYSTEM1_REDIS_WAIT_REPLICAS", waitReplicas);
            StreamShards shards = StreamShards.of(config);
            StreamShard target = shards.all().get(0);
            List<String> servers = new ArrayList<>();
            for (int i = 0; servers.size() < 10; i++) {
                String id = serverOf(shards, target, unique + "-lag" + i);
                if (!servers.contains(id)) {
                    servers.add(id);
                }
            }
            int master = cluster.masterOf(target.streamKey());
            int replica = cluster.replicaOf(master);
            long frozenAt;
            long thawedAt;
            try (System1Ingest ingest = System1Ingest.start(config)) {
                List<Thread> loaders = new ArrayList<>();
                for (int i = 0; i < LOADERS; i++) {
                    loaders.add(Thread.ofVirtual().start(() -> loadBatches(ingest.port(), servers, batches)));
                }
                try {
                    Await.until("some batches acknowledged", RECOVERY,
                            () -> batches.stream().filter(b -> b.status() == 202).count() >= 10);
                    frozenAt = System.nanoTime();
                    cluster.signal(replica, "STOP");
                    try {
                        // Behind by more than the sockets hold: many MB, or 4 s of WAIT refusing.
                        Await.until("the master took many writes the replica did not read", RECOVERY,
                                () -> metricsAfter(batches, frozenAt) >= FROZEN_METRICS
                                        || System.nanoTime() - frozenAt > FROZEN_AT_MOST.toNanos());
                        cluster.kill(master);
                    } finally {
                        cluster.signal(replica, "CONT");
                    }
                    thawedAt = System.nanoTime();
                    Await.until("the lagging replica was promoted", RECOVERY,
                            () -> cluster.masterNow(target.streamKey()).orElse(master) != master);
                } finally {
                    loading.set(false);
                    for (Thread loader : loaders) {
                        loader.join();
                    }
                }
            }
            Set<Long> present = new HashSet<>();
            try (Jedis jedis = cluster.jedisFor(target.streamKey())) {
                StreamEntryID from = new StreamEntryID(0, 0);
                while (true) {
                    List<StreamEntry> page = jedis.xrange(target.streamKey(), from, new StreamEntryID(Long.MAX_VALUE, Long.MAX_VALUE), 10_000);
                    page.forEach(entry -> present.add(Long.parseLong(entry.getFields().get("timestamp"))));
                    if (page.size() < 10_000) {
                        break;
                    }
                    StreamEntryID last = page.get(page.size() - 1).getID();
                    from = new StreamEntryID(last.getTime(), last.getSequence() + 1);
                }
            }
            long accepted = 0;
            long acceptedFrozen = 0;
            long refusedFrozen = 0;
            long lost = 0;
            for (BatchAnswer batch : batches) {
                boolean frozen = batch.at() > frozenAt && batch.at() < thawedAt;
                if (batch.status() == 202) {
                    accepted += batch.timestamps().size();
                    acceptedFrozen += frozen ? batch.timestamps().size() : 0;
                    lost += batch.timestamps().stream().filter(ts -> !present.contains(ts)).count();
                } else {
                    assertTrue(batch.status() == 503, "202 or 503, never " + batch.status());
                    refusedFrozen += frozen ? batch.timestamps().size() : 0;
                }
            }
            return new LagFigures(accepted, acceptedFrozen, refusedFrozen, lost);
        }
    }

    /** Metrics per batch, and extra numbers per metric: about 1 KB an entry, so MBs pile up fast. */
    private static final int BATCH = 50;
    private static final int EXTRA_FIELDS = 40;
    private static final long FROZEN_METRICS = 40_000;
    private static final Duration FROZEN_AT_MOST = Duration.ofSeconds(4);

    private void loadBatches(int port, List<String> servers, ConcurrentLinkedQueue<BatchAnswer> batches) {
        StringBuilder extras = new StringBuilder();
        for (int f = 0; f < EXTRA_FIELDS; f++) {
            extras.append(",\"extra").append(f).append("\":").append(1_000_000 + f);
        }
        int n = 0;
        while (loading.get()) {
            List<Long> timestamps = new ArrayList<>(BATCH);
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < BATCH; i++) {
                long timestamp = clock.incrementAndGet();
                timestamps.add(timestamp);
                String metric = ClusterShardingTest.metric(servers.get(n++ % servers.size()), timestamp, 10);
                body.append(i == 0 ? "" : ",").append(metric, 0, metric.length() - 2).append(extras).append("}}");
            }
            int status;
            try {
                status = ClusterShardingTest.post(port, "/metrics/batch", body + "]").statusCode();
            } catch (Exception e) {
                status = -1;
            }
            batches.add(new BatchAnswer(timestamps, status, System.nanoTime()));
        }
    }

    private static long metricsAfter(ConcurrentLinkedQueue<BatchAnswer> batches, long after) {
        return batches.stream().filter(b -> b.at() > after).mapToLong(b -> b.timestamps().size()).sum();
    }

    /** What one failover cost. */
    record Figures(long accepted, long refused, long lost, long firstRefusalMs, long refusingMs,
                   long entries, long counted) {
        @Override
        public String toString() {
            return accepted + " answered 202, " + refused + " answered 503 (from " + firstRefusalMs
                    + " ms after the kill, for " + refusingMs + " ms); 202s lost: " + lost
                    + String.format(" (%.3f%%)", 100.0 * lost / Math.max(accepted, 1))
                    + "; entries in the streams " + entries + ", counted by the workers " + counted;
        }
    }

    private Figures killAMasterUnderLoad(String waitReplicas, boolean restartVictim) throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start()) {
            Config config = cluster.config("SYSTEM1_REDIS_STREAM_KEY", unique + ":stream",
                    "SYSTEM1_REDIS_CHANNEL", unique + ":channel", "SYSTEM1_STREAM_SHARDS", "3",
                    "SYSTEM1_WORKER_COUNT", "2", "SYSTEM1_CLAIM_IDLE_MS", "1000",
                    "SYSTEM1_REDIS_WAIT_REPLICAS", waitReplicas);
            StreamShards shards = StreamShards.of(config);
            StreamShard target = shards.all().get(0);
            int victim = cluster.masterOf(target.streamKey());
            long killedAt;
            String watched = serverOf(shards, target, unique + "-watched");
            try (System1Ingest ingest = System1Ingest.start(config);
                 System1Workers workers = System1Workers.start(config);
                 System1Broadcaster broadcaster = System1Broadcaster.start(config);
                 JdkWebSocketClient dashboard = JdkWebSocketClient.connect("ws://127.0.0.1:" + broadcaster.port())) {
                dashboard.send("{\"type\":\"subscribe\",\"serverId\":\"" + watched + "\"}");
                assertEquals("subscription.ack", dashboard.next().getString("type", ""));
                List<Thread> loaders = new ArrayList<>();
                for (int i = 0; i < LOADERS; i++) {
                    int loader = i;
                    loaders.add(Thread.ofVirtual().start(() -> load(ingest.port(), loader)));
                }
                try {
                    Await.until("some metrics accepted before the kill", RECOVERY, () -> accepted(target, shards, 0) >= 200);
                    killedAt = System.nanoTime();
                    cluster.kill(victim);
                    Await.until("ingest answers 503 for the dead master's shard", RECOVERY,
                            () -> refused(target, shards, killedAt) > 0);
                    Await.until("the replica was promoted", RECOVERY,
                            () -> cluster.masterNow(target.streamKey()).orElse(victim) != victim);
                    if (restartVictim) {
                        cluster.restart(victim); // back as a replica, so WAIT can be satisfied again
                    }
                    long lastRefusal = lastRefusal(target, shards);
                    Await.until("ingest answers 202 for that shard again", RECOVERY,
                            () -> accepted(target, shards, lastRefusal) >= 100);
                } finally {
                    loading.set(false);
                    for (Thread loader : loaders) {
                        loader.join();
                    }
                }
                for (Answer answer : answers) {
                    assertTrue(answer.status() == 202 || answer.status() == 503,
                            "ingest answers 202 or 503 through a failover, never " + answer.status());
                }
                // The broadcaster's shard subscription went down with the master and is back
                // on the new one: a metric of the dead master's shard reaches the dashboard.
                Await.until("the broadcaster subscribed again", RECOVERY, () -> broadcaster.redisDownReason() == null);
                HttpResponse<String> after = ClusterShardingTest.post(ingest.port(), "/metrics",
                        ClusterShardingTest.metric(watched, clock.incrementAndGet(), 99));
                assertEquals(202, after.statusCode(), after.body());
                String afterId = Json.parse(after.body()).asObject().getString("id", "");
                answers.add(new Answer(watched, 202, afterId, System.nanoTime())); // counted like the rest
                assertEquals(afterId,
                        dashboard.next("metric.processed").getString("entryId", ""),
                        "after the failover a metric of that shard reaches the dashboard");
                Await.until("the workers drained every shard", RECOVERY,
                        () -> shards.all().stream().allMatch(shard -> ClusterShardingTest.unfinished(cluster, shard) == 0));
                assertTrue(workers.processed() > 0, "the workers processed entries");
            }
            return figures(cluster, shards, target, killedAt);
        }
    }

    /** A server id of the given shard: {@code prefix}-0, -1, ... the first that hashes there. */
    private static String serverOf(StreamShards shards, StreamShard shard, String prefix) {
        for (int i = 0; i < 1_000; i++) {
            if (shards.of(prefix + "-" + i).equals(shard)) {
                return prefix + "-" + i;
            }
        }
        throw new IllegalStateException("no server id of " + shard.tag() + " among 1,000");
    }

    /** One loader: POSTs one metric after another, each answer recorded, until told to stop. */
    private void load(int port, int loader) {
        int n = 0;
        while (loading.get()) {
            String serverId = unique + "-" + (loader + LOADERS * (n++ % (SERVERS / LOADERS + 1)));
            int status;
            String id = "";
            try {
                HttpResponse<String> answer = ClusterShardingTest.post(port, "/metrics",
                        ClusterShardingTest.metric(serverId, clock.incrementAndGet(), 10));
                status = answer.statusCode();
                if (status == 202) {
                    id = Json.parse(answer.body()).asObject().getString("id", "");
                }
            } catch (Exception e) {
                status = -1; // no answer at all: as bad as a 500
            }
            answers.add(new Answer(serverId, status, id, System.nanoTime()));
        }
    }

    private long accepted(StreamShard shard, StreamShards shards, long after) {
        return answers.stream().filter(a -> a.status() == 202 && a.at() > after
                && shards.of(a.serverId()).equals(shard)).count();
    }

    private long refused(StreamShard shard, StreamShards shards, long after) {
        return answers.stream().filter(a -> a.status() == 503 && a.at() > after
                && shards.of(a.serverId()).equals(shard)).count();
    }

    private long lastRefusal(StreamShard shard, StreamShards shards) {
        return answers.stream().filter(a -> a.status() == 503 && shards.of(a.serverId()).equals(shard))
                .mapToLong(Answer::at).max().orElse(0);
    }

    /**
     * Lost: a 202's entry id missing from its shard's stream. Counted once: per shard, the
     * workers' counts of its servers add up to the entries in its stream - the 202s and
     * the 503s that were written after all ("perhaps written"), each counted once.
     */
    private Figures figures(RedisClusterProcess cluster, StreamShards shards, StreamShard target, long killedAt) {
        Map<StreamShard, List<Answer>> byShard = new HashMap<>();
        for (Answer answer : answers) {
            byShard.computeIfAbsent(shards.of(answer.serverId()), shard -> new ArrayList<>()).add(answer);
        }
        long lost = 0;
        long entries = 0;
        long counted = 0;
        for (StreamShard shard : shards.all()) {
            List<Answer> mine = byShard.getOrDefault(shard, List.of());
            try (Jedis jedis = cluster.jedisFor(shard.streamKey())) {
                Pipeline pipeline = jedis.pipelined();
                List<Response<List<StreamEntry>>> found = new ArrayList<>();
                for (Answer answer : mine) {
                    if (answer.status() == 202) {
                        StreamEntryID id = new StreamEntryID(answer.entryId());
                        found.add(pipeline.xrange(shard.streamKey(), id, id));
                    }
                }
                pipeline.sync();
                lost += found.stream().filter(reply -> reply.get().isEmpty()).count();
                long inStream = jedis.xlen(shard.streamKey());
                long countedHere = mine.stream().map(Answer::serverId).distinct()
                        .mapToLong(id -> MetricAggregates.totals(jedis, shard, id).count()).sum();
                assertEquals(inStream, countedHere, shard.streamKey() + ": every entry counted exactly once");
                entries += inStream;
                counted += countedHere;
            }
        }
        List<Answer> refusals = answers.stream()
                .filter(a -> a.status() == 503 && shards.of(a.serverId()).equals(target)).toList();
        long first = refusals.stream().mapToLong(Answer::at).min().orElse(killedAt);
        long last = refusals.stream().mapToLong(Answer::at).max().orElse(killedAt);
        long accepted = answers.stream().filter(a -> a.status() == 202).count();
        long refused = answers.stream().filter(a -> a.status() == 503).count();
        return new Figures(accepted, refused, lost, (first - killedAt) / 1_000_000, (last - first) / 1_000_000,
                entries, counted);
    }
}
