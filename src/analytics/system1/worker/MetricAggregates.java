package analytics.system1.worker;

import analytics.system1.redis.StreamShard;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Where System 1 keeps what the workers computed, in Redis, so any worker can serve any
 * server: the latest sample per server, the set of servers seen, running totals per server,
 * and per-minute buckets (by the metric's own timestamp) that expire after an hour.
 *
 * Pattern: shared state outside the workers ("stateless workers"): a worker holds nothing
 *          between entries, so workers can be added, killed and replaced at any time.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md
 * Not here: the writes themselves, atomic and idempotent (StreamWorkerScript).
 * Threads: stateless; read() on the caller's own connection.
 *
 * The layout (redis-cli HGETALL any of them):
 *   metrics:latest:<serverId>          hash  timestamp, metrics (JSON) - as the original
 *   metrics:servers                    set   every serverId seen
 *   metrics:agg:<serverId>             hash  count, cpuSum, memorySum, diskSum, networkInSum, networkOutSum
 *   metrics:agg:<serverId>:<minute>    hash  the same fields for one minute; <minute> is its start in ms
 * A rolling average over the last N minutes is the sum of N buckets' sums over their counts.
 * With a split stream (lesson 21) every name carries the shard's hash tag after its prefix:
 * metrics:servers:{3}, metrics:latest:{3}:<serverId>, metrics:agg:{3}:<serverId>[:<minute>].
 */
public final class MetricAggregates {

    public static final String SERVERS_KEY = "metrics:servers";
    public static final long BUCKET_MILLIS = StreamShard.BUCKET_MILLIS;
    /** The names of one Redis with one stream; a split stream's are its StreamShard's. */
    private static final StreamShard UNSHARDED = StreamShard.single("", "");
    /** Buckets older than this vanish by themselves (EXPIRE), so memory stays bounded. */
    public static final long BUCKET_TTL_SECONDS = 3_600;

    /** Sums and their count; averages are sum / count. */
    public record Totals(long count, double cpuSum, double memorySum, double diskSum,
                         double networkInSum, double networkOutSum) {

        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);

        public double cpuAverage() {
            return count == 0 ? 0 : cpuSum / count;
        }

        Totals plus(Totals other) {
            return new Totals(count + other.count, cpuSum + other.cpuSum, memorySum + other.memorySum,
                    diskSum + other.diskSum, networkInSum + other.networkInSum,
                    networkOutSum + other.networkOutSum);
        }
    }

    private MetricAggregates() {
    }

    public static String latestKey(String serverId) {
        return UNSHARDED.latestKey(serverId);
    }

    public static String totalsKey(String serverId) {
        return UNSHARDED.totalsKey(serverId);
    }

    /** The bucket holding a metric of this timestamp: the start of its minute. */
    public static String bucketKey(String serverId, long timestamp) {
        return UNSHARDED.bucketKey(serverId, timestamp);
    }

    /** Everything counted for the server since the key was created. */
    public static Totals totals(Jedis jedis, String serverId) {
        return parse(jedis.hgetAll(totalsKey(serverId)));
    }

    /** The same for a server of a split stream: its keys carry its shard's hash tag. */
    public static Totals totals(Jedis jedis, StreamShard shard, String serverId) {
        return parse(jedis.hgetAll(shard.totalsKey(serverId)));
    }

    /** The last {@code minutes} buckets up to and including the one of {@code now}. */
    public static Totals window(Jedis jedis, String serverId, long now, int minutes) {
        Totals sum = Totals.NONE;
        for (int i = 0; i < minutes; i++) {
            sum = sum.plus(parse(jedis.hgetAll(bucketKey(serverId, now - i * BUCKET_MILLIS))));
        }
        return sum;
    }

    private static Totals parse(Map<String, String> hash) {
        if (hash.isEmpty()) {
            return Totals.NONE;
        }
        return new Totals(Long.parseLong(hash.getOrDefault("count", "0")), number(hash, "cpuSum"),
                number(hash, "memorySum"), number(hash, "diskSum"), number(hash, "networkInSum"),
                number(hash, "networkOutSum"));
    }

    private static double number(Map<String, String> hash, String field) {
        return Double.parseDouble(hash.getOrDefault(field, "0"));
    }
}
