package analytics.system1.worker;

import analytics.log.Log;
import analytics.retry.Backoff;
import analytics.system1.redis.RedisConnector;
import analytics.system1.redis.RedisUnavailableException;
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
 * reopened with Backoff, and the source starts over from what the group still holds for
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
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    private volatile boolean closed;
    private volatile Thread thread;
    private String downReason; // worker thread only; non-null while disconnected
    private Jedis jedis; // worker thread only

    StreamWorker(String consumer, RedisConnector connector, String streamKey, Source source,
                 StreamWorkerScript script) {
        this.consumer = consumer;
        this.connector = connector;
        this.streamKey = streamKey;
        this.source = source;
        this.script = script;
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
                pause(backoff.next());
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
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    // The stream or group vanished (a Redis restarted without persistence, or
                    // a DEL): create them again and go on.
                    LOG.warn("consumer group missing; creating it again", "stream", streamKey);
                    ensureGroup(jedis, streamKey);
                    source.reset();
                } else {
                    LOG.warn("Redis refused a command", "consumer", consumer, "reason", e.getMessage());
                    pause(backoff.next());
                }
            } catch (RuntimeException e) {
                // A bug: log it, start over on a fresh connection, keep the worker alive.
                LOG.error("worker loop failed unexpectedly", e, "consumer", consumer);
                disconnect("internal error");
                pause(backoff.next());
            }
        }
        if (jedis != null) {
            jedis.close();
        }
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
        backoff.reset();
        if (downReason != null) {
            LOG.info("worker reconnected to Redis", "consumer", consumer, "address", connector.address());
        }
        downReason = null;
        return true;
    }

    /** One warn line per outage, not one per retry. */
    private void disconnect(String reason) {
        if (jedis != null) {
            jedis.close();
            jedis = null;
        }
        if (downReason == null && !closed) {
            LOG.warn("worker lost Redis; reconnecting with backoff", "consumer", consumer, "reason", reason);
        }
        downReason = reason;
    }

    private void pause(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        long left;
        // Small steps, so close() is not kept waiting by a long backoff.
        while (!closed && (left = end - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, 50_000_000L)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
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
