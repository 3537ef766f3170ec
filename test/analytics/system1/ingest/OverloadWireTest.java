package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * SYSTEM1_MAX_PENDING_WRITES on a real redis-server made to stall: with writes paused
 * (CLIENT PAUSE WRITE) four metrics wait for Redis; the fifth request - single or batch,
 * HTTP/1.1 or HTTP/2, even one whose body was never sent - is answered 503 with
 * Retry-After at once; none gets 500; once Redis resumes the four are in the stream exactly
 * once and ingest accepts again. A private Redis, since the pause stalls every client of it.
 */
class OverloadWireTest {

    private static final int LIMIT = 4;
    /** Ample, but the pause must end before the ingest's 2 s socket timeout does. */
    private static final String PAUSE_MS = "1500";

    @AutoClose
    private final Closer closer = new Closer();
    private final String streamKey = "test:overload:stream";
    private RedisProcess redis;
    private System1Ingest ingest;

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = closer.add(RedisProcess.startPrivate());
        ingest = closer.add(System1Ingest.start(redis.system1Config("test:overload",
                "SYSTEM1_MAX_PENDING_WRITES", Integer.toString(LIMIT))));
    }

    @Test
    void theRequestAfterTheLimitIsShedWith503UntilRedisCatchesUp() throws Exception {
        IngestClient http1 = IngestClient.http1(ingest.port());
        IngestClient h2 = IngestClient.http2(ingest.http2Port());
        String shed = "{\"error\":\"Service Unavailable\",\"reason\":\"ingest overloaded: "
                + LIMIT + " metrics waiting for Redis (SYSTEM1_MAX_PENDING_WRITES " + LIMIT + ")\"}";
        String batch = "[" + IngestWireTest.metric("batch-a") + "," + IngestWireTest.metric("batch-b") + "]";

        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        List<HttpResponse<String>> refused = new ArrayList<>();
        String headOnlyStatus;
        try (Jedis admin = redis.jedis()) {
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", PAUSE_MS, "WRITE");
            try {
                for (int i = 0; i < LIMIT; i++) {
                    admitted.add(http1.postAsync("/metrics", IngestWireTest.metric("admitted-" + i)));
                }
                Await.until(LIMIT + " metrics waiting for Redis", Duration.ofSeconds(1),
                        () -> pendingWrites(http1) == LIMIT);
                refused.add(http1.post("/metrics", IngestWireTest.metric("shed-1")));
                refused.add(http1.post("/metrics/batch", batch));
                refused.add(h2.post("/metrics", IngestWireTest.metric("shed-2")));
                refused.add(h2.post("/metrics/batch", batch));
                headOnlyStatus = http1.statusLineForHeadOnly("/metrics", 100_000);
            } finally {
                try (Jedis unpause = redis.jedis()) {
                    unpause.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
                }
            }
        }

        for (HttpResponse<String> response : refused) {
            assertEquals(503, response.statusCode(), response.body());
            assertEquals(Json.parse(shed), Json.parse(response.body()));
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        }
        assertEquals(HttpClient.Version.HTTP_2, refused.get(2).version(), "shed over an HTTP/2 stream");
        assertEquals("HTTP/1.1 503 Service Unavailable", headOnlyStatus,
                "refused on the head, before a byte of the announced body");

        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> answer : admitted) {
            HttpResponse<String> response = answer.get();
            assertEquals(202, response.statusCode(), response.body());
            ids.add(Json.parse(response.body()).asObject().getString("id", ""));
        }
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = jedis.xrange(streamKey, (StreamEntryID) null, null);
            assertEquals(LIMIT, entries.size(), "every admitted metric exactly once, no shed one");
            assertEquals(ids, new HashSet<>(entries.stream().map(entry -> entry.getID().toString()).toList()));
            assertTrue(entries.stream().allMatch(entry -> entry.getFields().get("serverId").startsWith("admitted-")));
        }

        assertEquals(202, http1.post("/metrics", IngestWireTest.metric("after")).statusCode());
        assertEquals(202, h2.post("/metrics/batch", batch).statusCode());
        Await.until("nothing waits any more", Duration.ofSeconds(5), () -> pendingWrites(http1) == 0);
        JsonObject admission = http1.stats().get("admission").asObject();
        assertEquals(5, admission.getLong("shedTotal", -1));
        assertEquals(LIMIT, admission.getLong("maxPendingWrites", -1));
        String prometheus = http1.get("/metrics/prometheus").body();
        assertTrue(prometheus.contains("system1_requests_shed_total 5\n"), prometheus);
        assertTrue(prometheus.contains("system1_max_pending_writes 4\n"), prometheus);
        assertTrue(prometheus.contains("system1_pending_writes 0\n"), prometheus);
    }

    private static long pendingWrites(IngestClient client) {
        try {
            return client.stats().get("admission").asObject().getLong("pendingWrites", -1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
