package analytics.system1.broadcast;

import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Answers snapshot.request from Redis: the latest metric of every server the workers
 * have seen, read as SMEMBERS metrics:servers and then one HMGET per server - all the
 * HMGETs in one pipeline, so N servers cost two round trips, not N + 1.
 *
 * Requests that arrive while a read is under way share it ("single flight"): a dashboard
 * sends snapshot.request once when it opens, but after a broadcaster restart every
 * dashboard opens at the same moment. The fault campaign measured 20 of them, each asking
 * for 1,800 servers, waiting in line for 20 reads: the last got its snapshot 6.6 s after
 * the restart. Shared, they wait for one or two.
 *
 * A split stream (lesson 21) keeps a servers set and the latest hashes per shard, under
 * the shard's hash tag: the read is then the same two round trips per shard, each on a
 * connection to the node serving that shard, and the answer is all shards merged.
 *
 * Pattern: read model kept by the writers (the workers), read on demand; pipelined reads;
 *          request coalescing (single flight) against a thundering herd.
 * Lesson:  lessons/13-pub-sub-fan-out.md, lessons/20-faults-and-floods.md
 *          Spec: the contract's "System 1" section
 * Not here: caching between reads; once a read is done, the next request reads afresh.
 * Threads: any thread; one reader at a time on one lazily (re)opened connection, the
 *          others wait for its result.
 */
final class BroadcasterSnapshot implements AutoCloseable {

    /** Written by the workers: the ids, and per id a hash with fields timestamp and metrics. */
    static final String SERVERS_KEY = "metrics:servers";
    static final String LATEST_KEY_PREFIX = "metrics:latest:";

    private final List<StreamShard> shards;
    /** By shard index: each bound to the node of its shard's slot. */
    private final List<RedisConnector> connectors;
    private final ReentrantLock lock = new ReentrantLock();
    /** By shard index, null until opened or after a failure; under lock. */
    private final Connection[] connections;
    /** The read under way, which later requests join; null when none is. Guarded by this. */
    private CompletableFuture<JsonArray> inFlight;

    BroadcasterSnapshot(RedisConnector connector) {
        this(connector, new StreamShards(List.of(StreamShard.single("", ""))));
    }

    BroadcasterSnapshot(RedisConnector connector, StreamShards shards) {
        this.shards = shards.all();
        this.connectors = this.shards.stream().map(shard -> connector.forKey(shard.serversKey())).toList();
        this.connections = new Connection[this.shards.size()];
    }

    /**
     * [{"serverId","timestamp","metrics"}, ...] sorted by serverId: the result of the read
     * under way when this request came, or of a new one. Shared between callers, so read-only.
     */
    JsonArray latestPerServer() throws RedisUnavailableException {
        CompletableFuture<JsonArray> shared;
        boolean reader = false;
        synchronized (this) {
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                reader = true;
            }
            shared = inFlight;
        }
        if (reader) {
            try {
                shared.complete(readNow());
            } catch (RedisUnavailableException | RuntimeException e) {
                shared.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    inFlight = null;
                }
            }
        }
        try {
            return shared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RedisUnavailableException unavailable) {
                throw unavailable;
            }
            throw e;
        }
    }

    private JsonArray readNow() throws RedisUnavailableException {
        lock.lock();
        try {
            Map<String, JsonObject> byServer = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                byServer.putAll(readShard(i));
            }
            JsonArray payload = new JsonArray();
            byServer.values().forEach(payload::add);
            return payload;
        } finally {
            lock.unlock();
        }
    }

    /** One shard's servers, on its own connection; the next request connects afresh after a failure. */
    private Map<String, JsonObject> readShard(int index) throws RedisUnavailableException {
        RedisConnector connector = connectors.get(index);
        try {
            if (connections[index] == null) {
                connections[index] = connector.connect();
            }
            return read(connections[index], shards.get(index));
        } catch (JedisException e) {
            RedisConnector.closeQuietly(connections[index]);
            connections[index] = null;
            throw new RedisUnavailableException("cannot read Redis at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
        }
    }

    private static Map<String, JsonObject> read(Connection connection, StreamShard shard) {
        Pipeline first = new Pipeline(connection);
        Response<Set<String>> members = first.smembers(shard.serversKey());
        first.sync();
        Set<String> ids = new TreeSet<>(members.get());
        Pipeline pipeline = new Pipeline(connection);
        List<Response<List<String>>> replies = new ArrayList<>();
        for (String id : ids) {
            replies.add(pipeline.hmget(shard.latestKey(id), "timestamp", "metrics"));
        }
        pipeline.sync();
        Map<String, JsonObject> metrics = new TreeMap<>();
        int i = 0;
        for (String id : ids) {
            JsonObject metric = metric(id, replies.get(i++).get());
            if (metric != null) {
                metrics.put(id, metric);
            }
        }
        return metrics;
    }

    /** One hash as the contract's metric; null when it is gone or not what workers write. */
    private static JsonObject metric(String serverId, List<String> fields) {
        String timestamp = fields.get(0);
        String metrics = fields.get(1);
        if (timestamp == null || metrics == null) {
            return null; // listed in the set, but its hash expired or was never written
        }
        try {
            return new JsonObject()
                    .add("serverId", serverId)
                    .add("timestamp", Json.parse(timestamp)) // a number as text: keep it a number
                    .add("metrics", Json.parse(metrics));
        } catch (ParseException corrupt) {
            return null; // one bad hash must not cost the dashboard every other server
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (int i = 0; i < connections.length; i++) {
                if (connections[i] != null) {
                    connections[i].close();
                    connections[i] = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
