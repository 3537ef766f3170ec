package analytics.system1.ingest;

import analytics.model.Metric;
import analytics.redis.RedisUnavailableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a request thread hands to the batcher thread: its work, the future it waits on, and
 * the moment by which that future must be completed (answered or failed) - the caller
 * waits without a timer of its own (see StreamBatcher's deadline sweep).
 * A job goes into one pipeline whole; it is never split across round trips.
 *
 * Pattern: hand-off through a queue - a request and a promise of its result - so
 *          many producers can share one consumer that owns the connection.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: the commands each job becomes (StreamPipeline).
 * Threads: created on a request thread, completed on the batcher thread; futures are thread-safe.
 */
sealed interface StreamJob {

    /** Completes the caller's future with the failure; the job's outcome is known to be "not done" or unknown. */
    void fail(RedisUnavailableException error);

    /** System.nanoTime() by which the caller must have its answer. */
    long deadline();

    /** Metrics that go in together: one XADD, or MULTI + XADDs + EXEC for several. */
    record Append(List<Metric> metrics, CompletableFuture<List<String>> ids, long deadline) implements StreamJob {
        public Append {
            metrics = List.copyOf(metrics);
        }

        @Override
        public void fail(RedisUnavailableException error) {
            ids.completeExceptionally(error);
        }
    }

    /** A PING through the very connection ingest uses: the honest health check. */
    record Ping(CompletableFuture<Void> done, long deadline) implements StreamJob {
        @Override
        public void fail(RedisUnavailableException error) {
            done.completeExceptionally(error);
        }
    }

    /** Put in the queue by close(), so the batcher thread notices at once, not at its next poll. */
    record Wake() implements StreamJob {
        @Override
        public void fail(RedisUnavailableException error) {
            // nobody waits for a wake-up
        }

        @Override
        public long deadline() {
            return Long.MAX_VALUE; // nobody waits for a wake-up
        }
    }
}
