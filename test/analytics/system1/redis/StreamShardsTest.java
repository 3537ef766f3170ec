package analytics.system1.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.model.ServerShards;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Which shard a server has, and the names of a shard's keys: the part a cluster cares about. */
class StreamShardsTest {

    private static Config config(String... variables) {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i + 1 < variables.length; i += 2) {
            all.put(variables[i], variables[i + 1]);
        }
        return Config.from(all);
    }

    @Test
    void oneShardOnOneRedisKeepsTheOriginalNames() {
        StreamShards shards = StreamShards.of(config());
        assertEquals(1, shards.count());
        StreamShard shard = shards.of("web-1");
        assertEquals("metrics:stream", shard.streamKey());
        assertEquals("metrics:pubsub", shard.channel());
        assertEquals("metrics:servers", shard.serversKey());
        assertEquals("metrics:latest:web-1", shard.latestKey("web-1"));
        assertEquals("metrics:agg:web-1", shard.totalsKey("web-1"));
        assertEquals("metrics:agg:web-1:1764180000000", shard.bucketKey("web-1", 1_764_180_012_345L));
        assertFalse(shard.shardedPubSub(), "PUBLISH and SUBSCRIBE, as before");
    }

    @Test
    void everyKeyTheBatchScriptTouchesSharesItsShardsSlot() {
        StreamShards shards = StreamShards.of(config("SYSTEM1_STREAM_SHARDS", "4"));
        for (String serverId : List.of("web-1", "db-{7}", "a:b", "\u00e9t\u00e9")) {
            StreamShard shard = shards.of(serverId);
            int slot = JedisClusterCRC16.getSlot(shard.streamKey());
            for (String key : List.of(shard.serversKey(), shard.latestKey(serverId), shard.totalsKey(serverId),
                    shard.bucketKey(serverId, 1_764_180_000_000L), shard.channel())) {
                assertEquals(slot, JedisClusterCRC16.getSlot(key), key + " is in the slot of " + shard.streamKey());
            }
            assertTrue(shard.shardedPubSub());
        }
        assertEquals("metrics:latest:{2}:db-{7}", StreamShard.tagged(2, "metrics:stream", "metrics:pubsub")
                .latestKey("db-{7}"), "the shard's tag comes first: a server id's own braces do not count");
    }

    @Test
    void aClusterTagsTheNamesEvenWithOneShard() {
        StreamShards shards = StreamShards.of(config("SYSTEM1_REDIS_CLUSTER", "127.0.0.1:7000"));
        assertEquals("metrics:stream:{0}", shards.of("web-1").streamKey());
        assertEquals("metrics:pubsub:{0}", shards.of("web-1").channel());
    }

    @Test
    void aServerAlwaysGoesToTheSameShardAndServersSpreadOverAll() {
        StreamShards shards = StreamShards.of(config("SYSTEM1_STREAM_SHARDS", "3"));
        // CRC-32 is fixed by its standard: these stay true in every process, on every JVM.
        assertEquals(ServerShards.ownerOf("server-1", 3), shards.of("server-1").index());
        assertEquals(shards.of("server-1"), StreamShards.of(config("SYSTEM1_STREAM_SHARDS", "3")).of("server-1"));
        Set<Integer> used = IntStream.rangeClosed(1, 30)
                .mapToObj(i -> shards.of("server-" + i).index()).collect(Collectors.toSet());
        assertEquals(Set.of(0, 1, 2), used);
    }

    @Test
    void rejectsAClusterNodeWithoutAPortSayingWhatIsExpected() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> config("SYSTEM1_REDIS_CLUSTER", "127.0.0.1:7000,redis-b"));
        assertEquals("SYSTEM1_REDIS_CLUSTER must be a comma-separated list of host:port (ports 1-65535),"
                + " got \"127.0.0.1:7000,redis-b\"", error.getMessage());
        assertThrows(ConfigException.class, () -> config("SYSTEM1_REDIS_CLUSTER", "127.0.0.1:70000"));
    }

    @Test
    void rejectsADatabaseOtherThanZeroOnACluster() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> config("SYSTEM1_REDIS_CLUSTER", "127.0.0.1:7000", "SYSTEM1_REDIS_DB", "3"));
        assertTrue(error.getMessage().contains("database 0 only"), error.getMessage());
    }

    @Test
    void rejectsAShardCountOutOfRange() {
        assertThrows(ConfigException.class, () -> config("SYSTEM1_STREAM_SHARDS", "0"));
        assertThrows(ConfigException.class, () -> config("SYSTEM1_STREAM_SHARDS", "257"));
        assertThrows(ConfigException.class, () -> config("SYSTEM1_REDIS_WAIT_REPLICAS", "-1"));
    }
}
