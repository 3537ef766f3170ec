package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.http.Headers;
import analytics.http.Protocol;
import analytics.http.Request;
import analytics.http.Response;
import analytics.log.Log;
import analytics.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The reference answer to lesson 10's exercise 3: the ingest handler called with no socket
 * at all, built as System1Ingest.start builds it minus the servers, answers the same 202
 * and 400 bodies as over HTTP - it is transport-neutral.
 */
@ExtendWith(RedisExtension.class)
class NoSocketIngestHandlerTest {

    @AutoClose
    private final Closer closer = new Closer();

    private static Request post(String body) {
        return Request.of(Protocol.HTTP_1_1, "POST", "/metrics", Headers.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Response response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theHandlerAnswersWithoutAnyTransport(RedisProcess redis) throws InterruptedException {
        Log.setThreshold(Log.Level.ERROR);
        Config config = redis.system1Config("test:no-socket:" + System.nanoTime());
        StreamShards shards = StreamShards.of(config);
        StreamShard shard = shards.all().getFirst();
        StreamBatcher streamBatcher = new StreamBatcher(new RedisConnector(config.redis(), "no-socket"),
                shard.streamKey(), 1_000, StreamBatcher.DEFAULT_QUEUE_CAPACITY);
        GroupLag groupLag = new GroupLag(new RedisConnector(config.redis(), "no-socket-lag"), shard.streamKey(),
                StreamFields.GROUP, 100);
        ShardedBatcher batcher = new ShardedBatcher(shards, List.of(streamBatcher));
        ShardedLag lag = new ShardedLag(List.of(groupLag));
        closer.add(batcher);
        closer.add(lag);
        PendingWrites pending = new PendingWrites(1_000);
        IngestHandler handler = new IngestHandler(batcher, lag, pending, config.ingestToken(),
                new IngestStats(batcher, lag, pending));
        lag.start();
        batcher.start(Duration.ofSeconds(5));

        Response accepted = handler.handle(post("{\"serverId\":\"s-1\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1}}"));
        assertEquals(202, accepted.status(), text(accepted));
        assertTrue(text(accepted).startsWith("{\"status\":\"accepted\",\"id\":\""), text(accepted));
        try (Jedis jedis = redis.jedis()) {
            assertEquals(1, jedis.xlen(shard.streamKey()), "the metric is in the stream");
        }

        Response refused = handler.handle(post("{}"));
        assertEquals(400, refused.status());
        assertEquals("{\"error\":\"Invalid payload\",\"details\":["
                + "{\"field\":\"serverId\",\"message\":\"is required\"},"
                + "{\"field\":\"timestamp\",\"message\":\"is required\"},"
                + "{\"field\":\"metrics\",\"message\":\"is required\"}]}", text(refused));
    }
}
