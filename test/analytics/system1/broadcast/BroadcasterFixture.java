package analytics.system1.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the broadcaster's wire tests share: a channel of the test's own (so tests sharing
 * the run-wide Redis cannot hear each other), broadcasters and dashboards closed after the
 * test, and the worker's side - PUBLISH the exact text a worker would.
 *
 * Pattern: test fixture as a plain object the test closes (@AutoClose), not a base class.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Threads: the test's thread.
 */
final class BroadcasterFixture implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final String channel = "test:broadcast:" + System.nanoTime();
    private final Closer closer = new Closer();

    String channel() {
        return channel;
    }

    <T extends AutoCloseable> T closeAfter(T resource) {
        return closer.add(resource);
    }

    System1Broadcaster start(String redisHost, int redisPort) throws Exception {
        return closer.add(System1Broadcaster.start(RedisProcess.configAt(redisHost, redisPort,
                "SYSTEM1_WS_PORT", "0", "SYSTEM1_REDIS_CHANNEL", channel)));
    }

    JdkWebSocketClient dashboard(System1Broadcaster target) {
        return closer.add(JdkWebSocketClient.connect("ws://127.0.0.1:" + target.port()));
    }

    JdkWebSocketClient subscribed(System1Broadcaster target, String subscription) {
        JdkWebSocketClient client = dashboard(target);
        client.send(subscription);
        assertEquals("subscription.ack", client.next().getString("type", ""));
        return client;
    }

    @Override
    public void close() {
        closer.close();
    }

    /** The exact text a worker publishes for one processed entry. */
    static String processed(String entryId, String serverId) {
        return processed(entryId, serverId, 1764180000000L);
    }

    static String processed(String entryId, String serverId, long timestamp) {
        return "{\"type\":\"metric.processed\",\"entryId\":\"" + entryId + "\",\"payload\":{\"serverId\":\""
                + serverId + "\",\"timestamp\":" + timestamp + ",\"metrics\":{\"cpu\":42.5,\"memory\":61.2,"
                + "\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}}";
    }

    /** In one round trip, so several messages land inside one tick interval. */
    static void publish(Supplier<Jedis> server, String channel, String... messages) {
        try (Jedis jedis = server.get(); Pipeline pipeline = jedis.pipelined()) {
            for (String message : messages) {
                pipeline.publish(channel, message);
            }
            pipeline.sync();
        }
    }

    /** Pub/sub drops what is published before SUBSCRIBE: wait until the broadcaster listens. */
    static void awaitSubscriber(Supplier<Jedis> server, String channel) throws InterruptedException {
        Await.until("the broadcaster subscribed to " + channel, DEADLINE, () -> {
            try (Jedis jedis = server.get()) {
                return jedis.pubsubNumSub(channel).getOrDefault(channel, 0L) == 1;
            } catch (JedisException notYet) {
                return false;
            }
        });
    }

    static HttpResponse<String> get(System1Broadcaster target, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
