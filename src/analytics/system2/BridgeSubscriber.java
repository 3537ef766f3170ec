package analytics.system2;

import analytics.log.Log;
import analytics.retry.Outage;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The bridge's ear: one platform thread, one Redis connection in SUBSCRIBE mode on
 * SYSTEM2_BRIDGE_CHANNEL, each message handed to a consumer; subscribes again with backoff
 * when the connection breaks, and logs the outage once.
 *
 * Pattern: subscriber loop with reconnect and a keep-alive PING - the loop of lesson 13's
 *          BroadcasterSubscriber, for a channel between peers instead of workers.
 * Lesson:  lessons/22-sharding-system2.md   Spec: Redis pub/sub (SUBSCRIBE)
 * Not here: what a message means (System2Bridge, BridgeCodec). Pub/sub is at-most-once:
 *           what the other instances publish while this one is not subscribed is never seen
 *           here; their next metric brings each server back.
 * Threads: its own thread reads; ping() from System 2's timer; close() from any thread.
 */
final class BridgeSubscriber implements AutoCloseable {

    /** A subscribed connection only reads; a PING this often proves the line is alive. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    /** No byte, not even the PING's answer, for this long: the connection is dead. */
    private static final Duration SILENCE_LIMIT = KEEP_ALIVE.multipliedBy(3);

    private static final Log LOG = Log.get(BridgeSubscriber.class);

    private final RedisConnector connector;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Thread thread;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    /** PING and UNSUBSCRIBE come from two threads; JedisPubSub's writes are not synchronised. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Outage outage;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile JedisPubSub pubSub;

    BridgeSubscriber(RedisConnector connector, String channel, Consumer<String> onMessage) {
        this.connector = connector;
        this.channel = channel;
        this.onMessage = onMessage;
        this.thread = Thread.ofPlatform().name("system2-bridge-subscriber").daemon().unstarted(this::run);
        this.outage = Outage.startingDown(LOG, "bridge subscription lost; other shards' servers are not"
                + " seen until it is back", "subscribed to the bridge channel", () -> closed);
    }

    /** Starts the thread; waits at most {@code wait} for the first SUBSCRIBE to be confirmed. */
    void start(Duration wait) throws InterruptedException {
        thread.start();
        subscribed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Null while subscribed; else why not. */
    String downReason() {
        return outage.reason();
    }

    private void run() {
        while (!closed) {
            try {
                connection = connector.connect();
            } catch (JedisException e) {
                outage.down("cannot reach Redis at " + connector.address() + ": "
                        + RedisUnavailableException.reasonOf(e));
                if (!outage.pause()) {
                    return;
                }
                continue;
            }
            JedisPubSub listener = new Listener();
            pubSub = listener;
            try {
                listener.proceed(connection, channel); // SUBSCRIBE, then reads until it ends
            } catch (JedisException e) {
                outage.down("lost the subscription at " + connector.address() + ": "
                        + RedisUnavailableException.reasonOf(e));
            } finally {
                pubSub = null;
                RedisConnector.closeQuietly(connection);
            }
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String name, int count) {
            // proceed() reads without a deadline; with the keep-alive PING a bounded one turns
            // a Redis gone silent (no FIN, no RST) into an error the loop recovers from.
            connection.setSoTimeout((int) SILENCE_LIMIT.toMillis());
            outage.up("address", connector.address(), "channel", name);
            subscribed.countDown();
        }

        @Override
        public void onMessage(String from, String message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException bug) {
                // Thrown out of here it would end Jedis' read loop and drop the subscription.
                LOG.error("handling a bridge message failed", bug, "channel", from);
            }
        }
    }

    /** Called every KEEP_ALIVE by System 2's timer. */
    void ping() {
        writeLock.lock();
        try {
            JedisPubSub current = pubSub;
            if (current != null && current.isSubscribed()) {
                current.ping();
            }
        } catch (JedisException e) {
            LOG.debug("bridge keep-alive ping failed", "error", e.getMessage()); // the reader reconnects
        } finally {
            writeLock.unlock();
        }
    }

    /** Unsubscribes (or cuts the connection when that fails), then waits for the thread. */
    @Override
    public void close() {
        closed = true;
        writeLock.lock();
        try {
            JedisPubSub current = pubSub;
            if (current != null && current.isSubscribed()) {
                current.unsubscribe();
            } else {
                RedisConnector.closeQuietly(connection);
            }
        } catch (JedisException e) {
            RedisConnector.closeQuietly(connection);
        } finally {
            writeLock.unlock();
        }
        thread.interrupt(); // wakes a backoff pause
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
