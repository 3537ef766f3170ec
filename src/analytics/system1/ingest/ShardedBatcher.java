package analytics.system1.ingest;

import analytics.model.Metric;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToLongFunction;

/**
 * Ingest's writes over the stream shards: one StreamBatcher (thread, queue, connection)
 * per shard, and every metric handed to the batcher of its server's shard. With one shard
 * it is that batcher, call for call.
 *
 * Pattern: scatter-gather over partitions - split a request by partition key, send each
 *          part to its partition, join the answers back in the caller's order.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: the group commit itself (StreamBatcher); which shard a server has (StreamShards).
 *           All or nothing holds per shard only: a POST of metrics of servers on two shards
 *           is two transactions, and when one fails the answer is 503 although the other
 *           part may be written - the contract's "503 means perhaps not written".
 * Threads: any thread; each batcher runs its own.
 */
final class ShardedBatcher implements AutoCloseable {

    private final StreamShards shards;
    /** By shard index. */
    private final List<StreamBatcher> batchers;

    ShardedBatcher(StreamShards shards, List<StreamBatcher> batchers) {
        if (shards.count() != batchers.size()) {
            throw new IllegalArgumentException(shards.count() + " shards but " + batchers.size() + " batchers");
        }
        this.shards = shards;
        this.batchers = List.copyOf(batchers);
    }

    void start(Duration wait) throws InterruptedException {
        for (StreamBatcher batcher : batchers) {
            batcher.start(wait);
        }
    }

    CompletableFuture<String> append(Metric metric) {
        return batcherOf(metric).append(metric);
    }

    /** Per shard all or nothing; the ids come back in the order of {@code metrics}. */
    CompletableFuture<List<String>> appendAll(List<Metric> metrics) {
        Map<StreamShard, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            positions.computeIfAbsent(shards.of(metrics.get(i).serverId()), shard -> new ArrayList<>()).add(i);
        }
        if (positions.size() <= 1) {
            return batchers.get(metrics.isEmpty() ? 0 : shards.of(metrics.get(0).serverId()).index())
                    .appendAll(metrics);
        }
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        positions.forEach((shard, at) -> parts.add(batchers.get(shard.index())
                .appendAll(at.stream().map(metrics::get).toList())));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            String[] ids = new String[metrics.size()];
            int part = 0;
            for (List<Integer> at : positions.values()) {
                List<String> partIds = parts.get(part++).join();
                for (int k = 0; k < at.size(); k++) {
                    ids[at.get(k)] = partIds.get(k);
                }
            }
            return List.of(ids);
        }).exceptionallyCompose(ShardedBatcher::firstFailure);
    }

    /**
     * allOf fails with a CompletionException around a part's failure: unwrap it, so the
     * caller sees the RedisUnavailableException (and answers 503) as with one shard.
     */
    private static <T> CompletableFuture<T> firstFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return CompletableFuture.failedFuture(cause);
    }

    /** Healthy when every shard's connection answers a PING now. */
    CompletableFuture<Void> ping() {
        if (batchers.size() == 1) {
            return batchers.get(0).ping();
        }
        return CompletableFuture.allOf(batchers.stream().map(StreamBatcher::ping)
                .toArray(CompletableFuture[]::new))
                .exceptionallyCompose(ShardedBatcher::firstFailure);
    }

    /** Null while every shard is connected; else the first reason, naming its shard when split. */
    String downReason() {
        for (int i = 0; i < batchers.size(); i++) {
            String reason = batchers.get(i).downReason();
            if (reason != null) {
                return batchers.size() == 1 ? reason : "stream shard " + shards.all().get(i).tag() + ": " + reason;
            }
        }
        return null;
    }

    long roundTrips() {
        return sum(StreamBatcher::roundTrips);
    }

    long written() {
        return sum(StreamBatcher::written);
    }

    int queued() {
        return (int) sum(StreamBatcher::queued);
    }

    private long sum(ToLongFunction<StreamBatcher> figure) {
        return batchers.stream().mapToLong(figure).sum();
    }

    private StreamBatcher batcherOf(Metric metric) {
        return batchers.get(shards.of(metric.serverId()).index());
    }

    /** Closes them all at once: each gives its queue a last round trip. */
    @Override
    public void close() {
        if (batchers.size() == 1) {
            batchers.get(0).close();
            return;
        }
        List<Thread> closing = batchers.stream()
                .map(batcher -> Thread.ofVirtual().name("system1-batcher-close").start(batcher::close))
                .toList();
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
