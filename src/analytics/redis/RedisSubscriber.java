package analytics.redis;

import analytics.log.Log;
import analytics.retry.Outage;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis pub/sub subscription that outlives Redis: one thread, one dedicated connection in
 * SUBSCRIBE mode, each message handed to a consumer. When the connection breaks it
 * subscribes again, with exponential backoff between failed attempts, and logs the outage
 * once (Outage). On a Redis Cluster with a split stream (lesson 21) there is one per shard,
 * each in SSUBSCRIBE mode on its shard channel ({@code metrics:pubsub:{3}}) on the node
 * serving that slot: sharded pub/sub, where a message travels to that node's subscribers
 * only, not over the whole cluster bus as a PUBLISH does. System 1's broadcaster listens
 * to the workers with it; System 2's shards listen to each other (the bridge, lesson 22).
 *
 * Pattern: subscriber loop with reconnect; a keep-alive PING so a silent Redis is noticed.
 *          Sharded: Jedis 5.2's JedisShardedPubSub has no ping(), and a PING's reply would
 *          end its read loop ("Unknown message type"), so there a read timeout does the
 *          keep-alive's job: after SILENCE_LIMIT without a message the subscriber quietly
 *          subscribes again on a fresh connection.
 * Lesson:  lessons/13-pub-sub-fan-out.md, lessons/21-scaling-system1-out.md,
 *          lessons/22-sharding-system2.md   Spec: Redis pub/sub (SUBSCRIBE, SSUBSCRIBE, RESP push messages)
 * Not here: what a message means (BroadcasterFanout, System2Bridge). Pub/sub is
 *           at-most-once: what is published while we are disconnected is lost; dashboards
 *           catch up with a snapshot, a bridged shard with each server's next metric.
 * Threads: run() on its own platform thread; ping() from a timer; close() from any thread.
 */
public final class RedisSubscriber implements AutoCloseable {

    /**
     * What the log says when the subscription is lost and when it is back: each subscriber
     * says what its loss means to its user.
     */
    public record Wording(String lost, String back) {
    }


    /** A subscribed connection only reads; a PING this often proves the line is alive. */
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    /** No byte (not even the PING's answer) for this long: the connection is dead. */
    static final Duration SILENCE_LIMIT = KEEP_ALIVE.multipliedBy(3);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final Log LOG = Log.get(RedisSubscriber.class);

    private final RedisConnector connector;
    private final String channel;
    /** SSUBSCRIBE to a shard channel instead of SUBSCRIBE. */
    private final boolean sharded;
    private final Consumer<String> onMessage;
    private final Thread thread;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** JedisPubSub writes (PING, UNSUBSCRIBE) are not synchronised; these come from two threads. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Outage outage;
    private volatile long reconnects;
    /** How long a shard channel may be silent before we subscribe afresh (SILENCE_LIMIT). */
    private final Duration silenceLimit;
    /** The run thread's: the last subscription ended in silence, not in a loss. */
    private boolean afterSilence;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile JedisPubSub pubSub;
    private volatile JedisShardedPubSub shardPubSub;

    /**
     * @param sharded    SSUBSCRIBE to a shard channel, on the node serving its slot, instead of SUBSCRIBE
     * @param threadName the subscriber thread's name, seen in a thread dump
     */
    public RedisSubscriber(RedisConnector connector, String channel, boolean sharded, String threadName,
                           Wording wording, Consumer<String> onMessage) {
        this(connector, channel, sharded, threadName, wording, onMessage, SILENCE_LIMIT);
    }

