package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.sender.SenderOptions;
import analytics.sender.Senders;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.FreePorts;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import analytics.testing.System2Fleet;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three shards bridged through a real Redis, fed by the project's own senders routing 240
 * servers: a dashboard on any shard sees the whole fleet, each shard still holds only its
 * own servers, and a stopped shard's servers fall silent while the others go on.
 */
@ExtendWith(RedisExtension.class)
class System2BridgeTest {

    private static final int SERVERS = 240;

    @AutoClose
    private final Closer closer = new Closer();

    /** Its own channel: the tests of a run share one Redis. */
    private System2Fleet bridgedFleet(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        return closer.add(new System2Fleet(3, "SYSTEM2_AGG_WINDOW_MS", "60000",
                "SYSTEM2_BRIDGE_REDIS_URL", "redis://" + redis.host() + ":" + redis.port(),
                "SYSTEM2_BRIDGE_CHANNEL", "test:bridge:" + UUID.randomUUID()));
    }

    private Senders senders(System2Fleet fleet) throws InterruptedException {
        Config.FakeServers fake = Config.from(Map.of("FAKE_SERVER_INTERVAL_MS", "200", "FAKE_JITTER_MS", "20",
                "FAKE_SYSTEM2_SHARDS", fleet.shardList())).fakeServers();
        return closer.add(Senders.start(SenderOptions.parse(
                new String[] {"--mode", "ws", "--count", String.valueOf(SERVERS)}, fake)));
    }

    private JdkWebSocketClient dashboard(System2Fleet fleet, int shard) {
        JdkWebSocketClient dashboard = closer.add(JdkWebSocketClient.connect(fleet.uri(shard)));
        dashboard.send("{\"type\":\"register\",\"role\":\"dashboard\"}");
        dashboard.next("register.ack");
        return dashboard;
    }

