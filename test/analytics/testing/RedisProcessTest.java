package analytics.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

@ExtendWith(RedisExtension.class)
class RedisProcessTest {

    @Test
    void sharedServerSpeaksStreamsForReal(RedisProcess redis) {
        String key = "test:" + getClass().getSimpleName() + ":" + System.nanoTime();
        try (Jedis jedis = redis.jedis()) {
            StreamEntryID id = jedis.xadd(key, XAddParams.xAddParams(), Map.of("serverId", "server-1"));
            List<StreamEntry> entries = jedis.xrange(key, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(1, entries.size());
            assertEquals(id, entries.get(0).getID());
            assertEquals("server-1", entries.get(0).getFields().get("serverId"));
            jedis.del(key);
        }
    }

    @Test
    void privateServerStopsWhenClosed() {
        RedisProcess redis = RedisProcess.startPrivate();
        try (Jedis jedis = redis.jedis()) {
            assertEquals("PONG", jedis.ping());
            assertTrue(redis.isRunning());
        }
        redis.close();
        assertFalse(redis.isRunning());
        assertThrows(JedisConnectionException.class, () -> {
            try (Jedis jedis = redis.jedis()) {
                jedis.ping();
            }
        });
    }
}
