package analytics.config;

import analytics.log.Log;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of the project, read once at start from the environment (and a
 * {@code .env} file under it), with the defaults of the wire contract.
 *
 * Pattern: typed configuration object - one place knows every variable and its rule;
 *          the rest of the code receives values, never strings.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: reloading at run time; a changed setting means a restart, as in the original.
 * Threads: immutable, so share it freely.
 */
public record Config(
        Log.Level logLevel,
        Duration shutdownTimeout,
        String bindHost,
        int dashboardPort,
        System1 system1,
        Redis redis,
        RedisCluster redisCluster,
        System2 system2,
        WebSocket webSocket,
        FakeServers fakeServers,
        LoadTest loadTest,
        IngestToken ingestToken) {

    /**
     * HTTP ingest, Redis stream and workers of System 1.
     *
     * @param maxPendingWrites metrics admitted and still waiting for Redis; a request that
     *                         finds this many waiting is answered 503 (SYSTEM1_MAX_PENDING_WRITES)
     * @param streamShards     streams the metrics are split over by server id (SYSTEM1_STREAM_SHARDS);
     *                         1 on one Redis keeps the original key names
     */
    public record System1(int httpPort, int http2Port, int wsPort, int workerCount,
                          String streamKey, String channel, long streamMaxLen, long maxLag,
                          Duration claimIdle, boolean publishIngested, Http2 http2,
                          int maxPendingWrites, int streamShards) {
    }

    /**
     * The HTTP/2 port's limits on what one client may ask of it: streams at once
     * (SETTINGS_MAX_CONCURRENT_STREAMS) and the size of one request's header list.
     */
    public record Http2(int maxConcurrentStreams, int maxHeaderListBytes) {
    }

    /** System 1's Redis connection. */
    public record Redis(String host, int port, int db, String username, String password) {

        /** A record prints every component; this one must never print the password. */
        @Override
        public String toString() {
            return "Redis[host=" + host + ", port=" + port + ", db=" + db + ", username=" + username
                    + ", password=" + (password.isEmpty() ? "(none)" : "********") + "]";
        }
    }

    /**
     * System 1 on a Redis Cluster instead of one Redis (lesson 21).
     *
     * @param nodes        SYSTEM1_REDIS_CLUSTER: "host:port" of some nodes to ask for the slot
     *                     map; empty means one Redis at SYSTEM1_REDIS_HOST:SYSTEM1_REDIS_PORT
     * @param waitReplicas SYSTEM1_REDIS_WAIT_REPLICAS: replicas that must have a write
     *                     before ingest answers 202 ({@code WAIT}); 0 answers after the master
     */
    public record RedisCluster(List<String> nodes, int waitReplicas) {

        public boolean enabled() {
            return !nodes.isEmpty();
        }
    }

    /**
     * WebSocket ingest with in-memory aggregation.
     *
     * @param bridgeRedis   where sharded instances share their aggregates with each other's
     *                      dashboards (SYSTEM2_BRIDGE_REDIS_URL); null: no bridge, one
     *                      instance alone, exactly as without sharding
     * @param bridgeChannel the pub/sub channel of that bridge (SYSTEM2_BRIDGE_CHANNEL)
     */
    public record System2(int wsPort, Duration aggregationWindow, int bufferSize,
                          Duration idleEvict, Redis bridgeRedis, String bridgeChannel) {

        public boolean bridged() {
            return bridgeRedis != null;
        }
    }

    /** Rules of both systems' WebSocket servers. */
    public record WebSocket(int maxMessageBytes, Duration heartbeat, List<String> allowedOrigins) {
    }

    /**
     * The fake metric senders. A target left unset points at this configuration's own
     * port, so {@code make run} with SYSTEM1_HTTP_PORT=5000 needs nothing else changed.
     *
     * @param bufferSize metrics one sender process keeps while its target cannot take them
     * @param system2Shards the System 2 instances of a sharded fleet, in shard order
     *                      (FAKE_SYSTEM2_SHARDS); empty: one System 2 at wsTarget
     */
    public record FakeServers(int count, Duration interval, Duration jitter,
                              double spikeProbability, double spikeMultiplier,
                              URI httpTarget, URI http2Target, URI wsTarget,
                              int bufferSize, List<URI> system2Shards) {
    }

    /**
     * The load driver: where each scenario sends, how long each level lasts, and which
     * levels and scenarios a run has. Targets left unset follow this configuration's ports.
     */
    public record LoadTest(URI httpTarget, URI http2Target, URI wsTarget, URI system1WsTarget,
                           Duration durationPerLevel, Duration warmup,
                           List<Integer> levels, List<String> scenarios) {

        /** The scenarios a run may name, in the order a full run takes them. */
        public static final List<String> SCENARIOS = List.of("http1", "http2", "ws", "fanout");
    }

    /** Loads from the process environment over {@code .env} in the working directory. */
    public static Config load() {
        return from(variables(System.getenv(), Path.of(".env")));
    }

    /** Real environment variables win over the file's, as with dotenv in the original. */
    public static Map<String, String> variables(Map<String, String> environment, Path dotEnv) {
        Map<String, String> merged = new HashMap<>(DotEnvFile.read(dotEnv));
        merged.putAll(environment);
        return merged;
    }

    public static Config from(Map<String, String> variables) {
        return build(new EnvReader(variables));
    }

    /** Settings whose values are secrets: {@code make config} shows that they are set, not what they are. */
    static final Set<String> SECRETS = Set.of("SYSTEM1_REDIS_PASSWORD", "INGEST_TOKEN");

    /**
     * Every variable with the value in effect (set, or the default), in reading order;
     * the secrets are masked. Throws like {@link #from} when a value is bad.
     */
    public static Map<String, String> describe(Map<String, String> variables) {
        EnvReader env = new EnvReader(variables);
        build(env);
        Map<String, String> shown = new LinkedHashMap<>(env.effective());
        shown.replaceAll((name, value) -> SECRETS.contains(name) && !value.isEmpty() ? "********" : value);
        shown.computeIfPresent("SYSTEM2_BRIDGE_REDIS_URL", (name, url) -> EnvReader.withoutPassword(url));
        return shown;
    }

    private static Config build(EnvReader env) {

        String levelText = env.string("LOG_LEVEL", "info");
        Log.Level level = Log.Level.parse(levelText);
        if (level == null) {
            throw EnvReader.bad("LOG_LEVEL", "one of debug, info, warn, error", levelText);
        }
        System1 system1 = new System1(
                env.port("SYSTEM1_HTTP_PORT", 4000),
                env.port("SYSTEM1_HTTP2_PORT", 4001),
                env.port("SYSTEM1_WS_PORT", 4002),
                env.integer("SYSTEM1_WORKER_COUNT", 4, 1, 1024, "a whole number from 1 to 1024"),
                env.string("SYSTEM1_REDIS_STREAM_KEY", "metrics:stream"),
                env.string("SYSTEM1_REDIS_CHANNEL", "metrics:pubsub"),
                env.longValue("SYSTEM1_STREAM_MAXLEN", 1_000_000, 1, Long.MAX_VALUE, "a whole number of at least 1"),
                env.longValue("SYSTEM1_MAX_LAG", 100_000, 1, Long.MAX_VALUE, "a whole number of at least 1"),
                millis(env, "SYSTEM1_CLAIM_IDLE_MS", 30_000),
                env.bool("SYSTEM1_PUBLISH_INGESTED", false),
                new Http2(
                        env.integer("SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS", 100, 1, 10_000,
                                "a whole number from 1 to 10000"),
                        env.integer("SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES", 16_384, 1024, 1_048_576,
                                "a number of bytes from 1024 to 1048576")),
                env.integer("SYSTEM1_MAX_PENDING_WRITES", DEFAULT_MAX_PENDING_WRITES, 1, 1_000_000,
                        "a number of metrics from 1 to 1000000"),
                env.integer("SYSTEM1_STREAM_SHARDS", 1, 1, MAX_STREAM_SHARDS,
                        "a whole number from 1 to " + MAX_STREAM_SHARDS));
        if (system1.maxLag() >= system1.streamMaxLen()) {
            throw new ConfigException("SYSTEM1_MAX_LAG (" + system1.maxLag()
                    + ") must be below SYSTEM1_STREAM_MAXLEN (" + system1.streamMaxLen()
                    + "), or trimming the stream could drop entries no worker has processed");
        }
        Redis redis = new Redis(
                env.string("SYSTEM1_REDIS_HOST", "localhost"),
                env.port("SYSTEM1_REDIS_PORT", 6379),
                env.integer("SYSTEM1_REDIS_DB", 0, 0, 15, "a database number from 0 to 15"),
                env.string("SYSTEM1_REDIS_USERNAME", ""),
                env.string("SYSTEM1_REDIS_PASSWORD", ""));
        RedisCluster redisCluster = new RedisCluster(
                clusterNodes(env),
                env.integer("SYSTEM1_REDIS_WAIT_REPLICAS", 0, 0, 16, "a number of replicas from 0 to 16"));
        if (redisCluster.enabled() && redis.db() != 0) {
            throw new ConfigException("SYSTEM1_REDIS_DB must be 0 with SYSTEM1_REDIS_CLUSTER set:"
                    + " a Redis Cluster has database 0 only");
        }
        System2 system2 = new System2(
                env.port("SYSTEM2_WS_PORT", 4100),
                Duration.ofMillis(env.longValue("SYSTEM2_AGG_WINDOW_MS", 1000, 1, 86_400_000,
                        "a number of milliseconds from 1 to 86400000")),
                env.integer("SYSTEM2_BUFFER_SIZE", 500, 1, 1_000_000, "a whole number from 1 to 1000000"),
                millis(env, "SYSTEM2_IDLE_EVICT_MS", 600_000),
                env.redisUrl("SYSTEM2_BRIDGE_REDIS_URL"),
                env.string("SYSTEM2_BRIDGE_CHANNEL", "system2:bridge"));
        WebSocket webSocket = new WebSocket(
                env.integer("WS_MAX_MESSAGE_BYTES", 1_048_576, 125, Integer.MAX_VALUE - 8,
                        "a number of bytes of at least 125"),
                Duration.ofMillis(env.longValue("WS_HEARTBEAT_MS", 30_000, 100, 86_400_000,
                        "a number of milliseconds from 100 to 86400000")),
                env.list("WS_ALLOWED_ORIGINS"));
        FakeServers fake = new FakeServers(
                env.positiveInt("FAKE_SERVER_COUNT", 10),
                Duration.ofMillis(env.longValue("FAKE_SERVER_INTERVAL_MS", 1000, 1, 86_400_000,
                        "a number of milliseconds from 1 to 86400000")),
                millis(env, "FAKE_JITTER_MS", 200),
                env.decimal("FAKE_SPIKE_PROBABILITY", 0.05, 0, 1, "a probability from 0 to 1"),
                env.decimal("FAKE_SPIKE_MULTIPLIER", 2, 1, 1000, "a factor from 1 to 1000"),
                env.uri("FAKE_HTTP_TARGET", "http://localhost:" + system1.httpPort() + "/metrics", HTTP),
                env.uri("FAKE_HTTP2_TARGET", "http://localhost:" + system1.http2Port() + "/metrics", HTTP),
                env.uri("FAKE_WS_TARGET", "ws://localhost:" + system2.wsPort(), WS),
                env.integer("FAKE_BUFFER_SIZE", 10_000, 1, 1_000_000, "a whole number from 1 to 1000000"),
                env.uriList("FAKE_SYSTEM2_SHARDS", WS));
        LoadTest loadTest = new LoadTest(
                env.uri("LOAD_TEST_TARGET_HTTP", "http://localhost:" + system1.httpPort() + "/metrics", HTTP),
                env.uri("LOAD_TEST_TARGET_HTTP2", "http://localhost:" + system1.http2Port() + "/metrics", HTTP),
                env.uri("LOAD_TEST_TARGET_WS", "ws://localhost:" + system2.wsPort(), WS),
                env.uri("LOAD_TEST_TARGET_SYSTEM1_WS", "ws://localhost:" + system1.wsPort(), WS),
                Duration.ofSeconds(env.longValue("LOAD_TEST_DURATION", 60, 1, 86_400,
                        "a number of seconds from 1 to 86400")),
                Duration.ofSeconds(env.longValue("LOAD_TEST_WARMUP", 10, 0, 3_600,
                        "a number of seconds from 0 to 3600")),
                env.intList("LOAD_TEST_LEVELS", "100,1000,5000,10000", 1, 1_000_000,
                        "a comma-separated list of metrics per second, each from 1 to 1000000"),
                env.choices("LOAD_TEST_SCENARIOS", LoadTest.SCENARIOS));
        Config config = new Config(
                level,
                millis(env, "SHUTDOWN_TIMEOUT_MS", 10_000),
                env.string("BIND_HOST", "127.0.0.1"),
                env.port("DASHBOARD_PORT", 8080),
                system1, redis, redisCluster, system2, webSocket, fake, loadTest,
                IngestToken.of(env.string("INGEST_TOKEN", "")));
        config.requireDistinctPorts();
        return config;
    }

    /** The ports this configuration listens on, by variable name, in a stable order. */
    public Map<String, Integer> listeningPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("SYSTEM1_HTTP_PORT", system1.httpPort());
        ports.put("SYSTEM1_HTTP2_PORT", system1.http2Port());
        ports.put("SYSTEM1_WS_PORT", system1.wsPort());
        ports.put("SYSTEM2_WS_PORT", system2.wsPort());
        ports.put("DASHBOARD_PORT", dashboardPort);
        return ports;
    }

    /** Two servers on one port would fail later with a vaguer "address in use". */
    private void requireDistinctPorts() {
        Map<Integer, String> seen = new HashMap<>();
        listeningPorts().forEach((name, port) -> {
            String other = port == 0 ? null : seen.putIfAbsent(port, name);
            if (other != null) {
                throw new ConfigException(name + " " + port + " is the same port as " + other);
            }
        });
    }

    /**
     * SYSTEM1_MAX_PENDING_WRITES unset. Ingest writes 11,000-16,000 metrics/s into Redis on
     * the 2-core machine of lesson 18, so 5,000 waiting is a third of a second of Redis work:
     * the last one admitted is still answered well inside the 5 s every answer is bound by,
     * while 2,000 fake servers with one request each in flight are never refused.
     */
    public static final int DEFAULT_MAX_PENDING_WRITES = 5_000;

    /** One stream per shard, a worker per shard and per SYSTEM1_WORKER_COUNT: keep it small. */
    public static final int MAX_STREAM_SHARDS = 256;

    /** SYSTEM1_REDIS_CLUSTER: "host:port,host:port", each port a number from 1 to 65535. */
    private static List<String> clusterNodes(EnvReader env) {
        List<String> nodes = env.list("SYSTEM1_REDIS_CLUSTER");
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            boolean valid = colon > 0;
            if (valid) {
                try {
                    int port = Integer.parseInt(node.substring(colon + 1));
                    valid = port >= 1 && port <= 65_535;
                } catch (NumberFormatException notANumber) {
                    valid = false;
                }
            }
            if (!valid) {
                throw EnvReader.bad("SYSTEM1_REDIS_CLUSTER",
                        "a comma-separated list of host:port (ports 1-65535)", String.join(",", nodes));
            }
        }
        return nodes;
    }

    private static final Set<String> HTTP = Set.of("http", "https");
    private static final Set<String> WS = Set.of("ws", "wss");

    private static Duration millis(EnvReader env, String name, long defaultValue) {
        return Duration.ofMillis(env.longValue(name, defaultValue, 0, Long.MAX_VALUE / 1_000_000,
                "a number of milliseconds, 0 or more"));
    }
}