    /**
     * The metric.updates a dashboard receives - each server's newest payload timestamp - until
     * {@code enough} holds or {@code deadline} passes: generous, because the machine may be
     * shared and slow, and it returns as soon as the answer is in.
     */
    private static Map<String, Long> updatesUntil(JdkWebSocketClient dashboard, Duration deadline,
                                                  Predicate<Map<String, Long>> enough) {
        Map<String, Long> newest = new TreeMap<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (!enough.test(newest) && System.nanoTime() < end) {
            String text;
            try {
                text = dashboard.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (text == null) {
                break;
            }
            JsonObject message = Json.parse(text).asObject();
            if (message.getString("type", "").equals("metric.update")) {
                JsonObject payload = message.get("payload").asObject();
                newest.merge(payload.getString("serverId", ""), payload.getLong("timestamp", -1), Math::max);
            }
        }
        return newest;
    }

    private static Map<String, Long> updatesUntilAllOf(JdkWebSocketClient dashboard, Set<String> servers) {
        return updatesUntil(dashboard, Duration.ofSeconds(20), seen -> seen.keySet().containsAll(servers));
    }

    private static Set<String> allServers() {
        Set<String> ids = new TreeSet<>();
        for (int i = 1; i <= SERVERS; i++) {
            ids.add("server-" + i);
        }
        return ids;
    }

    @Test
    void aDashboardOnAnyShardSeesEveryServerWhileEachShardHoldsOnlyItsOwn(RedisProcess redis) throws Exception {
        System2Fleet fleet = bridgedFleet(redis);
        JdkWebSocketClient onLast = dashboard(fleet, 2);
        senders(fleet);

        // Each server sends every 200 ms: a moment shows every one of them.
        assertEquals(allServers(), updatesUntilAllOf(onLast, allServers()).keySet());
        assertEquals(allServers(), fleet.snapshot(0).keySet(), "a snapshot on any shard is the whole fleet");
        for (int shard = 0; shard < 3; shard++) {
            int owned = fleet.owned(shard, 1, SERVERS).size();
            JsonObject stats = fleet.stats(shard);
            assertEquals(owned, stats.getInt("servers", -1), "shard " + shard + " aggregates its own only");
            JsonObject bridge = stats.get("bridge").asObject();
            assertEquals("ready", bridge.getString("redis", ""));
            assertEquals(SERVERS - owned, bridge.getInt("remoteServers", -1));
            assertEquals(0, bridge.getLong("lostTotal", -1));
        }
    }

    /**
     * Shard 1 stopped: a dashboard on shard 0 keeps receiving shards 0 and 2's servers and
     * nothing new of shard 1's (an update still in flight carries a metric made before the
     * stop); their last aggregates stay in shard 0's snapshot, frozen, until
     * SYSTEM2_IDLE_EVICT_MS. Shard 1 back, they flow again.
     */
    @Test
    void aStoppedShardsServersFallSilentWhileTheOthersFlow(RedisProcess redis) throws Exception {
        System2Fleet fleet = bridgedFleet(redis);
        Log.setThreshold(Log.Level.ERROR); // the senders' warnings about shard 1 are expected
        JdkWebSocketClient onFirst = dashboard(fleet, 0);
        senders(fleet);
        assertEquals(allServers(), updatesUntilAllOf(onFirst, allServers()).keySet());
        Set<String> ofStopped = fleet.owned(1, 1, SERVERS);
        Set<String> survivors = new TreeSet<>(allServers());
        survivors.removeAll(ofStopped);

        fleet.stop(1);
        long stoppedAt = System.currentTimeMillis();
        String frozen = ofStopped.iterator().next();
        long frozenAt = fleet.snapshot(0).get(frozen).getLong("timestamp", -1);
        // Updates made from here on: every survivor, fresh, and nothing newer than the stop.
        Map<String, Long> afterStop = updatesUntil(onFirst, Duration.ofSeconds(20), seen -> survivors.stream()
                .allMatch(id -> seen.getOrDefault(id, 0L) > stoppedAt + 500));
        for (String id : survivors) {
            assertTrue(afterStop.getOrDefault(id, 0L) > stoppedAt + 500, id + " still reported after the stop");
        }
        for (String id : ofStopped) {
            assertTrue(afterStop.getOrDefault(id, 0L) <= stoppedAt, id + " has a metric made after its shard died");
        }
        assertEquals(frozenAt, fleet.snapshot(0).get(frozen).getLong("timestamp", -1),
                "its last aggregate stays in the snapshot, frozen");

        fleet.restart(1);
        long restartedAt = System.currentTimeMillis();
        Map<String, Long> afterRestart = updatesUntil(onFirst, Duration.ofSeconds(20), seen -> ofStopped.stream()
                .allMatch(id -> seen.getOrDefault(id, 0L) > restartedAt));
        for (String id : ofStopped) {
            assertTrue(afterRestart.getOrDefault(id, 0L) > restartedAt, id + " flows again");
        }
    }

    /** Tick dashboards conflate the other shards' servers with their own shard's, one frame a tick. */
    @Test
    void aTickDashboardOnAnyShardGetsTheWholeFleetInItsTicks(RedisProcess redis) throws Exception {
        System2Fleet fleet = bridgedFleet(redis);
        JdkWebSocketClient ticks = closer.add(JdkWebSocketClient.connect(fleet.uri(1)));
        ticks.send("{\"type\":\"register\",\"role\":\"dashboard\",\"mode\":\"tick\",\"intervalMs\":250}");
        ticks.next("register.ack");
        senders(fleet);
        Set<String> seen = new TreeSet<>();
        Await.until("every server in some tick", Duration.ofSeconds(20), () -> {
            JsonObject tick = ticks.next("tick");
            tick.get("payload").asArray().forEach(item -> seen.add(item.asObject().getString("serverId", "")));
            return seen.equals(allServers());
        });
    }

    /**
     * Redis stopped and started again under two shards: meanwhile each serves its own and what
     * it could not publish is counted lost, not sent late; then the subscriptions come back
     * by themselves and the next metric crosses again.
     */
    @Test
    void theBridgeComesBackWhenRedisDoes() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        RedisProcess first = RedisProcess.startPrivate();
        int port = first.port();
        closer.add(first);
        System2Fleet fleet = closer.add(new System2Fleet(2,
                "SYSTEM2_BRIDGE_REDIS_URL", "redis://127.0.0.1:" + port));
        JdkWebSocketClient onOwner = dashboard(fleet, 0);
        JdkWebSocketClient onOther = dashboard(fleet, 1);
        JdkWebSocketClient producer = closer.add(JdkWebSocketClient.connect(fleet.uri(0)));

        producer.send(metric("before"));
        assertEquals("before", onOther.next("metric.update").get("payload").asObject().getString("serverId", ""));

        first.close();
        Await.until("both shards see Redis gone", Duration.ofSeconds(10), () -> !bridge(fleet, 0).equals("ready")
                && !bridge(fleet, 1).equals("ready"));
        producer.send(metric("during"));
        assertTrue(updatesUntil(onOwner, Duration.ofSeconds(5), seen -> seen.containsKey("during"))
                .containsKey("during"), "the owner's dashboards never depended on Redis");
        Await.until("what could not be published is counted lost", Duration.ofSeconds(10),
                () -> fleet.stats(0).get("bridge").asObject().getLong("lostTotal", 0) >= 1);

        closer.add(RedisProcess.startPrivateOn(port));
        Await.until("a metric crosses again", Duration.ofSeconds(20), () -> {
            producer.send(metric("after"));
            return updatesUntil(onOther, Duration.ofMillis(300), seen -> seen.containsKey("after"))
                    .containsKey("after");
        });
        Set<String> heardOnOther = fleet.snapshot(1).keySet();
        assertTrue(heardOnOther.containsAll(Set.of("before", "after")), heardOnOther.toString());
        assertFalse(heardOnOther.contains("during"), "pub/sub is at most once: what Redis missed stays missed");
    }

