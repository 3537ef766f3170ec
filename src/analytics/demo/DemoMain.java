package analytics.demo;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.config.ConfigMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code make run}: the whole classroom demo from one command - a private Redis, System 1,
 * System 2, the dashboard page, and fake servers feeding both systems - each program in its
 * own process with its own log under run/, all stopped by one Ctrl-C.
 *
 * Pattern: one command that assembles the system from its parts (the parts stay runnable
 *          alone: make run-system1, make run-system2, make dashboard, make senders).
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: main starts and then waits; the shutdown hook (Ctrl-C, SIGTERM) stops everything.
 */
public final class DemoMain {

    /**
     * Where the logs and Redis's working directory go: run/ (git-ignored), or the folder
     * named by -Danalytics.run.dir (tests use a temporary one). The programs themselves run
     * in the project root, where the dashboard server finds dashboard/ and lib/.
     */
    static final Path RUN_DIR = Path.of(System.getProperty("analytics.run.dir", "run")).toAbsolutePath();
    /** Each program's JVM gets this long to bind its ports and report ready. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private DemoMain() {
    }

    public static void main(String[] args) {
        Config config = configOrExit("make run");
        Path redisExecutable = redisOrExit("make run");
        DemoPlan plan = new DemoPlan(config, redisExecutable, freeOr(config.redis().port()), RUN_DIR);
        supervise("make run", config, "Redis, System 1, System 2, the dashboard and the senders",
                "the senders, then the systems and the dashboard, then Redis",
                plan.layers(), plan.redisDirectory(), plan::banner);
    }

    /** The settings in effect, or the one line naming the bad one and exit status 78. */
    static Config configOrExit(String command) {
        try {
            return Config.load();
        } catch (ConfigException e) {
            System.err.println(command + ": " + e.getMessage());
            System.exit(ConfigMain.EXIT_BAD_CONFIG);
            throw new IllegalStateException("unreachable");
        }
    }

    /** redis-server, or the line saying how to install it and exit status 1. */
    static Path redisOrExit(String command) {
        return PrivateRedis.findExecutable().orElseGet(() -> {
            System.err.println(command + ": redis-server is not installed; install it "
                    + "(sudo apt-get install redis-server, or brew install redis) and run again");
            System.exit(1);
            throw new IllegalStateException("unreachable");
        });
    }

    /**
     * Starts {@code layers} in order under one Supervisor, prints the banner, and waits: for
     * Ctrl-C (stops everything, last layer first) or for a program to exit (says which and
     * why, stops the rest, exits with status 1). {@code command} opens every line it prints.
     */
    static void supervise(String command, Config config, String starting, String stopping,
                          List<List<ChildProcess>> layers, Path redisDirectory, Supplier<String> banner) {
        // Each program's own shutdown takes up to SHUTDOWN_TIMEOUT_MS; then it is killed.
        Supervisor supervisor = new Supervisor(READY_TIMEOUT, config.shutdownTimeout().plusSeconds(2));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!supervisor.isStopping()) { // Ctrl-C or SIGTERM, not a crash already reported
                System.out.println(System.lineSeparator() + command + ": stopping " + stopping + " ...");
                supervisor.close();
                System.out.println(command + ": stopped");
            }
        }, "demo-shutdown"));
        try {
            System.out.println(command + ": starting " + starting + " ...");
            Files.createDirectories(redisDirectory);
            for (List<ChildProcess> layer : layers) {
                supervisor.startLayer(layer);
            }
            System.out.println(banner.get());
            String reason = supervisor.unexpectedExit().join();
            System.err.println(command + ": " + reason + "; stopping the demo");
        } catch (DemoException | IOException e) {
            if (!supervisor.isStopping()) { // after Ctrl-C mid-start, a child's exit is no news
                System.err.println(command + ": " + e.getMessage() + "; stopping the demo");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisor.close();
        System.exit(1);
    }

    /**
     * The configured Redis port when nothing listens there, else any free one: a Redis the
     * machine already runs on 6379 is not ours to use or to stop.
     */
    static int freeOr(int preferred) {
        try (ServerSocket probe = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException inUse) {
            try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return any.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free loopback port for Redis", e);
            }
        }
    }
}
