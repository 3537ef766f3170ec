package analytics.system2;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.redis.RedisSubscriber;
import analytics.stats.StatsRoutes;
import analytics.system2.aggregate.Aggregator;
import analytics.websocket.WebSocketServer;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * System 2 assembled: one WebSocket server whose handler aggregates in memory and pushes
 * to dashboards, plus the timers (stats sampling, idle eviction) and plain HTTP GETs on
 * the same port (/healthz, /stats, /metrics/prometheus); sharded, the bridge to the other
 * shards (lessons/22-sharding-system2.md).
 *
 * Pattern: composition root - the one place that wires the parts together.
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: start and close from one thread.
 */
public final class System2 implements AutoCloseable {

    private final WebSocketServer server;
    private final ScheduledExecutorService timers;
    private final System2Bridge bridge; // null: an instance alone

    private System2(WebSocketServer server, ScheduledExecutorService timers, System2Bridge bridge) {
        this.server = server;
        this.timers = timers;
        this.bridge = bridge;
    }

    public static System2 start(Config config) throws IOException {
        Config.System2 settings = config.system2();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("system2-timers").daemon().factory());
        timers.setRemoveOnCancelPolicy(true); // a tick group's timer goes with its last dashboard
        System2Stats stats = new System2Stats();
        Aggregator aggregator = new Aggregator(settings);
        System2Fanout fanout = new System2Fanout(timers, stats.delivered());
        // Sharded (SYSTEM2_BRIDGE_REDIS_URL set): the other shards' servers reach our dashboards.
        System2Bridge bridge = settings.bridged() ? System2Bridge.start(settings, fanout) : null;
        System2Handler handler = new System2Handler(aggregator, fanout, stats,
                config.webSocket().maxMessageBytes(), config.ingestToken(), bridge);
        Config.WebSocket ws = config.webSocket();
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withAddress(config.bindHost(), settings.wsPort())
                .withMessages(ws.maxMessageBytes(), ws.heartbeat(), ws.allowedOrigins());
        WebSocketServer server = new WebSocketServer("system2", options, handler,
                new StatsRoutes(StatsRoutes::healthy, stats::snapshot));
        try {
            ConfigException.bindOrFail("SYSTEM2_WS_PORT", settings.wsPort(), server::start);
        } catch (ConfigException e) {
            timers.shutdownNow();
            if (bridge != null) {
                bridge.close();
            }
            throw e;
        }
        stats.observe(server, fanout::dashboardCount, fanout::tickGroupCount, aggregator::serverCount);
        if (bridge != null) {
            stats.observeBridge(bridge::figures);
            timers.scheduleAtFixedRate(bridge::ping, RedisSubscriber.KEEP_ALIVE.toMillis(),
                    RedisSubscriber.KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        }
        timers.scheduleAtFixedRate(stats::sample, 1, 1, TimeUnit.SECONDS);
        long evictEvery = Math.max(1000, Math.min(settings.idleEvict().toMillis(), 60_000));
        timers.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            aggregator.evictIdle(now);
            if (bridge != null) {
                bridge.evictIdle(now);
            }
        }, evictEvery, evictEvery, TimeUnit.MILLISECONDS);
        return new System2(server, timers, bridge);
    }

    public int port() {
        return server.port();
    }

    /** Closes every connection with 1001 (going away), then the bridge, then stops the timers. */
    @Override
    public void close() {
        server.close();
        if (bridge != null) {
            bridge.close();
        }
        timers.shutdownNow();
    }
}
