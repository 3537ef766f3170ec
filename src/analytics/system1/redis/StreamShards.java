package analytics.system1.redis;

import analytics.config.Config;
import analytics.model.ServerShards;
import java.util.ArrayList;
import java.util.List;

/**
 * The shards of System 1's stream and which one a server belongs to: a CRC-32 of its
 * serverId modulo SYSTEM1_STREAM_SHARDS. A server always lands on the same shard, so its
 * metrics stay in one stream, in the order ingest wrote them - ordering per server is kept,
 * ordering across servers never was promised.
 *
 * Pattern: hash partitioning by a stable key (as Kafka partitions by record key).
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: the key names of a shard (StreamShard). Changing the shard count moves
 *           servers between shards: drain the streams first (lesson 21 says how).
 * Threads: immutable.
 */
public record StreamShards(List<StreamShard> all) {

    public StreamShards {
        all = List.copyOf(all);
    }

    /**
     * One untagged shard - the original names - on one Redis with SYSTEM1_STREAM_SHARDS=1;
     * otherwise tagged shards {0}..{N-1}. A cluster always tags, even with one shard: the
     * batch script touches the stream and the server keys at once, and untagged they would
     * hash to different slots (CROSSSLOT).
     */
    public static StreamShards of(Config config) {
        Config.System1 settings = config.system1();
        int count = settings.streamShards();
        if (count == 1 && !config.redisCluster().enabled()) {
            return new StreamShards(List.of(StreamShard.single(settings.streamKey(), settings.channel())));
        }
        List<StreamShard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            shards.add(StreamShard.tagged(i, settings.streamKey(), settings.channel()));
        }
        return new StreamShards(shards);
    }

    public int count() {
        return all.size();
    }

    /** For logs: the stream's name; split, the first shard's, "..", and the last tag. */
    public String describe() {
        StreamShard first = all.get(0);
        return all.size() == 1 ? first.streamKey()
                : first.streamKey() + ".." + all.get(all.size() - 1).tag();
    }

    /** The shard of this server; the same answer in every process and after every restart. */
    public StreamShard of(String serverId) {
        return all.get(ServerShards.ownerOf(serverId, all.size()));
    }
}
