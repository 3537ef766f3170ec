package analytics.system1.worker;

import analytics.system1.redis.StreamFields;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A worker's reads from the consumer group: first its own pending entries (XREADGROUP with
 * id 0 - what it was given before a crash or a lost connection and never acknowledged),
 * then new ones (id {@code >}), blocking briefly when there are none, and lingering a few
 * milliseconds after a partial batch so that the next one is bigger.
 *
 * Pattern: resume from the group's memory - the consumer keeps no offset of its own; Redis
 *          remembers what each consumer was given (its pending entries list). Linger
 *          (as Kafka's linger.ms): a little latency bought for bigger batches.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md   Spec: Redis XREADGROUP
 * Not here: entries of other consumers (PendingReclaimer claims those).
 * Threads: the owning worker's thread only.
 */
final class GroupReader implements StreamWorker.Source {

    /** Entries per read: one script call per batch. */
    static final int BATCH_SIZE = 100;
    /**
     * Well under RedisConnector.SOCKET_TIMEOUT (2 s), or an idle stream would look like a dead
     * connection; also how long close() may wait for a worker.
     */
    static final int BLOCK_MILLIS = 500;

    /**
     * After a partial batch, wait this long before reading again, so the next batch is
     * bigger: the script's cost is mostly per call and per server, not per entry (lesson
     * 12 has the figures). It delays a metric's processing by at most this much under
     * moderate load; it never delays a reply to a client, and an idle worker still wakes
     * at once for the first new entry.
     */
    static final int LINGER_MILLIS = 5;

    private final String streamKey;
    private final String consumer;
    /** Where the history read goes on; null once it is done and reads are of new entries. */
    private StreamEntryID historyFrom;
    /** The last read of new entries returned some, but fewer than BATCH_SIZE. */
    private boolean lastWasPartial;

    GroupReader(String streamKey, String consumer) {
        this.streamKey = streamKey;
        this.consumer = consumer;
        reset();
    }

    @Override
    public void reset() {
        historyFrom = new StreamEntryID(0, 0);
    }

    @Override
    public List<StreamEntry> next(Jedis jedis) {
        if (historyFrom != null) {
            // History: returns at once (BLOCK does not apply), at most BATCH_SIZE entries
            // after historyFrom. Moving the cursor past them matters: an entry whose script
            // failed stays pending, and reading from 0 again would return it forever.
            List<StreamEntry> pending = read(jedis, historyFrom, XReadGroupParams.xReadGroupParams()
                    .count(BATCH_SIZE));
            if (pending.isEmpty()) {
                historyFrom = null;
            } else {
                historyFrom = pending.get(pending.size() - 1).getID();
            }
            return pending;
        }
        if (lastWasPartial) {
            linger();
        }
        List<StreamEntry> batch = read(jedis, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY,
                XReadGroupParams.xReadGroupParams().count(BATCH_SIZE).block(BLOCK_MILLIS));
        lastWasPartial = !batch.isEmpty() && batch.size() < BATCH_SIZE;
        return batch;
    }

    private static void linger() {
        try {
            Thread.sleep(LINGER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<StreamEntry> read(Jedis jedis, StreamEntryID from, XReadGroupParams params) {
        List<Map.Entry<String, List<StreamEntry>>> streams = jedis.xreadGroup(StreamFields.GROUP,
                consumer, params, Map.of(streamKey, from));
        if (streams == null || streams.isEmpty()) {
            return List.of(); // BLOCK timed out: nothing new
        }
        return streams.get(0).getValue();
    }
}
