package analytics.system1.redis;

/**
 * The key names of one shard of System 1's data: its stream, its channel, and the keys
 * the workers write for the servers that hash to it. With one shard on one Redis they are
 * the original names ({@code metrics:stream}, {@code metrics:latest:<serverId>}, ...). Split
 * (several shards, or a Redis Cluster), every name carries the shard's hash tag, e.g.
 * {@code metrics:stream:{3}} and {@code metrics:latest:{3}:<serverId>}: Redis Cluster hashes
 * only the part between the first braces, so all of a shard's keys share one slot - and the
 * worker's batch script, which touches the stream and those keys together, stays single-slot.
 *
 * Pattern: hash tags - co-locating the keys one atomic step needs in one cluster slot.
 * Lesson:  lessons/21-scaling-system1-out.md   Spec: Redis Cluster specification, "Hash tags"
 * Not here: which shard a server goes to (StreamShards); finding the node (RedisConnector).
 * Threads: immutable.
 */
public record StreamShard(int index, String tag, String streamKey, String channel) {

    static final String SERVERS = "metrics:servers";
    static final String LATEST = "metrics:latest:";
    static final String TOTALS = "metrics:agg:";
    /** Width of a per-minute bucket of the aggregates. */
    public static final long BUCKET_MILLIS = 60_000;

    /** The one shard of a single Redis: today's names, untouched. */
    public static StreamShard single(String streamKey, String channel) {
        return new StreamShard(0, "", streamKey, channel);
    }

    /** Shard {@code index} of a split stream: every name with the tag {@code {index}}. */
    public static StreamShard tagged(int index, String streamKey, String channel) {
        String tag = "{" + index + "}";
        return new StreamShard(index, tag, streamKey + ":" + tag, channel + ":" + tag);
    }

    /**
     * Whether the workers publish with SPUBLISH and the broadcaster listens with SSUBSCRIBE:
     * a tagged channel is a shard channel (Redis 7), delivered by the node owning its slot
     * only, instead of being broadcast over the whole cluster bus.
     */
    public boolean shardedPubSub() {
        return !tag.isEmpty();
    }

    /** The set of every serverId of this shard the workers processed. */
    public String serversKey() {
        return tag.isEmpty() ? SERVERS : SERVERS + ":" + tag;
    }

    /** Hash: the newest sample of a server (fields timestamp, metrics). */
    public String latestKey(String serverId) {
        return LATEST + tagged(serverId);
    }

    /** Hash: the running sums of a server. */
    public String totalsKey(String serverId) {
        return TOTALS + tagged(serverId);
    }

    /** Hash: the sums of the minute holding {@code timestamp}; the suffix is its start in ms. */
    public String bucketKey(String serverId, long timestamp) {
        return totalsKey(serverId) + ":" + Math.floorDiv(timestamp, BUCKET_MILLIS) * BUCKET_MILLIS;
    }

    /**
     * The tag goes first, before the server id: Redis takes the FIRST "{...}" of a name as
     * its hash tag, and a server id may contain braces of its own.
     */
    private String tagged(String serverId) {
        return tag.isEmpty() ? serverId : tag + ":" + serverId;
    }
}
