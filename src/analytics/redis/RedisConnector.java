package analytics.redis;

import analytics.config.Config;
import analytics.log.Log;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Opens one Redis connection from the SYSTEM1_REDIS_* settings, with a bounded connect
 * and a bounded wait for every reply, so no caller can hang on a Redis that went silent.
 * On a Redis Cluster (SYSTEM1_REDIS_CLUSTER) a connector is bound to one key's slot:
 * connect() asks the nodes for the slot map (CLUSTER SHARDS) and connects to the master
 * serving that slot now - after a failover, the replica that took over.
 *
 * Pattern: factory holding the connection settings; the owner of each connection decides
 *          when to reconnect. On a cluster, client-side routing by slot, looked up afresh
 *          at every connect, so a reconnect after a failover finds the new master.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md, lessons/21-scaling-system1-out.md
 *          Spec: Redis Cluster specification (key slots, CLUSTER SHARDS, MOVED)
 * Not here: pooling - each System 1 component owns a dedicated connection on one thread;
 *           following MOVED per command (JedisCluster does): everything a connection here
 *           sends is in one slot, so a MOVED means "reconnect", and the owners do that.
 * Threads: immutable; connect() from any thread, each connection then used by one thread.
 */
public final class RedisConnector {

    /** A Redis on the same machine or network answers in well under a millisecond. */
    private static final Log LOG = Log.get(RedisConnector.class);

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    /** SYSTEM1_REDIS_CLUSTER's nodes; empty for one Redis at {@code address}. */
    private final List<HostAndPort> clusterNodes;
    /** The cluster slot this connector reaches; -1 for one Redis. */
    private final int slot;
    /** The node of the last connect, for logs and reasons. */
    private volatile String lastNode;

    /** @param clientName shown by {@code redis-cli CLIENT LIST}, e.g. "system1-ingest" */
    public RedisConnector(Config.Redis redis, String clientName) {
        this(redis, List.of(), -1, clientName);
    }

    /**
     * One Redis, or with SYSTEM1_REDIS_CLUSTER set a cluster: then bind it to a key's slot
     * with {@link #forKey} before connecting.
     */
    public RedisConnector(Config config, String clientName) {
        this(config.redis(), config.redisCluster().nodes().stream().map(HostAndPort::from).toList(),
                -1, clientName);
    }

    private RedisConnector(Config.Redis redis, List<HostAndPort> clusterNodes, int slot, String clientName) {
        this.address = new HostAndPort(redis.host(), redis.port());
        this.clusterNodes = List.copyOf(clusterNodes);
        this.slot = slot;
        this.clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
                .user(redis.username().isEmpty() ? null : redis.username())
                .password(redis.password().isEmpty() ? null : redis.password())
                .database(redis.db())
                .clientName(clientName)
                .build();
        this.lastNode = clusterNodes.isEmpty() ? address.toString()
                : "slot " + slot + " of the cluster at " + clusterNodes.get(0);
    }

    private RedisConnector(RedisConnector base, int slot) {
        this.address = base.address;
        this.clientConfig = base.clientConfig;
        this.clusterNodes = base.clusterNodes;
        this.slot = slot;
        this.lastNode = "slot " + slot + " of the cluster at " + clusterNodes.get(0);
    }

    /**
     * A connector reaching the node that serves {@code key}: on a cluster, the master of
     * the key's slot (hash tags included: {@code metrics:stream:{3}} hashes "3"); on one
     * Redis, this very connector.
     */
    public RedisConnector forKey(String key) {
        return clusterNodes.isEmpty() ? this : new RedisConnector(this, JedisClusterCRC16.getSlot(key));
    }

    /** Whether this connector talks to a Redis Cluster. */
    public boolean cluster() {
        return !clusterNodes.isEmpty();
    }

    /** A connected, authenticated connection on the configured database; verified by PING. */
    public Connection connect() throws JedisException {
        HostAndPort node = clusterNodes.isEmpty() ? address : masterOfSlot();
        lastNode = node.toString();
        Connection connection = new Connection(node, clientConfig); // connects, AUTH, SELECT
        try {
            connection.ping();
            return connection;
        } catch (JedisException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Asks the configured nodes in turn for the slot map (CLUSTER SHARDS, Redis 7) and
     * answers the master of this connector's slot. A node that is down is skipped. During
     * a failover there is a moment when the slot's master is marked failed and no replica
     * has taken over yet: that is reported like a refused connection, and the caller
     * retries with backoff and asks again.
     */
    private HostAndPort masterOfSlot() {
        if (slot < 0) {
            throw new IllegalStateException("a cluster connector must be bound to a key: use forKey()");
        }
        List<String> failures = new ArrayList<>();
        for (HostAndPort node : clusterNodes) {
            try (Connection connection = new Connection(node, clientConfig)) {
                for (ClusterShardInfo shard : new Jedis(connection).clusterShards()) {
                    if (serves(shard, slot)) {
                        return healthyMaster(shard, node);
                    }
                }
                throw new JedisConnectionException("CLUSTERDOWN no node serves slot " + slot
                        + " (asked " + node + ")");
            } catch (JedisConnectionException e) {
                failures.add(node + ": " + RedisUnavailableException.reasonOf(e));
            }
        }
        throw new JedisConnectionException("no cluster node knows a master for slot " + slot + " ("
                + String.join("; ", failures) + ")");
    }

    /** A shard's slots come as [first, last] ranges. */
    private static boolean serves(ClusterShardInfo shard, int slot) {
        for (List<Long> range : shard.getSlots()) {
            if (range.get(0) <= slot && slot <= range.get(1)) {
                return true;
            }
        }
        return false;
    }

    private HostAndPort healthyMaster(ClusterShardInfo shard, HostAndPort asked) {
        for (ClusterShardNodeInfo member : shard.getNodes()) {
            if ("master".equals(member.getRole()) && "online".equals(member.getHealth())) {
                return new HostAndPort(member.getIp(), member.getPort().intValue());
            }
        }
        throw new JedisConnectionException("slot " + slot + " has no master online (failover under way?),"
                + " says " + asked);
    }

    /**
     * A reply that says this connection talks to the wrong node now: MOVED (the slot has
     * another master, after a failover or a resharding), ASK, CLUSTERDOWN, or READONLY (a
     * master we still hold was demoted to a replica). The owner reconnects on such a reply.
     */
    public static boolean misrouted(JedisException error) {
        if (error instanceof JedisRedirectionException
                || error instanceof JedisClusterException) {
            return true;
        }
        String message = error.getMessage();
        return message != null && (message.startsWith("READONLY") || message.startsWith("CLUSTERDOWN")
                || message.startsWith("TRYAGAIN") || message.startsWith("MOVED"));
    }

    /**
     * Closes a connection that may already be broken. Closing one can throw too - Jedis
     * flushes on close, and after Redis died that is a "Broken pipe" - and the caller is
     * usually cleaning up after a failure on a thread that must live on (the ingest's
     * batcher, a worker, the subscriber): dying of the clean-up would leave requests
     * unanswered for good. The socket is gone either way. Null is fine.
     */
    public static void closeQuietly(Closeable connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException alreadyBroken) {
            LOG.debug("closing a broken Redis connection failed too", "error", String.valueOf(alreadyBroken));
        }
    }

    /** "localhost:6379" (on a cluster: the node of the last connect), for logs and reasons. */
    public String address() {
        return lastNode;
    }
}
