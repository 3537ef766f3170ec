package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.System2Fleet;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The project's own senders routing 240 servers over three real System 2 instances (no
 * bridge: routing alone): each server lands on its owner and nowhere else, and an instance
 * that stops costs only its own servers' history.
 */
class ShardedSendersTest {

    private static final int SERVERS = 240;
    /** Each server every 200 ms: 1,200 metrics a second over the three instances. */
    private static final int INTERVAL_MS = 200;

    @AutoClose
    private final Closer closer = new Closer();

    /** Windows of 1, 5 and 10 minutes: every sample a test sends stays counted in the longest. */
    private System2Fleet fleet() throws Exception {
        return closer.add(new System2Fleet(3, "SYSTEM2_AGG_WINDOW_MS", "60000"));
    }

    private Senders senders(System2Fleet fleet) throws InterruptedException {
        Config.FakeServers fake = Config.from(Map.of("FAKE_SERVER_INTERVAL_MS", String.valueOf(INTERVAL_MS),
                "FAKE_JITTER_MS", "20", "FAKE_SYSTEM2_SHARDS", fleet.shardList())).fakeServers();
        return closer.add(Senders.start(SenderOptions.parse(
                new String[] {"--mode", "ws", "--count", String.valueOf(SERVERS)}, fake)));
    }

    @Test
    void everyServerLandsOnItsOwnerAndNowhereElse() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        System2Fleet fleet = fleet();
        Senders sender = senders(fleet);
        assertEquals(3, sender.stats().connectionsUp(), "one WebSocket per instance");
        for (int shard = 0; shard < 3; shard++) {
            Set<String> owned = fleet.owned(shard, 1, SERVERS);
            int i = shard;
            Await.until("instance " + shard + " holds its " + owned.size() + " servers", Duration.ofSeconds(10),
                    () -> fleet.snapshot(i).keySet().containsAll(owned));
        }
        int total = 0;
        for (int shard = 0; shard < 3; shard++) {
            Set<String> owned = fleet.owned(shard, 1, SERVERS);
            assertTrue(owned.size() > 50, "CRC32 spreads 240 servers: " + owned.size() + " on " + shard);
            assertEquals(owned, fleet.snapshot(shard).keySet(), "instance " + shard + " holds its own only");
            assertEquals(owned.size(), fleet.stats(shard).getInt("servers", -1));
            total += owned.size();
        }
        assertEquals(SERVERS, total);
        assertEquals(0, sender.stats().rejectedTotal());
        assertEquals(0, sender.stats().droppedTotal());
    }

    /**
     * Instance 1 stopped for a while: its servers' metrics wait in the senders' buffer for
     * it, the other two go on taking theirs, and once it is back the backlog drains and
     * nothing was dropped. What is lost is instance 1's memory: its servers' windows start
     * again from what was sent while it was down.
     */
    @Test
    void aStoppedInstanceCostsOnlyItsOwnServersHistory() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        System2Fleet fleet = fleet();
        Senders sender = senders(fleet);
        String survivor = fleet.owned(0, 1, SERVERS).iterator().next();
        String victim = fleet.owned(1, 1, SERVERS).iterator().next();
        Await.until("three seconds of history on both", Duration.ofSeconds(10),
                () -> samples(fleet.snapshot(0).get(survivor)) >= 15 && samples(fleet.snapshot(1).get(victim)) >= 15);

        fleet.stop(1);
        long stoppedAt = System.nanoTime();
        Await.until("instance 1 seen down", Duration.ofSeconds(5), () -> sender.stats().connectionsUp() == 2);
        long acceptedBy0 = fleet.accepted(0);
        long acceptedBy2 = fleet.accepted(2);
        Await.until("instance 1's servers buffered", Duration.ofSeconds(5), () -> sender.stats().buffered() >= 200);
        Await.until("the others keep serving", Duration.ofSeconds(5),
                () -> fleet.accepted(0) >= acceptedBy0 + 300 && fleet.accepted(2) >= acceptedBy2 + 300);
        int survivorBefore = samples(fleet.snapshot(0).get(survivor));

        fleet.restart(1);
        Await.until("instance 1's backlog drained", Duration.ofSeconds(10),
                () -> sender.stats().connectionsUp() == 3 && sender.stats().buffered() < 20);
        Await.until("instance 1 holds its servers again", Duration.ofSeconds(5),
                () -> fleet.snapshot(1).keySet().equals(fleet.owned(1, 1, SERVERS)));
        double sinceStopMs = (System.nanoTime() - stoppedAt) / 1e6;
        int victimAfter = samples(fleet.snapshot(1).get(victim));
        // Kept: everything made while it was down (buffered, re-sent, nothing dropped).
        assertEquals(0, sender.stats().droppedTotal());
        assertTrue(victimAfter >= sinceStopMs / INTERVAL_MS - 5, victimAfter + " samples in " + sinceStopMs + " ms");
        // Lost: the three seconds and more before the stop, which lived only in its memory.
        assertTrue(victimAfter <= sinceStopMs / INTERVAL_MS + 3, victimAfter + " samples in " + sinceStopMs + " ms");
        assertTrue(samples(fleet.snapshot(0).get(survivor)) >= survivorBefore, "the survivor forgot nothing");
    }

    /** Samples in the longest window (10 minutes here): everything the instance holds of the server. */
    private static int samples(JsonObject aggregate) {
        return aggregate == null ? 0 : aggregate.get("windows").asObject().get("600000").asObject().getInt("samples", 0);
    }
}
