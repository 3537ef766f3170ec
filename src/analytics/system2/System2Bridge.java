package analytics.system2;

import analytics.config.Config;
import analytics.log.Log;
import analytics.retry.Outage;
import analytics.redis.RedisConnector;
import analytics.redis.RedisSubscriber;
import analytics.redis.RedisUnavailableException;
import analytics.system2.aggregate.AggregateSnapshot;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One shard's link to the others: every aggregate this instance makes is published on
 * SYSTEM2_BRIDGE_CHANNEL, and every aggregate another instance publishes there is pushed to
 * this instance's dashboards, as if its metric had arrived here. So a dashboard on any
 * shard sees the whole fleet with the messages of the contract, unchanged, and each shard
 * still keeps in memory only the servers it owns - plus the latest aggregate of every other
 * server, for a snapshot of the whole fleet.
 *
 * Pattern: a bridge between shards on an existing engine (Redis pub/sub); group commit on
 *          the way out - a publish carries whatever queued during the previous one, so a
 *          quiet shard pays one round trip per metric and a busy one sends big batches.
 * Lesson:  lessons/22-sharding-system2.md   Spec: the contract's "Sharded (beyond)"
 * Not here: the message's text (BridgeCodec), the subscription loop (RedisSubscriber),
 *           any durability: pub/sub is at-most-once, and so is this bridge.
 * Threads: offer() from producers' reader threads, never blocking; one platform thread
 *          publishes; the subscriber's thread pushes to dashboards (the fan-out is
 *          thread-safe); snapshots and eviction from anywhere (the map is concurrent).
 */
final class System2Bridge implements AutoCloseable {

    /** Aggregates in one PUBLISH at most: about 300 KB of JSON, well under a Redis message's limit. */
    static final int MAX_BATCH = 500;
    /** Aggregates waiting to be published at most; over it they are dropped, and counted. */
    static final int MAX_WAITING = 20_000;
    /** The name both connections give themselves (CLIENT SETNAME). */
    static final String CLIENT_NAME = "system2-bridge";

    private static final Log LOG = Log.get(System2Bridge.class);
    private static final CommandObjects COMMANDS = new CommandObjects();

    /** Random per start: how an instance knows its own messages when they come back. */
    private final String id = UUID.randomUUID().toString();
    private final RedisConnector connector;
    private final String channel;
    private final System2Fanout fanout;
    private final long idleEvictMs;
    private final BlockingQueue<AggregateSnapshot> waiting = new ArrayBlockingQueue<>(MAX_WAITING);
    private final Map<String, Remote> remote = new ConcurrentHashMap<>();
    private final RedisSubscriber subscriber;
    private final Thread publisher;
    private final Outage outage;
    private final LongAdder published = new LongAdder();
    private final LongAdder publishes = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile boolean closed;

    /** Another shard's server as last heard of: its latest aggregate, and when it came. */
    private record Remote(AggregateSnapshot aggregate, long receivedAt) {
    }

    private System2Bridge(Config.System2 settings, System2Fanout fanout) {
        this.connector = new RedisConnector(settings.bridgeRedis(), CLIENT_NAME);
        this.channel = settings.bridgeChannel();
        this.fanout = fanout;
        this.idleEvictMs = settings.idleEvict().toMillis();
        this.subscriber = new RedisSubscriber(connector, channel, false, "system2-bridge-subscriber",
                new RedisSubscriber.Wording("bridge subscription lost; other shards' servers are not seen"
                        + " until it is back", "subscribed to the bridge channel"), this::received);
        this.outage = Outage.startingUp(LOG, "bridge cannot publish; other shards' dashboards miss this"
                + " shard's servers until it can", "bridge publishing again", () -> closed);
        this.publisher = Thread.ofPlatform().name("system2-bridge-publisher").daemon()
                .unstarted(this::publishUntilClosed);
    }

