package analytics.system1.broadcast;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.fanout.TickGroups;
import analytics.log.Log;
import analytics.stats.StatsRoutes;
import analytics.redis.RedisConnector;
import analytics.redis.RedisSubscriber;
import analytics.system1.redis.StreamShards;
import analytics.websocket.WebSocketServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * System 1's broadcaster assembled: the WebSocket server on SYSTEM1_WS_PORT for dashboards,
 * the Redis subscriber on SYSTEM1_REDIS_CHANNEL feeding the fan-out, the snapshot reader,
 * and plain GET /healthz, /stats, /metrics/prometheus on the same port. It starts even
 * when Redis is down - /healthz says why - and subscribes once Redis is back.
 *
 * Pattern: composition root - the one place that wires the parts together.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Not here: ingest and the workers; they only meet the broadcaster through Redis.
 * Threads: start and close from one thread.
 */
public final class System1Broadcaster implements AutoCloseable {

    private static final Log LOG = Log.get(System1Broadcaster.class);
    /** What the log says when the workers' channel is lost, and when it is back (lesson 13). */
    private static final RedisSubscriber.Wording WORDING = new RedisSubscriber.Wording(
            "Redis subscription lost; reconnecting with backoff", "subscribed to the Redis channel");

    private final WebSocketServer server;
    /** One per stream shard (one in all for one Redis). */
    private final List<RedisSubscriber> subscribers;
    private final BroadcasterSnapshot snapshots;
    private final ScheduledExecutorService timers;
    private final BroadcasterStats stats;

    private System1Broadcaster(WebSocketServer server, List<RedisSubscriber> subscribers,
                        BroadcasterSnapshot snapshots, ScheduledExecutorService timers,
                        BroadcasterStats stats) {
        this.server = server;
        this.subscribers = subscribers;
        this.snapshots = snapshots;
        this.timers = timers;
        this.stats = stats;
    }

    /** @throws ConfigException when SYSTEM1_WS_PORT is taken */
    public static System1Broadcaster start(Config config) throws IOException, InterruptedException {
        Config.System1 settings = config.system1();
        BroadcasterStats stats = new BroadcasterStats();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("system1-broadcaster-timers").daemon().factory());
        timers.setRemoveOnCancelPolicy(true); // a tick group's timer goes with its last dashboard
        StreamShards shards = StreamShards.of(config);
        BroadcasterSnapshot snapshots = new BroadcasterSnapshot(
                new RedisConnector(config, "system1-broadcaster-snapshot"), shards);
        BroadcasterSubscriptions subscriptions = new BroadcasterSubscriptions(
                new TickGroups<>(timers, BroadcasterFanout::payloadOf, stats.delivered()));
        BroadcasterHandler handler = new BroadcasterHandler(subscriptions, snapshots, stats,
                config.webSocket().maxMessageBytes());
        Config.WebSocket ws = config.webSocket();
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withAddress(config.bindHost(), settings.wsPort())
                .withMessages(ws.maxMessageBytes(), ws.heartbeat(), ws.allowedOrigins());
        WebSocketServer server = new WebSocketServer("system1-broadcaster", options, handler,
                new StatsRoutes(() -> StatsRoutes.dependencyHealth("redis", stats.redisDownReason()),
                        stats::snapshot));
        // Bind first: a taken port is a configuration error, reported before Redis is touched.
        try {
            ConfigException.bindOrFail("SYSTEM1_WS_PORT", settings.wsPort(), server::start);
        } catch (ConfigException e) {
            timers.shutdownNow();
            throw e;
        }
        BroadcasterFanout fanout = new BroadcasterFanout(server, subscriptions, stats.received(),
                stats.delivered(), stats.unroutable());
        // One subscriber per shard channel, each connected to the node serving its slot.
        RedisConnector listener = new RedisConnector(config, "system1-broadcaster");
        List<RedisSubscriber> subscribers = shards.all().stream()
                .map(shard -> new RedisSubscriber(listener.forKey(shard.channel()), shard.channel(),
                        shard.shardedPubSub(), "system1-broadcast-subscriber"
                        + (shard.shardedPubSub() ? "-" + shard.channel() : ""), WORDING, fanout::publish))
                .toList();
        stats.observe(server, subscribers, subscriptions.ticks()::groupCount);
        try {
            for (RedisSubscriber subscriber : subscribers) {
                subscriber.start(RedisConnector.CONNECT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            subscribers.forEach(RedisSubscriber::close);
            server.close();
            timers.shutdownNow();
            throw e;
        }
        timers.scheduleAtFixedRate(stats::sample, 1, 1, TimeUnit.SECONDS);
        long keepAlive = RedisSubscriber.KEEP_ALIVE.toMillis();
        for (RedisSubscriber subscriber : subscribers) {
            timers.scheduleAtFixedRate(subscriber::ping, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        }
        String redis = stats.redisDownReason();
        LOG.info("System 1 broadcaster listening", "port", server.port(),
                "channel", shards.count() == 1 ? shards.all().get(0).channel()
                        : shards.all().get(0).channel() + ".." + shards.all().get(shards.count() - 1).tag(),
                "redis", redis == null ? "ready" : redis);
        return new System1Broadcaster(server, subscribers, snapshots, timers, stats);
    }

    public int port() {
        return server.port();
    }

    /** Null while subscribed to the channel (every shard channel); else why not. */
    public String redisDownReason() {
        return stats.redisDownReason();
    }

    /** Closes every dashboard with 1001 (going away), then the subscription and timers. */
    @Override
    public void close() {
        server.close();
        subscribers.forEach(RedisSubscriber::close);
        snapshots.close();
        timers.shutdownNow();
    }
}
