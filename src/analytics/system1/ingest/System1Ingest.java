package analytics.system1.ingest;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.http.Http1Server;
import analytics.http2.Http2Server;
import analytics.log.Log;
import analytics.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import analytics.system1.redis.StreamShard;
import analytics.system1.redis.StreamShards;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * System 1's ingest assembled: the stream batcher with its Redis connection, the group-lag
 * sampler with another, the ingest handler, the HTTP/1.1 server on SYSTEM1_HTTP_PORT and
 * the HTTP/2 (h2c) server on SYSTEM1_HTTP2_PORT - both running the same handler object -, and
 * the once-a-second stats timer.
 * It starts even when Redis is down - answering 503 and saying why on /healthz - and
 * picks Redis up when it comes back.
 *
 * Pattern: composition root - the one place that wires the parts together.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Not here: workers and the broadcaster (the same JVM by default, in a later part).
 * Threads: start and close from one thread.
 */
public final class System1Ingest implements AutoCloseable {

    private static final Log LOG = Log.get(System1Ingest.class);

    private final Http1Server server;
    private final Http2Server http2;
    private final ShardedBatcher batcher;
    private final ShardedLag lag;
    private final ScheduledExecutorService timers;

    private System1Ingest(Http1Server server, Http2Server http2, ShardedBatcher batcher, ShardedLag lag,
                          ScheduledExecutorService timers) {
        this.server = server;
        this.http2 = http2;
        this.batcher = batcher;
        this.lag = lag;
        this.timers = timers;
    }

    /** @throws analytics.config.ConfigException when SYSTEM1_HTTP_PORT is taken */
    public static System1Ingest start(Config config) throws IOException, InterruptedException {
        Config.System1 settings = config.system1();
        // The queue holds a job per request, and at most maxPendingWrites requests are admitted:
        // it fills only when the sweeper failed jobs that Redis has not taken yet.
        // One batcher and one lag sampler per stream shard, each connected to the node that
        // serves its shard (on one Redis: all to it); one shard is exactly the original pair.
        StreamShards shards = StreamShards.of(config);
        RedisConnector ingest = new RedisConnector(config, "system1-ingest");
        RedisConnector lagReader = new RedisConnector(config, "system1-group-lag");
        List<StreamBatcher> batchers = new ArrayList<>();
        List<GroupLag> lags = new ArrayList<>();
        for (StreamShard shard : shards.all()) {
            batchers.add(new StreamBatcher(ingest.forKey(shard.streamKey()), shard.streamKey(),
                    settings.streamMaxLen(),
                    Math.max(StreamBatcher.DEFAULT_QUEUE_CAPACITY, settings.maxPendingWrites()),
                    config.redisCluster().waitReplicas(), shard.tag()));
            lags.add(new GroupLag(lagReader.forKey(shard.streamKey()), shard.streamKey(),
                    StreamFields.GROUP, settings.maxLag()));
        }
        ShardedBatcher batcher = new ShardedBatcher(shards, batchers);
        ShardedLag lag = new ShardedLag(lags);
        PendingWrites pending = new PendingWrites(settings.maxPendingWrites());
        IngestStats stats = new IngestStats(batcher, lag, pending);
        // Bind first: a taken port is a configuration error, reported before Redis is touched.
        IngestHandler handler =
                new IngestHandler(batcher, lag, pending, config.ingestToken(), stats);
        Http1Server server = ConfigException.bindOrFail("SYSTEM1_HTTP_PORT", settings.httpPort(),
                () -> Http1Server.start(config.bindHost(), settings.httpPort(),
                        IngestHandler.MAX_BODY_BYTES, handler));
        Http2Server http2;
        try {
            http2 = ConfigException.bindOrFail("SYSTEM1_HTTP2_PORT", settings.http2Port(),
                    () -> Http2Server.start(config.bindHost(), settings.http2Port(),
                            http2Limits(config), handler));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        lag.start();
        try {
            batcher.start(RedisConnector.CONNECT_TIMEOUT);
        } catch (InterruptedException e) {
            server.close();
            http2.close();
            batcher.close();
            lag.close();
            throw e;
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("system1-timers").daemon().factory());
        timers.scheduleAtFixedRate(stats::sample, 1, 1, TimeUnit.SECONDS);
        String redis = batcher.downReason();
        LOG.info("System 1 ingest listening", "port", server.port(), "http2Port", http2.port(),
                "stream", shards.describe(), "redis", redis == null ? "ready" : redis);
        return new System1Ingest(server, http2, batcher, lag, timers);
    }

    public int port() {
        return server.port();
    }

    /** The h2c port (SYSTEM1_HTTP2_PORT, or the one picked for 0). */
    public int http2Port() {
        return http2.port();
    }

    /** HTTP/2 connections open now: what a test asks to see that many streams shared one. */
    public int http2Connections() {
        return http2.connectionCount();
    }

    /**
     * The HTTP/2 server's limits from the settings: the same body limit as the HTTP/1.1 port,
     * the two SYSTEM1_HTTP2_* settings, and SHUTDOWN_TIMEOUT_MS for streams in flight.
     */
    private static Http2Server.Limits http2Limits(Config config) {
        Config.Http2 settings = config.system1().http2();
        return Http2Server.Limits.defaults()
                .withMaxBodyBytes(IngestHandler.MAX_BODY_BYTES)
                .withMaxConcurrentStreams(settings.maxConcurrentStreams())
                .withMaxHeaderListBytes(settings.maxHeaderListBytes())
                .withShutdownTimeout(config.shutdownTimeout());
    }

    ShardedBatcher batcher() {
        return batcher;
    }

    /** Stops taking requests, lets those in flight finish, then closes the Redis connection. */
    @Override
    public void close() {
        // Both doors close at once, and before Redis: neither port keeps taking requests while
        // the other drains, and the streams and exchanges in flight still get their 202.
        Thread http2Closing = Thread.ofVirtual().name("system1-http2-close").start(http2::close);
        try {
            server.close();
        } finally {
            joinUninterruptibly(http2Closing);
            batcher.close();
            lag.close();
            timers.shutdownNow();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish the shutdown first, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
