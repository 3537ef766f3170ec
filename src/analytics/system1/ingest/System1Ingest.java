package analytics.system1.ingest;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.http.Http1Server;
import analytics.log.Log;
import analytics.system1.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * System 1's ingest assembled: the stream batcher with its Redis connection, the group-lag
 * sampler with another, the ingest handler, the HTTP/1.1 server on SYSTEM1_HTTP_PORT, and
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
    private final StreamBatcher batcher;
    private final GroupLag lag;
    private final ScheduledExecutorService timers;

    private System1Ingest(Http1Server server, StreamBatcher batcher, GroupLag lag,
                          ScheduledExecutorService timers) {
        this.server = server;
        this.batcher = batcher;
        this.lag = lag;
        this.timers = timers;
    }

    /** @throws analytics.config.ConfigException when SYSTEM1_HTTP_PORT is taken */
    public static System1Ingest start(Config config) throws IOException, InterruptedException {
        Config.System1 settings = config.system1();
        StreamBatcher batcher = new StreamBatcher(new RedisConnector(config.redis(), "system1-ingest"),
                settings.streamKey(), settings.streamMaxLen(), StreamBatcher.DEFAULT_QUEUE_CAPACITY);
        GroupLag lag = new GroupLag(new RedisConnector(config.redis(), "system1-group-lag"),
                settings.streamKey(), StreamFields.GROUP, settings.maxLag());
        IngestStats stats = new IngestStats(batcher, lag);
        // Bind first: a taken port is a configuration error, reported before Redis is touched.
        IngestHandler handler = new IngestHandler(batcher, lag, stats);
        Http1Server server = ConfigException.bindOrFail("SYSTEM1_HTTP_PORT", settings.httpPort(),
                () -> Http1Server.start(config.bindHost(), settings.httpPort(), IngestHandler.MAX_BODY_BYTES,
                        handler));
        lag.start();
        try {
            batcher.start(RedisConnector.CONNECT_TIMEOUT);
        } catch (InterruptedException e) {
            server.close();
            batcher.close();
            lag.close();
            throw e;
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("system1-timers").daemon().factory());
        timers.scheduleAtFixedRate(stats::sample, 1, 1, TimeUnit.SECONDS);
        String redis = batcher.downReason();
        LOG.info("System 1 ingest listening", "port", server.port(), "stream", settings.streamKey(),
                "redis", redis == null ? "ready" : redis);
        return new System1Ingest(server, batcher, lag, timers);
    }

    public int port() {
        return server.port();
    }

    StreamBatcher batcher() {
        return batcher;
    }

    /** Stops taking requests, lets those in flight finish, then closes the Redis connection. */
    @Override
    public void close() {
        server.close();
        batcher.close();
        lag.close();
        timers.shutdownNow();
    }
}
