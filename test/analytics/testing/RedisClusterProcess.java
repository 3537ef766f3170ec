package analytics.testing;

import analytics.config.Config;
import analytics.demo.PrivateRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for tests: six redis-server processes of our own on free loopback
 * ports - three masters, three replicas - with cluster mode on and persistence off, in a
 * directory of its own under build/, joined with {@code redis-cli --cluster create
 * --cluster-replicas 1} and ready once every node says {@code cluster_state:ok} and every
 * replica is in sync. Each node is stopped by its own Process (its PID), never by name.
 *
 * Pattern: test fixture around a real dependency - the cluster twin of RedisProcess.
 * Lesson:  lessons/21-scaling-system1-out.md   Spec: Redis Cluster tutorial (cluster create)
 * Not here: the script a student runs by hand (scripts/redis-cluster.sh does the same).
 * Threads: start/stop from one thread; jedis() hands each caller its own connection.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private static final int NODES = 6;
    /** Redis listens for its cluster bus on the client port + 10000. */
    private static final int BUS_OFFSET = 10_000;
    /**
     * How long a node may be unreachable before it is marked failed and its replica takes
     * over: low, so a failover test takes seconds (the default is 15 s).
     */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(2_000);
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Path executable;
    private final Path directory;
    /** By port, in the order created: the first three were made masters by cluster create. */
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();

    private RedisClusterProcess(Path executable, Path directory) {
        this.executable = executable;
        this.directory = directory;
    }

    /** Six fresh nodes joined into a cluster, ready for writes on every slot. */
    public static RedisClusterProcess start() {
        Path executable = PrivateRedis.findExecutable().orElseThrow(() -> new IllegalStateException(
                "redis-server is not installed (apt-get install redis-server)"));
        Path directory;
        try {
            Path build = Files.createDirectories(Path.of("build"));
            directory = Files.createTempDirectory(build.toAbsolutePath(), "redis-cluster-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the cluster", e);
        }
        RedisClusterProcess cluster = new RedisClusterProcess(executable, directory);
        try {
            for (int port : freePortPairs(NODES)) {
                cluster.launch(port);
            }
            cluster.create();
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** "127.0.0.1:p1,127.0.0.1:p2,...": the value of SYSTEM1_REDIS_CLUSTER. */
    public String nodeList() {
        return nodes.keySet().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** System 1 on this cluster, free ports, and further variables as name, value pairs. */
    public Config config(String... variables) {
        Map<String, String> all = new HashMap<>();
        all.put("SYSTEM1_HTTP_PORT", "0");
        all.put("SYSTEM1_HTTP2_PORT", "0");
        all.put("SYSTEM1_WS_PORT", "0");
        for (int i = 0; i + 1 < variables.length; i += 2) {
            all.put(variables[i], variables[i + 1]);
        }
        all.put("SYSTEM1_REDIS_CLUSTER", nodeList());
        return Config.from(all);
    }

    /** A plain connection to the master serving {@code key}'s slot now; close it when done. */
    public Jedis jedisFor(String key) {
        return new Jedis("127.0.0.1", masterOf(key), 2_000);
    }

    /** The port of the master serving {@code key}'s slot, as a live node sees it now. */
    public int masterOf(String key) {
        return masterNow(key).orElseThrow(() -> new IllegalStateException(
                "no live node names a master online for slot " + JedisClusterCRC16.getSlot(key)));
    }

    /** The same, or empty while there is none: a failover under way. */
    public OptionalInt masterNow(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (int port : livePorts()) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 2_000)) {
                for (var shard : jedis.clusterShards()) {
                    boolean serves = shard.getSlots().stream().anyMatch(r -> r.get(0) <= slot && slot <= r.get(1));
                    if (serves) {
                        for (var member : shard.getNodes()) {
                            if ("master".equals(member.getRole()) && "online".equals(member.getHealth())) {
                                return OptionalInt.of(member.getPort().intValue());
                            }
                        }
                    }
                }
            } catch (JedisException tryAnother) {
                // a node going down: ask the next one
            }
        }
        return OptionalInt.empty();
    }

    /** SIGKILL of one node: no shutdown, no last replication; its Process is kept for restart(). */
    public void kill(int port) throws InterruptedException {
        Process process = nodes.get(port);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** The port of a replica of the master on {@code masterPort}, as a live node sees it now. */
    public int replicaOf(int masterPort) {
        try (Jedis jedis = new Jedis("127.0.0.1", masterPort, 2_000)) {
            for (var shard : jedis.clusterShards()) {
                boolean mine = shard.getNodes().stream().anyMatch(member -> "master".equals(member.getRole())
                        && member.getPort() == masterPort);
                for (var member : shard.getNodes()) {
                    if (mine && "replica".equals(member.getRole())) {
                        return member.getPort().intValue();
                    }
                }
            }
        }
        throw new IllegalStateException("the master on " + masterPort + " has no replica");
    }

    /**
     * SIGSTOP (frozen) or SIGCONT (thawed) to one node, by its PID: a frozen replica reads
     * nothing from its master, so it falls behind - a slow link, made on one machine.
     */
    public void signal(int port, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(nodes.get(port).pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " of node " + port + " failed");
        }
    }

    /** The node of {@code port} again, with its nodes.conf: it rejoins, as a replica if it was replaced. */
    public void restart(int port) {
        launch(port);
    }

    /** Whether every live node says cluster_state:ok and every live replica is in sync. */
    public boolean healthy() {
        for (int port : livePorts()) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 2_000)) {
                if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
                String replication = jedis.info("replication");
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                    return false;
                }
            } catch (JedisException notYet) {
                return false;
            }
        }
        return true;
    }

    private List<Integer> livePorts() {
        return nodes.entrySet().stream().filter(node -> node.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    private void launch(int port) {
        List<String> command = new ArrayList<>(PrivateRedis.command(executable, port, directory));
        command.addAll(List.of("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                // Any replica may take over, however long it was cut off: a test's cluster is young.
                "--cluster-replica-validity-factor", "0"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("node-" + port + ".log").toFile()))
                    .start();
            nodes.put(port, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable, e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!PrivateRedis.answersPing("127.0.0.1", port)) {
            if (!nodes.get(port).isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on " + port + "; see "
                        + directory.resolve("node-" + port + ".log"));
            }
            pause(20);
        }
    }

    /** redis-cli --cluster create: assigns the slots to the first three, the others replicate. */
    private void create() {
        List<String> command = new ArrayList<>(List.of(executable.resolveSibling("redis-cli").toString(),
                "--cluster", "create"));
        nodes.keySet().forEach(port -> command.add("127.0.0.1:" + port));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("cluster-create.log").toFile()).start();
            if (!create.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed; see "
                        + directory.resolve("cluster-create.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the cluster", e);
        }
    }

    private void awaitReady() {
        try {
            Await.until("cluster_state:ok on every node, replicas in sync", READY_WITHIN, this::healthy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the cluster", e);
        }
    }

    /**
     * Ports p with p and p + 10000 both free, below 55536 so the bus port exists. Probed,
     * not reserved: another process can take one before redis binds it, and then the
     * launch fails loudly.
     */
    private static List<Integer> freePortPairs(int count) {
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; attempt < 1_000 && ports.size() < count; attempt++) {
            int port = FreePorts.any();
            if (port + BUS_OFFSET < 65_536 && !ports.contains(port) && free(port + BUS_OFFSET)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("found no " + count + " free port pairs (port, port + 10000)");
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return probe.isBound();
        } catch (IOException taken) {
            return false;
        }
    }

    /** Stops every node it started (SIGTERM, then SIGKILL after 5 s) and deletes the directory. */
    @Override
    public void close() {
        for (Process process : nodes.values()) {
            process.destroy();
        }
        for (Process process : nodes.values()) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException leftover) {
            // a leftover directory under build/ is harmless; ./build.sh clean removes it
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
