package analytics.system1.ingest;

import analytics.model.Metric;
import analytics.system1.redis.RedisUnavailableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a request thread hands to the batcher thread: its work, and the future it waits on.
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

    /** Metrics that go in together: one XADD, or MULTI + XADDs + EXEC for several. */
    record Append(List<Metric> metrics, CompletableFuture<List<String>> ids) implements StreamJob {
        public Append {
            metrics = List.copyOf(metrics);
        }

        @Override
        public void fail(RedisUnavailableException error) {
            ids.completeExceptionally(error);
        }
    }

    /** A PING through the very connection ingest uses: the honest health check. */
    record Ping(CompletableFuture<Void> done) implements StreamJob {
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
    }
}
