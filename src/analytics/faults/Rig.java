package analytics.faults;

import analytics.demo.PrivateRedis;
import analytics.demo.Readiness;
import analytics.lifecycle.Startup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/**
 * The processes of one scenario, each on a free loopback port of its own, so a campaign
 * never touches a running `make run` or another test: a private redis-server, and the
 * project's programs in JVMs of their own, all pointed at it. Closing the rig stops every
 * process it started, newest first, so nothing outlives the scenario.
 *
 * Pattern: a test rig of real processes - the same programs and settings a user runs,
 *          wired by environment variables alone.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: the kills (Node) and the checks (the scenarios).
 * Threads: the campaign's main thread only.
 */
final class Rig implements AutoCloseable {

    /** Entries a dead worker left pending are claimed after this; short, so scenarios end soon. */
    private static final String CLAIM_IDLE_MS = "1000";

    /** Set for every program, whatever a .env says, so the tally reads the right stream. */
    static final String STREAM_KEY = "metrics:stream";

    private final Path directory;
    private final Path redisExecutable;
    private final List<Node> nodes = new ArrayList<>();
    final int redisPort = freePort();
    final int httpPort = freePort();
    final int http2Port = freePort();
    final int broadcasterPort = freePort();
    final int system2Port = freePort();
    final int dashboardPort = freePort();

    Rig(Path directory, Path redisExecutable) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.redisExecutable = redisExecutable;
    }

    /**
     * A redis-server on this rig's port. Durable means the append-only file, flushed every
     * second, in this rig's directory: a restart reads back what was written before a kill.
     */
    Node redis(boolean durable) throws IOException {
        Path data = Files.createDirectories(directory.resolve("redis"));
        List<String> command = PrivateRedis.command(redisExecutable, redisPort, data.toAbsolutePath());
        // Under a parent-death signal: a campaign killed by Ctrl-C or kill -9 leaves no Redis.
        command = PrivateRedis.stoppedWithParent(durable ? PrivateRedis.durable(command) : command);
        return add(new Node("redis", command, Map.of(),
                directory, Readiness.redisPing("127.0.0.1", redisPort)));
    }

    /** System 1's ingest alone: HTTP/1.1 and HTTP/2 on this rig's ports. */
    Node ingest() {
        return java("ingest", "analytics.system1.ingest.System1IngestMain",
                Readiness.all(Readiness.httpOk(http(httpPort, "/healthz")),
                        Readiness.httpOk(http(http2Port, "/healthz"))));
    }

    /** One pool of System 1 workers; several may run side by side in the same group. */
    Node workers(String name) {
        return java(name, "analytics.system1.worker.System1WorkersMain", Readiness.started());
    }

    Node broadcaster() {
        return java("broadcaster", "analytics.system1.broadcast.System1BroadcasterMain",
                Readiness.httpOk(http(broadcasterPort, "/healthz")));
    }

    Node system2() {
        return java("system2", "analytics.system2.System2Main",
                Readiness.httpOk(http(system2Port, "/healthz")));
    }

    /** Fake servers sending to System 2 over WebSocket, FAKE_* settings as given. */
    Node wsSenders(int count, int intervalMs) {
        Map<String, String> fleet = Map.of(
                "FAKE_SERVER_COUNT", String.valueOf(count),
                "FAKE_SERVER_INTERVAL_MS", String.valueOf(intervalMs),
                "FAKE_WS_TARGET", "ws://127.0.0.1:" + system2Port);
        return add(new Node("senders", javaCommand("analytics.sender.SendersMain", "--mode", "ws"),
                withSystemPorts(fleet), directory, Readiness.started()));
    }

    /**
     * Polls {@code condition} until it holds; returns the nanos that took, or -1 when it
     * did not hold within {@code timeout}. Recovery times in the report come from here.
     */
    static long awaitNanos(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long began = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - began > timeout.toNanos()) {
                return -1;
            }
            Thread.sleep(50);
        }
        return System.nanoTime() - began;
    }

    /**
     * `make run` itself (DemoMain) on this rig's ports, writing its logs and Redis files under
     * this rig's directory; ready once both systems and the dashboard answer.
     */
    Node demo(String name, int fakeServers) {
        Map<String, String> environment = withSystemPorts(Map.of(
                "DASHBOARD_PORT", String.valueOf(dashboardPort),
                "FAKE_SERVER_COUNT", String.valueOf(fakeServers),
                "SHUTDOWN_TIMEOUT_MS", "3000"));
        List<String> command = javaCommand("analytics.demo.DemoMain");
        command.add(1, "-Danalytics.run.dir=" + directory.resolve(name + "-run").toAbsolutePath());
        return add(new Node(name, command, environment, directory, Readiness.all(
                Readiness.httpOk(http(dashboardPort, "/")),
                Readiness.httpOk(http(httpPort, "/healthz")),
                Readiness.httpOk(http(system2Port, "/healthz")))));
    }

    /** Where this rig's logs and files go: run/faults/<time>/<scenario>/. */
    Path directory() {
        return directory;
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", redisPort, 5_000);
    }

    URI http(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Node java(String name, String mainClass, BooleanSupplier ready) {
        return add(new Node(name, javaCommand(mainClass), withSystemPorts(Map.of()), directory, ready));
    }

    /** The same java and class path as the campaign itself, told the campaign's pid. */
    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A program whose campaign is gone stops by itself, even after a kill -9.
                "-D" + Startup.SUPERVISOR_PID + "=" + ProcessHandle.current().pid(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Map<String, String> withSystemPorts(Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SYSTEM1_REDIS_HOST", "127.0.0.1");
        environment.put("SYSTEM1_REDIS_PORT", String.valueOf(redisPort));
        environment.put("SYSTEM1_REDIS_USERNAME", ""); // the private Redis has no users
        environment.put("SYSTEM1_REDIS_PASSWORD", "");
        environment.put("INGEST_TOKEN", ""); // the rig's ingest is open, whatever .env says
        environment.put("SYSTEM1_REDIS_STREAM_KEY", STREAM_KEY);
        environment.put("SYSTEM1_HTTP_PORT", String.valueOf(httpPort));
        environment.put("SYSTEM1_HTTP2_PORT", String.valueOf(http2Port));
        environment.put("SYSTEM1_WS_PORT", String.valueOf(broadcasterPort));
        environment.put("SYSTEM1_CLAIM_IDLE_MS", CLAIM_IDLE_MS);
        environment.put("SYSTEM2_WS_PORT", String.valueOf(system2Port));
        environment.put("BIND_HOST", "127.0.0.1");
        environment.putAll(extra);
        return environment;
    }

    private Node add(Node node) {
        nodes.add(node);
        return node;
    }

    /** A port nobody listens on now; the moment between closing and binding it is tiny. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }
}
