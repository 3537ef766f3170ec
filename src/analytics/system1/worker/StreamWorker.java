package analytics.system1.worker;

import analytics.log.Log;
import analytics.retry.Outage;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import analytics.system1.redis.StreamFields;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * One consumer of the group on a virtual thread with its own Redis connection: take a
 * batch from its source, process it (StreamWorkerScript: one script call per batch, which
 * acknowledges the entries in the same atomic step), repeat. A broken connection is
 * reopened with backoff (Outage), and the source starts over from what the group still holds for
 * this consumer.
 *
 * Pattern: competing consumers with at-least-once delivery; reconnect-and-resume.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md   Spec: Redis XREADGROUP, XGROUP
 * Not here: where batches come from (GroupReader, PendingReclaimer); the processing itself.
 * Threads: its own virtual thread; start/close and the counters from any thread.
 */
public final class StreamWorker implements AutoCloseable {

    /** Where a worker's batches come from. */
    interface Source {
        /** The next batch, possibly empty; may block briefly (well under the socket timeout). */
        List<StreamEntry> next(Jedis jedis);

        /** A new connection: start over from what the group remembers. */
        void reset();
    }

    private static final Log LOG = Log.get(StreamWorker.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String consumer;
    private final RedisConnector connector;
    private final String streamKey;
    private final Source source;
    private final StreamWorkerScript script;
    private final LongAdder processed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Outage outage;
    private volatile boolean closed;
    private volatile Thread thread;
    private Jedis jedis; // worker thread only

    StreamWorker(String consumer, RedisConnector connector, String streamKey, Source source,
                 StreamWorkerScript script) {
        this.consumer = consumer;
        this.connector = connector;
        this.streamKey = streamKey;
        this.source = source;
        this.script = script;
        // Starting up: a worker has no /healthz, so its first failure is worth a warning.
        this.outage = Outage.startingUp(LOG, "worker lost Redis; reconnecting with backoff",
                "worker reconnected to Redis", () -> closed);
    }

    /** Creates the group from the stream's first entry ("0"), and the stream if missing. */
    static void ensureGroup(Jedis jedis, String streamKey) {
        try {
            // From "0", not "$": entries ingest accepted before any worker ever ran are
            // processed too. A 202 promised they would be.
            jedis.xgroupCreate(streamKey, StreamFields.GROUP, new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
            // BUSYGROUP: another worker (or process) created it first - exactly what we wanted.
        }
    }

    void start() {
        thread = Thread.ofVirtual().name("system1-worker-" + consumer).start(this::run);
    }

    public String consumer() {
        return consumer;
    }

    /** Entries this worker processed (not counting ones it found already done). */
    public long processed() {
        return processed.sum();
    }

    /** Entries delivered again after another consumer had processed them. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Entries acknowledged without processing because they were not valid metrics. */
    public long rejected() {
        return rejected.sum();
    }

    private void run() {
        while (!closed) {
            if (jedis == null && !connect()) {
                pause();
                continue;
            }
            try {
                List<StreamEntry> batch = source.next(jedis);
                if (!batch.isEmpty()) {
                    StreamWorkerScript.Outcome outcome = script.apply(jedis, consumer, batch);
                    processed.add(outcome.applied());
                    duplicates.add(outcome.duplicates());
                    rejected.add(outcome.rejected());
                }
            } catch (JedisConnectionException e) {
                disconnect("lost the connection to Redis at " + connector.address() + ": "
                        + RedisUnavailableException.reasonOf(e));
            } catch (JedisDataException e) {
                if (RedisConnector.misrouted(e)) {
                    // A cluster's slot moved to another master (failover): connect again,
                    // to whichever node serves it now.
                    disconnect("Redis node " + connector.address() + " no longer serves " + streamKey
                            + ": " + e.getMessage());
                    pause();
                } else if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    // The stream or group vanished (a Redis restarted without persistence, or
                    // a DEL): create them again and go on.
                    LOG.warn("consumer group missing; creating it again", "stream", streamKey);
                    ensureGroup(jedis, streamKey);
                    source.reset();
                } else {
                    LOG.warn("Redis refused a command", "consumer", consumer, "reason", e.getMessage());
                    pause();
                }
            } catch (RuntimeException e) {
                // A bug: log it, start over on a fresh connection, keep the worker alive.
                LOG.error("worker loop failed unexpectedly", e, "consumer", consumer);
                disconnect("internal error");
                pause();
            }
        }
        RedisConnector.closeQuietly(jedis);
    }

    private boolean connect() {
        try {
            jedis = new Jedis(connector.connect());
            script.load(jedis);
            ensureGroup(jedis, streamKey);
            source.reset(); // own pending entries first (id 0), then new ones (>)
        } catch (JedisException e) {
            disconnect("cannot reach Redis at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
            return false;
        }
        outage.up("consumer", consumer, "address", connector.address());
        return true;
    }

    private void disconnect(String reason) {
        RedisConnector.closeQuietly(jedis);
        jedis = null;
        outage.down(reason, "consumer", consumer);
    }

    /**
     * The backoff wait. close() does not interrupt this thread (the batch in hand must
     * finish); the pause notices the flag within Outage.STEP.
     */
    private void pause() {
        if (!outage.pause()) {
            closed = true;
        }
    }

    /** Asks the worker to stop after its batch in hand, without waiting for it. */
    void stopSoon() {
        closed = true;
    }

    /**
     * Stops after the batch in hand: a batch is processed and acknowledged, or left
     * pending for the reclaimer - never half-acknowledged.
     */
    @Override
    public void close() {
        closed = true;
        Thread running = thread;
        if (running == null) {
            return;
        }
        try {
            running.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
