package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;

/**
 * Redis stopped and restarted under load: eight clients post without pause while their
 * private redis-server is stopped and a new one started on the same port. Every request
 * gets 202 or 503 (never another status, never a hang), and every 202 is in the stream it
 * was written to.
 *
 * How it stays exact. A restart without persistence starts with an empty stream, so the
 * old stream is read just before the stop: first CLIENT PAUSE WRITE holds every XADD still
 * to come, then XRANGE reads the stream as final - a 202 can only follow a write Redis made
 * before the pause. The held XADDs die with the server and their requests get 503 (perhaps
 * written, never acknowledged). So a 202 received before the stop is in that snapshot; one
 * received after it is in the new stream (or, if its reply was still on its way, in the
 * snapshot).
 */
class RedisRestartWireTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CLIENTS = 8;
    private static final String STREAM_KEY = "test:restart";

    /** One answer: its status, the entry id of a 202, and when it arrived (System.nanoTime()). */
    private record Answer(int status, String id, long at) {
    }

    @AutoClose
    private final Closer closer = new Closer();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    @AfterEach
    void stopClients() {
        running.set(false);
    }

    @Test
    void everyRequestGets202Or503AndEvery202IsInTheStream() throws Exception {
        RedisProcess first = RedisProcess.startPrivate();
        closer.add(first);
        int port = first.port();
        System1Ingest ingest = System1Ingest.start(first.config(
                "SYSTEM1_HTTP_PORT", "0", "SYSTEM1_HTTP2_PORT", "0",
                "SYSTEM1_REDIS_STREAM_KEY", STREAM_KEY,
                "SYSTEM1_MAX_LAG", "10000000",
                "SYSTEM1_STREAM_MAXLEN", "20000000")); // no trimming, no lag refusal here
        closer.add(ingest);

        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String serverId = "restart-" + i;
            clients.add(Thread.ofVirtual().start(() -> postUntilStopped(ingest.port(), serverId)));
        }

        // About half a second of load, and surely some 202s (a slow first connect must not matter).
        long startedAt = System.nanoTime();
        Await.until("20 metrics accepted before the stop", Duration.ofSeconds(15),
                () -> System.nanoTime() - startedAt > Duration.ofMillis(500).toNanos()
                        && accepted() >= 20);
        Set<String> oldStream;
        try (Jedis jedis = first.jedis()) {
            jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10000", "WRITE");
            oldStream = ids(jedis);
        }
        first.close();
        long stoppedAt = System.nanoTime();

        // Down for a while, as a real restart is: the ingest has noticed and answers 503.
        Await.until("the ingest answers 503 while Redis is down", Duration.ofSeconds(15),
                () -> ingest.batcher().downReason() != null && answers.stream()
                        .anyMatch(answer -> answer.status() == 503 && answer.at() - stoppedAt > 0));
        RedisProcess second = RedisProcess.startPrivateOn(port);
        closer.add(second);
        long restartedAt = System.nanoTime();
        long deadline = restartedAt + Duration.ofSeconds(15).toNanos();
        // Load for a while after the restart: until the batcher is back and 50 metrics landed.
        while (System.nanoTime() - deadline < 0
                && (System.nanoTime() - restartedAt < Duration.ofSeconds(1).toNanos()
                    || acceptedAfter(restartedAt) < 50)) {
            Thread.sleep(20);
        }
        running.set(false);
        for (Thread client : clients) {
            assertTrue(client.join(Duration.ofSeconds(15)), "a client hung");
        }
        Set<String> newStream;
        try (Jedis jedis = second.jedis()) {
            newStream = ids(jedis);
        }

        assertTrue(failures.isEmpty(), "client failures: " + failures);
        Map<Integer, Long> byStatus = new TreeMap<>();
        answers.forEach(answer -> byStatus.merge(answer.status(), 1L, Long::sum));
        assertEquals(Set.of(202, 503), byStatus.keySet(), "statuses: " + byStatus);
        for (Answer answer : answers) {
            if (answer.status() != 202) {
                continue;
            }
            if (answer.at() < stoppedAt) {
                assertTrue(oldStream.contains(answer.id()),
                        "202 before the stop, not in the stream: " + answer);
            } else {
                assertTrue(newStream.contains(answer.id()) || oldStream.contains(answer.id()),
                        "202 after the stop, in neither stream: " + answer);
            }
        }
        assertTrue(answers.stream().anyMatch(a -> a.status() == 202 && a.at() < stoppedAt),
                "202s before the stop");
        assertTrue(acceptedAfter(restartedAt) >= 50, "202s after the restart: " + byStatus);
    }

    private long accepted() {
        return answers.stream().filter(a -> a.status() == 202).count();
    }

    private long acceptedAfter(long since) {
        return answers.stream().filter(a -> a.status() == 202 && a.at() - since > 0).count();
    }

    /** Posts one metric after another; a 503 waits a little, as Retry-After asks (in short). */
    private void postUntilStopped(int port, String serverId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)) // bounded: a hang shows up as a failure
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(IngestWireTest.metric(serverId)))
                .build();
        while (running.get()) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                String id = response.statusCode() == 202
                        ? Json.parse(response.body()).asObject().getString("id", "") : "";
                answers.add(new Answer(response.statusCode(), id, System.nanoTime()));
                if (response.statusCode() == 503) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures.add(e);
                return;
            }
        }
    }

    private static Set<String> ids(Jedis jedis) {
        Set<String> ids = new HashSet<>();
        jedis.xrange(STREAM_KEY, (StreamEntryID) null, (StreamEntryID) null)
                .forEach(entry -> ids.add(entry.getID().toString()));
        return ids;
    }
}
