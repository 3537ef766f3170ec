package analytics.system1.broadcast;

import analytics.system1.redis.RedisConnector;
import analytics.system1.redis.RedisUnavailableException;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * Pattern: read model kept by the writers (the workers), read on demand; pipelined reads.
 * Lesson:  lessons/13-pub-sub-fan-out.md   Spec: the contract's "System 1" section
 * Not here: caching; every request reads Redis, which is right for a request a dashboard
 *           sends once when it opens.
 * Threads: any thread; one lazily (re)opened connection, used under a lock.
 */
final class BroadcasterSnapshot implements AutoCloseable {

    /** Written by the workers: the ids, and per id a hash with fields timestamp and metrics. */
    static final String SERVERS_KEY = "metrics:servers";
    static final String LATEST_KEY_PREFIX = "metrics:latest:";

    private final RedisConnector connector;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection; // under lock

    BroadcasterSnapshot(RedisConnector connector) {
        this.connector = connector;
    }

    /** [{"serverId","timestamp","metrics"}, ...] sorted by serverId. */
    JsonArray latestPerServer() throws RedisUnavailableException {
        lock.lock();
        try {
            if (connection == null) {
                connection = connector.connect();
            }
            return read(connection);
        } catch (JedisException e) {
            if (connection != null) {
                connection.close();
                connection = null; // the next request connects afresh
            }
            throw new RedisUnavailableException("cannot read Redis at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
        } finally {
            lock.unlock();
        }
    }

    private static JsonArray read(Connection connection) {
        Pipeline first = new Pipeline(connection);
        Response<Set<String>> members = first.smembers(SERVERS_KEY);
        first.sync();
        Set<String> ids = new TreeSet<>(members.get());
        Pipeline pipeline = new Pipeline(connection);
        List<Response<List<String>>> replies = new ArrayList<>();
        for (String id : ids) {
            replies.add(pipeline.hmget(LATEST_KEY_PREFIX + id, "timestamp", "metrics"));
        }
        pipeline.sync();
        JsonArray payload = new JsonArray();
        int i = 0;
        for (String id : ids) {
            JsonObject metric = metric(id, replies.get(i++).get());
            if (metric != null) {
                payload.add(metric);
            }
        }
        return payload;
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
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
