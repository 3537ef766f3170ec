package analytics.system1.worker;

import analytics.log.Log;
import analytics.system1.redis.StreamFields;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Recovers entries a dead consumer was given and never acknowledged: every so often it
 * walks the group's pending entries with XAUTOCLAIM, taking over those idle for longer
 * than SYSTEM1_CLAIM_IDLE_MS, and hands them to its worker to process (idempotently).
 *
 * Pattern: pending-entry recovery (a lease that expires: "idle too long" means "presumed
 *          dead"), safe only because processing is idempotent - the owner may be merely slow.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md   Spec: Redis XAUTOCLAIM
 * Not here: the loop and the connection (StreamWorker runs this as its source).
 * Threads: the owning worker's thread only.
 */
final class PendingReclaimer implements StreamWorker.Source {

    private static final Log LOG = Log.get(PendingReclaimer.class);
    private static final StreamEntryID SCAN_START = new StreamEntryID(0, 0);

    private final String streamKey;
    private final String consumer;
    private final Duration claimIdle;
    private final Duration scanInterval;
    private StreamEntryID cursor = SCAN_START;
    private long nextScanNanos;

    PendingReclaimer(String streamKey, String consumer, Duration claimIdle) {
        this.streamKey = streamKey;
        this.consumer = consumer;
        this.claimIdle = claimIdle;
        // Scanning twice per idle period bounds the delay to 1.5 × claimIdle; at most once
        // a second, at least every 50 ms, so a test's short idle does not spin.
        long half = Math.clamp(claimIdle.toMillis() / 2, 50, 1_000);
        this.scanInterval = Duration.ofMillis(half);
    }

    @Override
    public void reset() {
        cursor = SCAN_START;
    }

    @Override
    public List<StreamEntry> next(Jedis jedis) {
        if (cursor.equals(SCAN_START)) {
            long wait = nextScanNanos - System.nanoTime();
            if (wait > 0) {
                sleep(Math.min(wait, Duration.ofMillis(GroupReader.BLOCK_MILLIS).toNanos()));
                return List.of();
            }
            nextScanNanos = System.nanoTime() + scanInterval.toNanos();
        }
        // One page of the pending entries list from the cursor; the reply's cursor says
        // where the next page starts, "0-0" when the whole list was walked. Entries trimmed
        // from the stream while pending are dropped from the list by Redis 7 itself.
        Map.Entry<StreamEntryID, List<StreamEntry>> page = jedis.xautoclaim(streamKey,
                StreamFields.GROUP, consumer, claimIdle.toMillis(), cursor,
                XAutoClaimParams.xAutoClaimParams().count(GroupReader.BATCH_SIZE));
        cursor = page.getKey();
        if (!page.getValue().isEmpty()) {
            LOG.info("claimed entries a consumer left pending", "count", page.getValue().size(),
                    "idleOverMs", claimIdle.toMillis());
        }
        return page.getValue();
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