    /** With another silence limit: tests, which cannot wait 15 s. */
    RedisSubscriber(RedisConnector connector, String channel, boolean sharded, String threadName,
                    Wording wording, Consumer<String> onMessage, Duration silenceLimit) {
        this.silenceLimit = silenceLimit;
        this.connector = connector;
        this.channel = channel;
        this.sharded = sharded;
        this.onMessage = onMessage;
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::run);
        this.outage = Outage.startingDown(LOG, wording.lost(), wording.back(), () -> closed);
    }

    /** Starts the thread and waits (at most {@code wait}) for the first subscribe attempt. */
    public void start(Duration wait) throws InterruptedException {
        thread.start();
        firstAttempt.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Null while subscribed; else why not (what GET /healthz says). */
    public String downReason() {
        return outage.reason();
    }

    /**
     * Subscriptions made again after a lost connection. A shard channel's quiet
     * re-subscribe after a silence is not one: on a quiet cluster it comes every 15 s.
     */
    public long reconnects() {
        return reconnects;
    }

    private void run() {
        boolean everSubscribed = false;
        while (!closed) {
            try {
                connection = connector.connect();
            } catch (JedisException e) {
                afterSilence = false; // the node is gone after all: the next one is a reconnect
                outage.down("cannot reach Redis at " + connector.address() + ": "
                        + RedisUnavailableException.reasonOf(e));
                firstAttempt.countDown();
                if (!outage.pause()) {
                    closed = true;
                }
                continue;
            }
            if (everSubscribed && !afterSilence) {
                reconnects++;
            }
            everSubscribed = true;
            afterSilence = false;
            if (sharded) {
                listenSharded();
            } else {
                listen(); // returns when the connection breaks or close() unsubscribes
            }
        }
    }

    /**
     * SSUBSCRIBE and read until the connection ends - or the node stops serving the slot
     * (Redis then sends SUNSUBSCRIBE itself, and the loop ends) - or the channel was
     * silent for SILENCE_LIMIT (the read times out: subscribe afresh, no outage).
     */
    private void listenSharded() {
        JedisShardedPubSub listener = new ShardListener();
        shardPubSub = listener;
        try {
            listener.proceed(connection, channel);
        } catch (JedisConnectionException e) {
            if (e.getCause() instanceof SocketTimeoutException && !closed) {
                LOG.debug("shard channel silent; subscribing again", "channel", channel);
                afterSilence = true;
            } else {
                outage.down("lost the subscription at " + connector.address() + ": "
                        + RedisUnavailableException.reasonOf(e));
            }
        } catch (JedisException e) {
            outage.down("lost the subscription at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
        } finally {
            shardPubSub = null;
            RedisConnector.closeQuietly(connection);
        }
    }

    private final class ShardListener extends JedisShardedPubSub {
        @Override
        public void onSSubscribe(String subscribed, int count) {
            connection.setSoTimeout((int) silenceLimit.toMillis());
            outage.up("address", connector.address(), "shardChannel", subscribed);
            firstAttempt.countDown();
        }

        @Override
        public void onSMessage(String from, String message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException bug) {
                LOG.error("handling a published message failed", bug, "channel", from);
            }
        }
    }

    /** Subscribes and reads messages until the connection ends. */
    private void listen() {
        JedisPubSub listener = new Listener();
        pubSub = listener;
        try {
            listener.proceed(connection, channel); // SUBSCRIBE, then the read loop
        } catch (JedisException e) {
            outage.down("lost the subscription at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
        } finally {
            pubSub = null;
            RedisConnector.closeQuietly(connection);
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String subscribed, int count) {
            // proceed() made reads wait forever; with the keep-alive PING a bounded wait
            // turns a Redis that went silent (no FIN, no RST) into an error we recover from.
            connection.setSoTimeout((int) silenceLimit.toMillis());
            outage.up("address", connector.address(), "channel", subscribed);
            firstAttempt.countDown();
        }

        @Override
        public void onMessage(String from, String message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException bug) {
                // An exception out of here would end Jedis' read loop and drop the subscription.
                LOG.error("handling a published message failed", bug, "channel", from);
            }
        }
    }

    /** Called every KEEP_ALIVE by the broadcaster's timer. */
    public void ping() {
        writeLock.lock();
        try {
            JedisPubSub current = pubSub;
            if (current != null && current.isSubscribed()) {
                current.ping();
            }
        } catch (JedisException e) {
            // the read loop meets the same broken connection and reconnects
            LOG.debug("keep-alive ping failed", "error", e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void cutConnection() {
        Connection c = connection;
        if (c != null) {
            c.close(); // a read blocked on it fails at once, and the loop sees closed
        }
    }

    /** Unsubscribes (or cuts the connection if that fails), then waits for the thread. */
    @Override
    public void close() {
        closed = true;
        writeLock.lock();
        try {
            JedisPubSub current = pubSub;
            JedisShardedPubSub currentShard = shardPubSub;
            if (currentShard != null && currentShard.isSubscribed()) {
                currentShard.sunsubscribe();
            } else if (current != null && current.isSubscribed()) {
                current.unsubscribe(); // the read loop ends when Redis confirms
            } else {
                cutConnection(); // connecting, or SUBSCRIBE not confirmed yet
            }
        } catch (JedisException e) {
            cutConnection();
        } finally {
            writeLock.unlock();
        }
        thread.interrupt(); // wakes a backoff sleep; a blocking socket read ignores it
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
