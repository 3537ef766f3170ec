package analytics.sender;

import analytics.model.Metric;
import analytics.model.ServerShards;
import java.net.URI;
import java.util.List;

/**
 * Sends to a sharded System 2: one WebSocketTransport per instance, and each server's
 * metrics to the instance that owns it, {@code ServerShards.ownerOf(serverId, N)}. A server
 * always goes to the same instance, over the same connection, so its order is kept.
 *
 * Pattern: routing in the client - the key names its shard, so no proxy sits in between
 *          and every sender routes alike without asking anyone.
 * Lesson:  lessons/22-sharding-system2.md
 * Not here: the wire, the buffers, reconnecting (WebSocketTransport and ProducerConnection,
 *           once per instance); telling the instances apart (they are peers, none knows N).
 * Threads: send from the timer thread, as every MetricTransport.
 *
 * Each instance gets its own share of FAKE_BUFFER_SIZE and its own outage: while one
 * instance is down its servers' metrics wait in its buffer (the oldest dropped when that
 * fills), and the other instances' servers go on as if nothing happened.
 */
final class ShardedTransport implements MetricTransport {

    private final WebSocketTransport[] shards;

    /** @param bufferSize FAKE_BUFFER_SIZE, shared evenly by the instances */
    ShardedTransport(List<URI> instances, int serverCount, int bufferSize, SenderStats stats)
            throws InterruptedException {
        int count = instances.size();
        this.shards = new WebSocketTransport[count];
        for (int i = 0; i < count; i++) {
            // About serverCount/N servers each: under 2,500 that is one WebSocket per instance.
            shards[i] = new WebSocketTransport(instances.get(i), Math.max(1, serverCount / count),
                    Math.max(1, bufferSize / count), stats);
        }
    }

    @Override
    public void send(Metric metric) {
        shards[ServerShards.ownerOf(metric.serverId(), shards.length)].send(metric);
    }

    @Override
    public int connectionsUp() {
        int up = 0;
        for (WebSocketTransport shard : shards) {
            up += shard.connectionsUp();
        }
        return up;
    }

    @Override
    public int buffered() {
        int waiting = 0;
        for (WebSocketTransport shard : shards) {
            waiting += shard.buffered();
        }
        return waiting;
    }

    /** Closes every instance's connections with 1000. */
    @Override
    public void close() {
        for (WebSocketTransport shard : shards) {
            shard.close();
        }
    }
}