    /**
     * Subscribes (waiting a moment for it, so a dashboard that connects right after the
     * start sees the fleet) and starts publishing. A Redis that cannot be reached does not
     * stop the instance: it serves its own servers and the bridge keeps trying.
     */
    static System2Bridge start(Config.System2 settings, System2Fanout fanout) {
        System2Bridge bridge = new System2Bridge(settings, fanout);
        try {
            bridge.subscriber.start(RedisConnector.CONNECT_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // start without waiting; the caller sees the flag
        }
        bridge.publisher.start();
        LOG.info("bridge started", "redis", bridge.connector.address(), "channel", bridge.channel,
                "instance", bridge.id, "subscribed", bridge.subscriber.downReason() == null);
        return bridge;
    }

    /** An aggregate this instance made: queued for the other shards; never blocks. */
    void offer(AggregateSnapshot local) {
        if (!waiting.offer(local)) {
            lost.increment();
        }
    }

    private void publishUntilClosed() {
        List<AggregateSnapshot> batch = new ArrayList<>(MAX_BATCH);
        Connection redis = null;
        try {
            while (!closed) {
                AggregateSnapshot first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (redis == null) {
                    redis = connectOrDropWaiting(first);
                    if (redis == null) {
                        continue;
                    }
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                try {
                    redis.executeCommand(COMMANDS.publish(channel, BridgeCodec.encode(id, batch)));
                    published.add(batch.size());
                    publishes.increment();
                } catch (JedisException e) {
                    lost.add(batch.size()); // pub/sub is at-most-once: no retry of stale aggregates
                    outage.down("lost the connection to Redis at " + connector.address() + ": "
                            + RedisUnavailableException.reasonOf(e));
                    RedisConnector.closeQuietly(redis);
                    redis = null;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            RedisConnector.closeQuietly(redis);
        }
    }

    /**
     * A connection, or null after a backoff pause. What waited meanwhile is dropped, not
     * published late: a dashboard wants a server's latest aggregate, and the server's next
     * metric brings it.
     */
    private Connection connectOrDropWaiting(AggregateSnapshot first) {
        try {
            Connection redis = connector.connect();
            outage.up("address", connector.address());
            return redis;
        } catch (JedisException e) {
            outage.down("cannot reach Redis at " + connector.address() + ": "
                    + RedisUnavailableException.reasonOf(e));
            outage.pause();
            List<AggregateSnapshot> stale = new ArrayList<>();
            waiting.drainTo(stale);
            lost.add(1 + stale.size());
            return null;
        }
    }

    /** A message on the channel: another shard's aggregates, to this shard's dashboards. */
    private void received(String text) {
        if (BridgeCodec.isFrom(id, text)) {
            return; // our own, back from Redis: skipped before the costly part, the decode
        }
        switch (BridgeCodec.decode(text)) {
            case BridgeCodec.Refused refusal -> {
                refused.increment();
                LOG.debug("not a bridge message; ignored", "channel", channel, "why", refusal.why());
            }
            case BridgeCodec.Batch batch when batch.from().equals(id) -> { } // our own, spelt otherwise
            case BridgeCodec.Batch batch -> {
                long now = System.currentTimeMillis();
                for (AggregateSnapshot aggregate : batch.aggregates()) {
                    remote.put(aggregate.serverId(), new Remote(aggregate, now));
                    fanout.publish(aggregate);
                }
                received.add(batch.aggregates().size());
            }
        }
    }

    /** Another shard's server, as last heard of; null when none has told of it. */
    AggregateSnapshot remote(String serverId) {
        Remote last = remote.get(serverId);
        return last == null ? null : last.aggregate();
    }

    /** The whole fleet: this shard's servers, then every other one heard of, by serverId. */
    List<AggregateSnapshot> withRemote(List<AggregateSnapshot> local) {
        Map<String, AggregateSnapshot> fleet = new HashMap<>();
        remote.forEach((serverId, last) -> fleet.put(serverId, last.aggregate()));
        local.forEach(aggregate -> fleet.put(aggregate.serverId(), aggregate)); // the owner's own wins
        List<AggregateSnapshot> all = new ArrayList<>(fleet.values());
        all.sort(Comparator.comparing(AggregateSnapshot::serverId));
        return all;
    }

    /**
     * Forgets the other shards' servers not heard of for SYSTEM2_IDLE_EVICT_MS, as the
     * aggregator forgets its own: a dead shard's servers leave the snapshot then.
     */
    void evictIdle(long nowMillis) {
        remote.values().removeIf(last -> nowMillis - last.receivedAt() > idleEvictMs);
    }

    void ping() {
        subscriber.ping();
    }

    /** The bridge's part of GET /stats. */
    JsonObject figures() {
        String down = subscriber.downReason() != null ? subscriber.downReason() : outage.reason();
        return new JsonObject()
                .add("channel", channel)
                .add("redis", down == null ? "ready" : down)
                .add("remoteServers", remote.size())
                .add("publishedTotal", published.sum())
                .add("publishes", publishes.sum())
                .add("receivedTotal", received.sum())
                .add("lostTotal", lost.sum())
                .add("refusedTotal", refused.sum());
    }

    /** Stops publishing (what still waits is dropped) and unsubscribes. */
    @Override
    public void close() {
        closed = true;
        publisher.interrupt();
        try {
            publisher.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriber.close();
    }
}
