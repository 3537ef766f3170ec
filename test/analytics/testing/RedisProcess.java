package analytics.testing;

import analytics.config.Config;
import analytics.demo.PrivateRedis;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server for tests: a process of our own (started on a free loopback port, no
 * persistence, its own temp dir) or, when REDIS_URL is set, an existing one. Named a
 * Process, not a Server: it starts and stops redis-server and owns no accept loop.
 *
 * Pattern: test fixture around a real dependency - never a mock of Redis.
 * Lesson:  lessons/01-build-and-test.md
 * Threads: start/stop from one thread; jedis() hands each caller its own connection.
 */
public final class RedisProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 10_000;

    private final String host;
    private final int port;
    private final Process process; // null for a server we did not start
    private final Path directory;

    private RedisProcess(String host, int port, Process process, Path directory) {
        this.host = host;
        this.port = port;
        this.process = process;
        this.directory = directory;
    }

    /** REDIS_URL when set, else a private server. */
    public static RedisProcess fromEnvironmentOrStart() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url);
            return new RedisProcess(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null, null);
        }
        return startPrivate();
    }

    /** A fresh redis-server of our own; tests that stop and restart Redis use this one. */
    public static RedisProcess startPrivate() {
        Path executable = findExecutable();
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir for redis-server", e);
        }
        // A free port can be taken between our probe and redis's bind: try a few.
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePorts.any();
            RedisProcess redis = launch(executable, port, directory);
            if (redis != null) {
                return redis;
            }
        }
        throw new IllegalStateException("redis-server did not start; see " + directory.resolve("redis.log"));
    }

    /**
     * A fresh private server on a given port, e.g. the port of one just stopped: a test of
     * "Redis restarts" needs it back where the code under test was told to look. It starts
     * empty, as a real restart without persistence does.
     */
    public static RedisProcess startPrivateOn(int port) {
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-test-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir for redis-server", e);
        }
        RedisProcess redis = launch(findExecutable(), port, directory);
        if (redis == null) {
            throw new IllegalStateException("redis-server did not start on port " + port
                    + "; see " + directory.resolve("redis.log"));
        }
        return redis;
    }

    private static RedisProcess launch(Path executable, int port, Path directory) {
        Process process;
        try {
            process = new ProcessBuilder(PrivateRedis.command(executable, port, directory))
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable, e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (process.isAlive() && System.currentTimeMillis() < deadline) {
            if (PrivateRedis.answersPing("127.0.0.1", port)) {
                return new RedisProcess("127.0.0.1", port, process, directory);
            }
            sleep(20);
        }
        process.destroyForcibly();
        return null;
    }

    /**
     * A configuration pointing System 1 at this Redis, with further variables given as
     * name, value pairs: {@code redis.config("SYSTEM1_WORKER_COUNT", "2")}.
     */
    public Config config(String... variables) {
        return configAt(host, port, variables);
    }

    /**
     * The same for any address, where no Redis need be listening: the tests of a Redis
     * that is down point at a closed port.
     */
    public static Config configAt(String host, int port, String... variables) {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i + 1 < variables.length; i += 2) {
            all.put(variables[i], variables[i + 1]);
        }
        all.put("SYSTEM1_REDIS_HOST", host);
        all.put("SYSTEM1_REDIS_PORT", String.valueOf(port));
        return Config.from(all);
    }

    /**
     * All of System 1 on this Redis, on free ports, with a stream and a channel of its own
     * ({@code prefix}:stream, {@code prefix}:channel): tests share one Redis and must not
     * see each other's metrics. Further variables as in {@link #config}.
     */
    public Config system1Config(String prefix, String... variables) {
        List<String> all = new ArrayList<>(List.of(
                "SYSTEM1_REDIS_STREAM_KEY", prefix + ":stream", "SYSTEM1_REDIS_CHANNEL", prefix + ":channel",
                "SYSTEM1_HTTP_PORT", "0", "SYSTEM1_HTTP2_PORT", "0", "SYSTEM1_WS_PORT", "0"));
        all.addAll(List.of(variables));
        return config(all.toArray(String[]::new));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean isPrivate() {
        return process != null;
    }

    /** A new connection; close it when done (try-with-resources). */
    public Jedis jedis() {
        return new Jedis(host, port, 2_000);
    }

    /** A new connection as an ACL user (AUTH user password); close it when done. */
    public Jedis jedis(String user, String password) {
        Jedis jedis = jedis();
        jedis.auth(user, password);
        return jedis;
    }

    /**
     * Locks this private server down to ACL users: {@code user} with {@code password} and
     * every right, and the default user behind {@code adminPassword} - so a client without
     * credentials is refused (NOAUTH). Refuses a REDIS_URL server, which other tests share.
     */
    public void requireAcl(String user, String password, String adminPassword) {
        if (!isPrivate()) {
            throw new IllegalStateException("ACL changes only on a private redis-server");
        }
        try (Jedis admin = jedis()) {
            admin.aclSetUser(user, "reset", "on", ">" + password, "~*", "&*", "+@all");
            admin.aclSetUser("default", "resetpass", ">" + adminPassword);
        }
    }

    /** Stops a private server and deletes its directory; leaves a REDIS_URL server alone. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(directory);
    }

    public boolean isRunning() {
        return process == null || process.isAlive();
    }

    private static Path findExecutable() {
        return PrivateRedis.findExecutable().orElseThrow(() -> new IllegalStateException(
                "redis-server is not installed: 'make test' installs it when run as root, or "
                + "install it yourself (apt-get install redis-server), or set "
                + "REDIS_URL=redis://host:port to use a running one"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignoredBecauseTempDir) {
            // a leftover temp dir is harmless; the OS cleans /tmp
        }
    }
}
