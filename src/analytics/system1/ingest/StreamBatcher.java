package analytics.system1.ingest;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.retry.Outage;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Group commit into a Redis stream: request threads hand over their XADDs and wait; one
 * batcher thread sends everything waiting as ONE pipeline - one network round trip for
 * many requests - and each caller's future completes with its own entry ids.
 *
 * Pattern: group commit (as a database flushes many transactions' log records with one
 *          fsync), with natural batching: no timer, a batch is whatever queued up during
 *          the previous round trip, so an idle system answers at once and a busy one
 *          batches more. Plus fail fast: while Redis is down, callers learn it at once.
 *          Plus one timer for all callers: every job carries a deadline, and one sweeper
 *          thread fails the overdue ones, so a caller may wait without a timeout of its own.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md   Spec: Redis pipelining
 * Not here: the commands and replies of a round trip, and what "all or nothing" means
 *           (StreamPipeline); reading the stream (workers); the lag-based 503 (GroupLag).
 * Threads: append/ping from any thread; everything touching Redis runs on the batcher
 *          thread; the sweeper thread only fails overdue futures.
 */
public final class StreamBatcher implements AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** Jobs per pipeline; bounds one round trip's replies, not the throughput. */
    static final int MAX_JOBS_PER_ROUND_TRIP = 1_000;
    /**
     * Every append and ping is answered within this (plus at most one SWEEP_EVERY), whatever
     * Redis does: above the 2 s socket timeout, so a dead connection is normally noticed first.
     */
    public static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    static final Duration SWEEP_EVERY = Duration.ofMillis(100);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Log LOG = Log.get(StreamBatcher.class);

    private final RedisConnector connector;
    private final StreamPipeline pipeline;
    private final BlockingQueue<StreamJob> queue;
    private final Thread thread;
    private final Thread sweeper;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final Outage outage;
    private volatile boolean closed;
    /** The jobs of the round trip under way (written by the batcher thread, read by the sweeper). */
    private volatile List<StreamJob> inFlight = List.of();
    private Connection connection; // batcher thread only

    /** @param maxLen the stream's {@code MAXLEN ~} bound (SYSTEM1_STREAM_MAXLEN) */
    public StreamBatcher(RedisConnector connector, String streamKey, long maxLen, int queueCapacity) {
        this(connector, streamKey, maxLen, queueCapacity, 0, "");
    }

    /**
     * @param waitReplicas SYSTEM1_REDIS_WAIT_REPLICAS: each round trip ends with WAIT for them
     * @param shardTag     one batcher per stream shard, its threads named with the tag ("" for one)
     */
    StreamBatcher(RedisConnector connector, String streamKey, long maxLen, int queueCapacity,
                  int waitReplicas, String shardTag) {
        this.connector = connector;
        this.pipeline = new StreamPipeline(streamKey, maxLen, waitReplicas);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = Thread.ofPlatform().name("system1-stream-batcher" + shardTag).daemon().unstarted(this::run);
        this.sweeper = Thread.ofVirtual().name("system1-stream-deadlines" + shardTag).unstarted(this::sweep);
        this.outage = Outage.startingDown(LOG,
                "Redis unavailable; ingest answers 503 until it is back", "connected to Redis",
                () -> closed);
    }

    /** Starts the batcher thread and waits (at most {@code wait}) for its first connect attempt. */
    public void start(Duration wait) throws InterruptedException {
        thread.start();
        sweeper.start();
        firstAttempt.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Appends one metric; completes with its stream entry id once Redis confirmed it, or
     * fails (RedisUnavailableException) - always within ANSWER_WITHIN.
     */
    public CompletableFuture<String> append(Metric metric) {
        return appendAll(List.of(metric)).thenApply(ids -> ids.get(0));
    }

    /** Appends several metrics all or nothing; completes with their ids, in order. */
    public CompletableFuture<List<String>> appendAll(List<Metric> metrics) {
        CompletableFuture<List<String>> ids = new CompletableFuture<>();
        submit(new StreamJob.Append(metrics, ids, deadline()));
        return ids;
    }

    /** Completes when a PING went through the ingest connection. */
    public CompletableFuture<Void> ping() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new StreamJob.Ping(done, deadline()));
        return done;
    }

    private static long deadline() {
        return System.nanoTime() + ANSWER_WITHIN.toNanos();
    }

    /** Null while connected; else why not (also what GET /healthz says). */
    public String downReason() {
        return outage.reason();
    }

    /** Pipelines sent and answered: fewer than the requests served is the point. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Entries Redis confirmed. */
    public long written() {
        return written.sum();
    }

    /** Jobs waiting for the next round trip. */
    public int queued() {
        return queue.size();
    }

    /**
     * Fails fast instead of queueing when the answer is known: Redis is down (the caller
     * gets its 503 now rather than after a timeout), or the queue is full (backpressure: a
     * bounded queue turns overload into refusals instead of memory growth and latency).
     */
    private void submit(StreamJob job) {
        String reason = closed ? "shutting down" : outage.reason();
        if (reason != null) {
            job.fail(new RedisUnavailableException(reason));
        } else if (!queue.offer(job)) {
            job.fail(new RedisUnavailableException("ingest queue full (" + queue.size() + " waiting)"));
        }
        // A job queued just as the connection died is failed by the batcher thread.
    }

    private void run() {
        while (!closed) {
            if (connection == null && !connect()) {
                if (!outage.pause(this::failArrival)) {
                    closed = true;
                }
                continue;
            }
            List<StreamJob> batch = nextBatch(IDLE_POLL);
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
        // Shutting down: what is queued still gets its round trip if Redis is there.
        List<StreamJob> rest = nextBatch(Duration.ZERO);
        if (!rest.isEmpty() && connection != null) {
            commit(rest);
        }
        failQueued("shutting down");
        if (connection != null) {
            dropConnection();
        }
    }

    /** Closes the lost connection (quietly: see RedisConnector.closeQuietly) and forgets it. */
    private void dropConnection() {
        RedisConnector.closeQuietly(connection);
        connection = null;
    }

    private boolean connect() {
        try {
            connection = connector.connect();
            outage.up("address", connector.address());
            return true;
        } catch (JedisException e) {
            goDown("cannot reach Redis at " + connector.address() + ": " + RedisUnavailableException.reasonOf(e));
            return false;
        } finally {
            firstAttempt.countDown();
        }
    }

    /** Waits for the first job, then takes every job already waiting behind it. */
    private List<StreamJob> nextBatch(Duration wait) {
        List<StreamJob> batch = new ArrayList<>();
        try {
            StreamJob first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return batch;
            }
            batch.add(first);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return batch;
        }
        queue.drainTo(batch, MAX_JOBS_PER_ROUND_TRIP - 1);
        batch.removeIf(job -> job instanceof StreamJob.Wake);
        return batch;
    }

    private void commit(List<StreamJob> batch) {
        inFlight = batch;
        try {
            written.add(pipeline.send(connection, batch));
            roundTrips.increment();
        } catch (JedisException e) {
            // The connection is lost (or out of step): nobody in this batch knows its outcome.
            dropConnection();
            RedisUnavailableException error = new RedisUnavailableException("lost the connection to Redis at "
                    + connector.address() + ": " + RedisUnavailableException.reasonOf(e));
            batch.forEach(job -> job.fail(error));
            goDown(error.getMessage());
        } catch (RuntimeException e) {
            // A bug (an unexpected reply?): log it, start over on a fresh connection, and keep
            // the thread alive - a dead batcher thread would leave every request to time out.
            LOG.error("round trip failed unexpectedly", e);
            dropConnection();
            RedisUnavailableException error = new RedisUnavailableException("internal error talking to Redis");
            batch.forEach(job -> job.fail(error));
            goDown(error.getMessage());
        } finally {
            inFlight = List.of();
        }
    }

    /**
     * The sweeper thread: every SWEEP_EVERY, fail the jobs whose deadline has passed - in
     * the queue (a stuck round trip holds up everyone behind it) and in the round trip
     * under way (Redis answers too slowly, or not at all, but the socket has not timed
     * out yet). Why not a timed wait in each caller: every timed wait of a virtual thread
     * arms a timer and cancels it again, which at 20,000 requests a second cost about
     * 14 µs of CPU per request (lesson 11). One sweeper costs ten wake-ups a second.
     *
     * A job failed here may still be written afterwards, exactly as when a reply is lost:
     * its caller got 503, "perhaps not written". A later complete() of its future does nothing.
     */
    private void sweep() {
        while (!closed) {
            try {
                Thread.sleep(SWEEP_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            failOverdue(inFlight, now);
            failOverdue(queue, now);
        }
    }

    /** Jobs are in arrival order, so their deadlines are too: stop at the first one not yet due. */
    static void failOverdue(Iterable<StreamJob> jobs, long now) {
        for (StreamJob job : jobs) {
            if (job.deadline() - now > 0) {
                return;
            }
            job.fail(new RedisUnavailableException("no answer from Redis within " + ANSWER_WITHIN.toMillis() + " ms"));
        }
    }

    /** Marks Redis down and fails everyone waiting: they learn now, not at their timeout. */
    private void goDown(String reason) {
        outage.down(reason);
        failQueued(reason);
    }

    private void failQueued(String reason) {
        List<StreamJob> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        RedisUnavailableException error = new RedisUnavailableException(reason);
        waiting.forEach(job -> job.fail(error));
    }

    /**
     * How the batcher spends a backoff pause: waiting for the queue, to fail any job that
     * slipped in meanwhile (submit() checked the reason just before Redis went down).
     */
    private void failArrival(Duration atMost) throws InterruptedException {
        StreamJob late = queue.poll(atMost.toNanos(), TimeUnit.NANOSECONDS);
        if (late != null) {
            late.fail(new RedisUnavailableException(outage.reason()));
        }
    }

    /** Stops taking jobs, gives the queued ones their last round trip, closes the connection. */
    @Override
    public void close() {
        closed = true;
        queue.offer(new StreamJob.Wake()); // when the queue is full the thread is busy and sees the flag
        sweeper.interrupt();
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued("shutting down");
    }
}
