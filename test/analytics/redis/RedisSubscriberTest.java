package analytics.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The subscriber on a shard channel (SSUBSCRIBE, which a single Redis 7 serves too) against
 * a real redis-server: a channel silent past the limit is subscribed afresh without counting
 * a reconnect, and a connection Redis kills is counted once. The silence limit is 300 ms
 * in the first test instead of 15 s.
 */
@ExtendWith(RedisExtension.class)
class RedisSubscriberTest {

    private static final Duration SILENCE = Duration.ofMillis(300);

    @AutoClose
    private final Closer closer = new Closer();
    private final String channel = "test:subscriber:" + System.nanoTime();
    private final String clientName = "subscriber-test-" + System.nanoTime();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    private RedisSubscriber start(RedisProcess redis, Duration silenceLimit) throws InterruptedException {
        RedisSubscriber subscriber = new RedisSubscriber(
                new RedisConnector(redis.config().redis(), clientName), channel, true, clientName,
                new RedisSubscriber.Wording("test subscription lost", "test subscription back"),
                received::add, silenceLimit);
        closer.add(subscriber);
        subscriber.start(Duration.ofSeconds(5));
        return subscriber;
    }

    /** The ids of our subscriber's connections that Redis lists now (one, between re-subscribes). */
    private List<String> ourClientIds(Jedis jedis) {
        return Arrays.stream(jedis.clientList().split("\n"))
                .filter(line -> line.contains(" name=" + clientName + " "))
                .map(line -> line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id="))))
                .toList();
    }

    /** Publishes until the subscriber has the message: a re-subscribe may be under way. */
    private void deliver(Jedis jedis, String message) throws InterruptedException {
        Await.until("the subscriber received " + message, Duration.ofSeconds(5), () -> {
            if (!received.contains(message)) {
                jedis.sendCommand(Protocol.Command.SPUBLISH, channel, message);
            }
            return received.contains(message);
        });
    }

    @Test
    void aSilentShardChannelIsSubscribedAfreshWithoutCountingAReconnect(RedisProcess redis) throws Exception {
        RedisSubscriber subscriber = start(redis, SILENCE);
        try (Jedis jedis = redis.jedis()) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            Await.until("three connections in turn, each ended by silence", Duration.ofSeconds(10), () -> {
                seen.addAll(ourClientIds(jedis));
                return seen.size() >= 3;
            });
            deliver(jedis, "after the silences");
            assertEquals(0, subscriber.reconnects(), "a silence is not a lost connection");
            assertNull(subscriber.downReason(), "and no outage was declared");
        }
    }

    @Test
    void aConnectionRedisKillsIsCountedAsOneReconnect(RedisProcess redis) throws Exception {
        // The real limit, 15 s: no re-subscribe after a silence comes in the way of the kill.
        RedisSubscriber subscriber = start(redis, RedisSubscriber.SILENCE_LIMIT);
        try (Jedis jedis = redis.jedis()) {
            deliver(jedis, "before");
            String id = ourClientIds(jedis).get(0);
            jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", id);
            Await.until("the subscriber is back on a new connection", Duration.ofSeconds(10),
                    () -> !ourClientIds(jedis).isEmpty() && !ourClientIds(jedis).contains(id));
            deliver(jedis, "after");
            assertEquals(1, subscriber.reconnects());
        }
    }
}
