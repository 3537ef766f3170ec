package analytics.system1.broadcast;

import static analytics.system1.broadcast.BroadcasterFixture.awaitSubscriber;
import static analytics.system1.broadcast.BroadcasterFixture.get;
import static analytics.system1.broadcast.BroadcasterFixture.processed;
import static analytics.system1.broadcast.BroadcasterFixture.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * The broadcaster over real sockets: messages PUBLISHed to a real redis-server come out at
 * real WebSocket clients (the JDK's), filtered as the contract's broadcaster table says.
 * Tick mode has its own class, BroadcasterTickWireTest.
 */
@ExtendWith(RedisExtension.class)
class BroadcasterWireTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final JsonValue MALFORMED =
            Json.parse("{\"type\":\"error\",\"message\":\"Malformed client message\"}");
    private static final String METRICS_JSON =
            "{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}";

    @AutoClose
    private final BroadcasterFixture fixture = new BroadcasterFixture();
    private final String channel = fixture.channel();
    private RedisProcess redis;
    private System1Broadcaster broadcaster;

    @BeforeEach
    void start(RedisProcess shared) throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = shared;
        broadcaster = fixture.start(shared.host(), shared.port());
    }

    private JdkWebSocketClient dashboard(System1Broadcaster target) {
        return fixture.dashboard(target);
    }

    private JdkWebSocketClient subscribed(String subscription) {
        return fixture.subscribed(broadcaster, subscription);
    }

    @Test
    void aPublishedMessageReachesUnsubscribedAndMatchingDashboardsOnly() throws Exception {
        JdkWebSocketClient everything = dashboard(broadcaster);
        JdkWebSocketClient server3 = subscribed("{\"type\":\"subscribe\",\"serverId\":\"server-3\"}");
        JdkWebSocketClient server1 = subscribed("{\"type\":\"subscribe\",\"serverId\":\"server-1\"}");
        awaitSubscriber(redis::jedis, channel);

        publish(redis::jedis, channel, processed("1-0", "server-3"));
        publish(redis::jedis, channel, processed("2-0", "server-1"));
        publish(redis::jedis, channel, processed("3-0", "server-3"));

        // Forwarded unchanged, in order; a filtered dashboard's next message skips the others.
        assertEquals(processed("1-0", "server-3"), everything.nextText());
        assertEquals(processed("2-0", "server-1"), everything.nextText());
        assertEquals(processed("3-0", "server-3"), everything.nextText());
        assertEquals(processed("1-0", "server-3"), server3.nextText());
        assertEquals(processed("3-0", "server-3"), server3.nextText());
        assertEquals(processed("2-0", "server-1"), server1.nextText());
    }

    @Test
    void subscribingToNullFollowsEveryServerAgain() throws Exception {
        JdkWebSocketClient client = subscribed("{\"type\":\"subscribe\",\"serverId\":\"server-3\"}");
        client.send("{\"type\":\"subscribe\",\"serverId\":null}");
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":null}"), client.next());
        awaitSubscriber(redis::jedis, channel);
        publish(redis::jedis, channel, processed("1-0", "server-9"));
        assertEquals(processed("1-0", "server-9"), client.nextText());
    }

    @Test
    void theSubscriptionAckEchoesTheFilter() {
        JdkWebSocketClient client = dashboard(broadcaster);
        client.send("{\"type\":\"subscribe\",\"serverId\":\"server-3\"}");
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":\"server-3\"}"), client.next());
        client.send("{\"type\":\"subscribe\",\"serverId\":null}");
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":null}"), client.next());
        client.send("{\"type\":\"subscribe\"}");
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":null}"), client.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"type\":", "42", "null", "[]", "\"subscribe\""})
    void unparseableOrNonObjectMessagesAreMalformedAndTheConnectionStaysOpen(String text) {
        JdkWebSocketClient client = dashboard(broadcaster);
        client.send(text);
        assertEquals(MALFORMED, client.next());
        client.send("{\"type\":\"subscribe\",\"serverId\":\"server-3\"}");
        assertEquals("subscription.ack", client.next().getString("type", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"register\"}", "{}", "{\"type\":42}", "{\"type\":\"metric\"}"})
    void anUnknownTypeIsAnsweredAndTheConnectionStaysOpen(String text) {
        JdkWebSocketClient client = dashboard(broadcaster);
        client.send(text);
        assertEquals(Json.parse("{\"type\":\"error\",\"message\":\"Unknown message type\"}"), client.next());
        client.send("{\"type\":\"subscribe\",\"serverId\":null}");
        assertEquals("subscription.ack", client.next().getString("type", ""));
    }

    @Test
    void aBinaryMessageIsMalformed() {
        JdkWebSocketClient client = dashboard(broadcaster);
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals(MALFORMED, client.next());
    }

    @Test
    void aSnapshotIsWhatTheHashesHold() throws Exception {
        // metrics:servers is a fixed key the workers' tests write too: use a Redis of our own.
        RedisProcess own = RedisProcess.startPrivate();
        fixture.closeAfter(own);
        System1Broadcaster target = fixture.start(own.host(), own.port());
        JdkWebSocketClient client = dashboard(target);

        client.send("{\"type\":\"snapshot.request\"}");
        assertEquals(Json.parse("{\"type\":\"snapshot\",\"payload\":[]}"), client.next());

        try (Jedis jedis = own.jedis()) {
            jedis.sadd("metrics:servers", "server-2", "server-1", "server-gone");
            jedis.hset("metrics:latest:server-1", Map.of("timestamp", "1764180000000",
                    "metrics", METRICS_JSON));
            jedis.hset("metrics:latest:server-2", Map.of("timestamp", "1764180001000",
                    "metrics", "{\"cpu\":1,\"memory\":2,\"disk\":3}"));
        }
        client.send("{\"type\":\"snapshot.request\"}");
        assertEquals(Json.parse("{\"type\":\"snapshot\",\"payload\":["
                + "{\"serverId\":\"server-1\",\"timestamp\":1764180000000,"
                + "\"metrics\":" + METRICS_JSON + "},"
                + "{\"serverId\":\"server-2\",\"timestamp\":1764180001000,"
                + "\"metrics\":{\"cpu\":1,\"memory\":2,\"disk\":3}}]}"), client.next());
    }

    @Test
    void healthStatsAndPrometheusAnswerOnTheSamePortForAnyOrigin() throws Exception {
        HttpResponse<String> health = get(broadcaster, "/healthz");
        assertEquals(200, health.statusCode());
        assertEquals(Json.parse("{\"status\":\"ok\",\"redis\":\"ready\"}"), Json.parse(health.body()));
        assertEquals("*", health.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        JdkWebSocketClient client = dashboard(broadcaster);
        awaitSubscriber(redis::jedis, channel);
        publish(redis::jedis, channel, processed("1-0", "server-1"));
        client.nextText();
        HttpResponse<String> stats = get(broadcaster, "/stats");
        assertEquals(200, stats.statusCode());
        JsonObject figures = Json.parse(stats.body()).asObject();
        assertEquals(1, figures.get("channel").asObject().get("receivedTotal").asLong());
        assertEquals(1, figures.get("updates").asObject().get("deliveredTotal").asLong());
        assertEquals("*", stats.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> prometheus = get(broadcaster, "/metrics/prometheus");
        assertEquals(200, prometheus.statusCode());
        assertTrue(prometheus.body().contains("system1_broadcaster_redis_up 1\n"), prometheus.body());
    }

    @Test
    void theSubscriberResumesAfterRedisRestartsOnTheSamePort() throws Exception {
        RedisProcess own = RedisProcess.startPrivate(); // stopped below: not the shared server
        fixture.closeAfter(own);
        int port = own.port();
        System1Broadcaster target = fixture.start(own.host(), port);
        JdkWebSocketClient client = dashboard(target);
        awaitSubscriber(own::jedis, channel);
        assertEquals(200, get(target, "/healthz").statusCode());

        own.close(); // stops redis-server
        Await.until("healthz reports Redis down", DEADLINE, () -> target.redisDownReason() != null);
        HttpResponse<String> down = get(target, "/healthz");
        assertEquals(503, down.statusCode());
        assertEquals("unavailable", Json.parse(down.body()).asObject().getString("status", ""));
        client.send("{\"type\":\"snapshot.request\"}");
        JsonObject refused = client.next();
        assertEquals("error", refused.getString("type", ""));
        assertEquals("Snapshot unavailable", refused.getString("message", ""));

        try (RedisProcess again = RedisProcess.startPrivateOn(port)) {
            Await.until("healthz reports Redis ready", DEADLINE, () -> target.redisDownReason() == null);
            awaitSubscriber(again::jedis, channel);
            publish(again::jedis, channel, processed("9-0", "server-1"));
            assertEquals(processed("9-0", "server-1"), client.nextText());
            assertEquals(200, get(target, "/healthz").statusCode());
        }
    }
}
