package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.FreePorts;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** The batcher against a real redis-server: group commit, transactions, failures, reconnects. */
@ExtendWith(RedisExtension.class)
class StreamBatcherTest {

    private final String streamKey = "test:batcher:" + System.nanoTime();
    @AutoClose
    private final Closer closer = new Closer();

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    private StreamBatcher start(String host, int port) throws InterruptedException {
        StreamBatcher batcher = new StreamBatcher(
                new RedisConnector(RedisProcess.configAt(host, port).redis(), "batcher-test"),
                streamKey, 1_000, StreamBatcher.DEFAULT_QUEUE_CAPACITY);
        closer.add(batcher);
        batcher.start(Duration.ofSeconds(5));
        return batcher;
    }

    private static Metric metric(String serverId) {
        return new Metric(serverId, 1_764_180_000_000L, 42.5, 61.2, 70.1, new Metric.Network(320, 210), Map.of());
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    @Tag("stream-batcher-1")
    void writesTheContractsFieldsAndAnswersWithTheEntryId(RedisProcess redis) throws Exception {
        StreamBatcher batcher = start(redis.host(), redis.port());
        String id = get(batcher.append(metric("server-1")));
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = jedis.xrange(streamKey, new StreamEntryID(id), new StreamEntryID(id));
            assertEquals(1, entries.size());
            assertEquals(Map.of("serverId", "server-1", "timestamp", "1764180000000",
                    "metrics", "{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}"),
                    entries.get(0).getFields());
        }
    }

    @Test
    @Tag("stream-batcher-2")
    void callersWaitingTogetherShareOneRoundTrip(RedisProcess redis) throws Exception {
        StreamBatcher batcher = start(redis.host(), redis.port());
        List<CompletableFuture<String>> ids = new ArrayList<>();
        long before = batcher.roundTrips();
        try (Jedis admin = redis.jedis()) {
            // Hold every write for half a second: the first round trip waits in Redis while
            // the other 49 callers queue up behind it - and then travel together.
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "500", "WRITE");
            for (int i = 0; i < 50; i++) {
                ids.add(batcher.append(metric("server-" + i)));
            }
        }
        for (CompletableFuture<String> id : ids) {
            assertNotNull(get(id));
        }
        long roundTrips = batcher.roundTrips() - before;
        assertTrue(roundTrips <= 2, "50 appends took " + roundTrips + " round trips");
        assertEquals(50, ids.stream().map(CompletableFuture::join).distinct().count());
        try (Jedis jedis = redis.jedis()) {
            assertEquals(50, jedis.xlen(streamKey));
        }
    }

    @Test
    @Tag("stream-batcher-1")
    void aBatchGoesInAsOneTransactionInOrder(RedisProcess redis) throws Exception {
        StreamBatcher batcher = start(redis.host(), redis.port());
        List<String> ids = get(batcher.appendAll(List.of(metric("a"), metric("b"), metric("c"))));
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = jedis.xrange(streamKey, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(ids, entries.stream().map(entry -> entry.getID().toString()).toList());
            assertEquals(List.of("a", "b", "c"), entries.stream().map(entry -> entry.getFields().get("serverId")).toList());
        }
    }

    @Test
    @Tag("stream-batcher-3")
    void aWriteRedisRefusesFailsOnlyItsOwnCaller(RedisProcess redis) throws Exception {
        StreamBatcher batcher = start(redis.host(), redis.port());
        try (Jedis jedis = redis.jedis()) {
            jedis.set(streamKey, "not a stream"); // every XADD to it now fails with WRONGTYPE
        }
        ExecutionException single = assertThrows(ExecutionException.class, () -> get(batcher.append(metric("x"))));
        ExecutionException batch = assertThrows(ExecutionException.class,
                () -> get(batcher.appendAll(List.of(metric("x"), metric("y")))));
        for (ExecutionException failure : List.of(single, batch)) {
            assertInstanceOf(RedisUnavailableException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("WRONGTYPE"), failure.getCause().getMessage());
        }
        // The connection itself is fine: no reconnect, health still passes.
        assertNull(batcher.downReason());
        get(batcher.ping());
        try (Jedis jedis = redis.jedis()) {
            assertEquals("not a stream", jedis.get(streamKey));
        }
    }

    @Test
    @Tag("stream-batcher-3")
    void failsFastWhileRedisCannotBeReached() throws Exception {
        int closedPort = FreePorts.any();
        StreamBatcher batcher = start("127.0.0.1", closedPort);
        assertNotNull(batcher.downReason());
        CompletableFuture<String> id = batcher.append(metric("x"));
        // Already failed when append returned: the caller does not wait for a timeout.
        assertTrue(id.isCompletedExceptionally());
        ExecutionException failure = assertThrows(ExecutionException.class, id::get);
        assertTrue(failure.getCause().getMessage().startsWith("cannot reach Redis at 127.0.0.1:" + closedPort),
                failure.getCause().getMessage());
        assertTrue(batcher.ping().isCompletedExceptionally());
    }

    @Test
    @Tag("stream-batcher-3")
    void aLostConnectionFailsEveryWaitingCallerThenReconnects() throws Exception {
        RedisProcess redis = RedisProcess.startPrivate(); // CLIENT KILL must not touch the shared server
        closer.add(redis);
        StreamBatcher batcher = start(redis.host(), redis.port());
        List<CompletableFuture<String>> ids = new ArrayList<>();
        try (Jedis admin = redis.jedis()) {
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "1000", "WRITE");
            for (int i = 0; i < 20; i++) {
                ids.add(batcher.append(metric("server-" + i)));
            }
            // The held XADDs are never executed: the killed connection's commands are dropped.
            admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
            admin.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
        }
        for (CompletableFuture<String> id : ids) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> get(id));
            assertInstanceOf(RedisUnavailableException.class, failure.getCause());
        }
        Await.until("the batcher reconnects and writes again", Duration.ofSeconds(10), () -> {
            CompletableFuture<String> id = batcher.append(metric("after"));
            return id.handle((ok, error) -> ok != null).join();
        });
        try (Jedis jedis = redis.jedis()) {
            assertEquals(0, jedis.xrange(streamKey, (StreamEntryID) null, (StreamEntryID) null).stream()
                    .filter(entry -> !entry.getFields().get("serverId").equals("after")).count());
        }
    }

    @Test
    @Tag("stream-batcher-4")
    void theSweepFailsOverdueJobsAndStopsAtTheFirstOneNotYetDue() {
        // Redis never answering cannot be staged quickly (the 2 s socket timeout fires
        // first), so the sweep itself is checked: the callers wait on nothing else.
        long now = System.nanoTime();
        CompletableFuture<List<String>> late = new CompletableFuture<>();
        CompletableFuture<Void> latePing = new CompletableFuture<>();
        CompletableFuture<List<String>> inTime = new CompletableFuture<>();
        CompletableFuture<List<String>> lateButBehind = new CompletableFuture<>();
        StreamBatcher.failOverdue(List.of(
                new StreamJob.Append(List.of(metric("a")), late, now - 1),
                new StreamJob.Ping(latePing, now),
                new StreamJob.Append(List.of(metric("b")), inTime, now + 1_000_000),
                new StreamJob.Append(List.of(metric("c")), lateButBehind, now - 1)), now);
        ExecutionException failure = assertThrows(ExecutionException.class, late::get);
        assertInstanceOf(RedisUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().startsWith("no answer from Redis within"));
        assertTrue(latePing.isCompletedExceptionally());
        assertFalse(inTime.isDone());
        assertFalse(lateButBehind.isDone(), "jobs arrive in deadline order: the sweep stops at the first not due");
    }
}
