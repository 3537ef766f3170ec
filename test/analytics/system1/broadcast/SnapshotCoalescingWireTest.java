package analytics.system1.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Closer;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A herd of snapshot requests - what every dashboard sends when a restarted broadcaster
 * takes them back - costs one read of Redis, not one per dashboard. Redis is held still
 * (CLIENT PAUSE) while the requests arrive, so they all find the first read under way;
 * INFO commandstats then counts the SMEMBERS that really reached Redis. A private
 * redis-server, since a pause would stall every other test's connections too.
 */
class SnapshotCoalescingWireTest {

    private static final int DASHBOARDS = 10;

    @AutoClose
    private final Closer closer = new Closer();

    @Test
    void concurrentSnapshotRequestsShareOneRead() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        RedisProcess redis = closer.add(RedisProcess.startPrivate());
        try (Jedis jedis = redis.jedis()) {
            for (String id : List.of("server-1", "server-2", "server-3")) {
                jedis.sadd(BroadcasterSnapshot.SERVERS_KEY, id);
                jedis.hset(BroadcasterSnapshot.LATEST_KEY_PREFIX + id, Map.of("timestamp", "1764180000000",
                        "metrics", "{\"cpu\":1,\"memory\":2,\"disk\":3,\"network\":{\"in\":4,\"out\":5}}"));
            }
        }
        System1Broadcaster broadcaster = closer.add(System1Broadcaster.start(
                RedisProcess.configAt(redis.host(), redis.port(), "SYSTEM1_WS_PORT", "0")));
        List<JdkWebSocketClient> dashboards = new ArrayList<>();
        for (int i = 0; i < DASHBOARDS; i++) {
            dashboards.add(closer.add(JdkWebSocketClient.connect("ws://127.0.0.1:" + broadcaster.port())));
        }

        try (Jedis jedis = redis.jedis()) {
            jedis.configResetStat();
            jedis.clientPause(1_500); // ALL: the first read's SMEMBERS waits here
        }
        dashboards.forEach(dashboard -> dashboard.send("{\"type\":\"snapshot.request\"}"));

        for (JdkWebSocketClient dashboard : dashboards) {
            JsonObject snapshot = dashboard.next();
            assertEquals("snapshot", snapshot.getString("type", ""));
            assertEquals(3, snapshot.get("payload").asArray().size(), "every dashboard gets every server");
        }
        try (Jedis jedis = redis.jedis()) {
            long reads = smembersCalls(jedis.info("commandstats"));
            assertTrue(reads >= 1 && reads <= 2,
                    DASHBOARDS + " concurrent requests should share one read (two at most), not " + reads);
        }
    }

    /** From INFO commandstats' line "cmdstat_smembers:calls=1,usec=...". */
    private static long smembersCalls(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_smembers:calls=")) {
                return Long.parseLong(line.substring("cmdstat_smembers:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }
}