    private static String bridge(System2Fleet fleet, int shard) {
        return fleet.stats(shard).get("bridge").asObject().getString("redis", "");
    }

    private static String metric(String serverId) {
        return "{\"type\":\"metric\",\"serverId\":\"" + serverId + "\",\"timestamp\":"
                + System.currentTimeMillis() + ",\"metrics\":{\"cpu\":1,\"memory\":2,\"disk\":3}}";
    }

    /** Without Redis a bridged shard is a shard alone: it takes metrics and serves its dashboards. */
    @Test
    void aShardWhoseRedisIsDownStillServesItsOwnServers() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        int closedPort = FreePorts.any();
        System2Fleet fleet = closer.add(new System2Fleet(1,
                "SYSTEM2_BRIDGE_REDIS_URL", "redis://127.0.0.1:" + closedPort));
        JdkWebSocketClient dashboard = dashboard(fleet, 0);
        try (JdkWebSocketClient producer = JdkWebSocketClient.connect(fleet.uri(0))) {
            producer.send("{\"type\":\"metric\",\"serverId\":\"alone-1\",\"timestamp\":" + System.currentTimeMillis()
                    + ",\"metrics\":{\"cpu\":1,\"memory\":2,\"disk\":3}}");
            assertEquals("alone-1", producer.next("metric.ack").getString("serverId", ""));
        }
        assertEquals("alone-1", dashboard.next("metric.update").get("payload").asObject().getString("serverId", ""));
        JsonObject bridge = fleet.stats(0).get("bridge").asObject();
        assertTrue(bridge.getString("redis", "").startsWith("cannot reach Redis at 127.0.0.1:" + closedPort),
                bridge.toString());
    }

    /** Unset, nothing of the bridge shows: the instance is exactly the System 2 of lesson 09. */
    @Test
    void anInstanceWithoutTheSettingHasNoBridge() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        System2Fleet alone = closer.add(new System2Fleet(1));
        assertNull(alone.stats(0).get("bridge"));
        assertFalse(Config.from(Map.of()).system2().bridged());
    }
}
