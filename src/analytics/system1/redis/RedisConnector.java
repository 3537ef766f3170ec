package analytics.system1.redis;

import analytics.config.Config;
import analytics.log.Log;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Opens one Redis connection from the SYSTEM1_REDIS_* settings, with a bounded connect
 * and a bounded wait for every reply, so no caller can hang on a Redis that went silent.
 *
 * Pattern: factory holding the connection settings; the owner of each connection decides
 *          when to reconnect.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: pooling - each System 1 component owns a dedicated connection on one thread.
 * Threads: immutable; connect() from any thread, each connection then used by one thread.
 */
public final class RedisConnector {

    /** A Redis on the same machine or network answers in well under a millisecond. */
    private static final Log LOG = Log.get(RedisConnector.class);

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);

    private final HostAndPort address;
    private final JedisClientConfig clientConfig;

    /** @param clientName shown by {@code redis-cli CLIENT LIST}, e.g. "system1-ingest" */
    public RedisConnector(Config.Redis redis, String clientName) {
        this.address = new HostAndPort(redis.host(), redis.port());
        this.clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
                .user(redis.username().isEmpty() ? null : redis.username())
                .password(redis.password().isEmpty() ? null : redis.password())
                .database(redis.db())
                .clientName(clientName)
                .build();
    }

    /** A connected, authenticated connection on the configured database; verified by PING. */
    public Connection connect() throws JedisException {
        Connection connection = new Connection(address, clientConfig); // connects, AUTH, SELECT
        try {
            connection.ping();
            return connection;
        } catch (JedisException e) {
            closeQuietly(connection);
            throw e;
        }
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

    /** "localhost:6379", for logs and reasons. */
    public String address() {
        return address.toString();
    }
}
