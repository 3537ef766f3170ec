package analytics.faults;

import analytics.demo.ChildProcess;
import analytics.demo.DemoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One part of a system the campaign can kill and bring back: a redis-server, an ingest, a
 * worker pool, a broadcaster, System 2. Each start is a fresh process with a log of its own
 * (worker-a.3.log is the third life of worker-a), so what a killed process said last is
 * kept for the report.
 *
 * Pattern: kill -9 as a test tool - SIGKILL runs no shutdown hook and no finally block, so
 *          it is the honest model of a crash, a power cut or the OOM killer.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: what to check afterwards (the scenarios).
 * Threads: driven by the campaign's main thread only - Redis is started under a
 *          parent-death signal that follows the starting thread (PrivateRedis).
 */
final class Node implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logDirectory;
    private final BooleanSupplier ready;
    private ChildProcess current;
    private int lives;

    Node(String name, List<String> command, Map<String, String> environment, Path logDirectory,
         BooleanSupplier ready) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logDirectory = logDirectory;
        this.ready = ready;
    }

    String name() {
        return name;
    }

    /** Starts a new life and waits until it serves; returns how long that took. */
    Duration start() throws IOException, DemoException, InterruptedException {
        long began = System.nanoTime();
        lives++;
        current = new ChildProcess(name, command, environment,
                logDirectory.resolve(name + "." + lives + ".log"), ready);
        current.start();
        current.awaitReady(READY_TIMEOUT);
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** SIGKILL, then waits until the kernel has reaped it (its ports are free again). */
    void kill() throws InterruptedException {
        if (current != null) {
            current.kill();
            current.awaitStop(STOP_GRACE);
        }
    }

    /** This life's process, whose children a scenario may look for. */
    ProcessHandle handle() {
        return current.handle();
    }

    Path log() {
        return current.log();
    }

    /** Waits for this life to end by itself; its exit status, or -1 when it did not end in time. */
    int awaitExit(Duration timeout) throws InterruptedException {
        try {
            return current.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS).exitValue();
        } catch (TimeoutException | ExecutionException e) {
            return -1;
        }
    }

    /** This life's VmRSS from /proc, in KB; 0 where there is no /proc. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(current.handle().pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // no /proc (macOS), or the process is gone: reported as 0
        }
        return 0;
    }

    boolean isAlive() {
        return current != null && current.isAlive();
    }

    int lives() {
        return lives;
    }

    /** SIGTERM with a grace period, as a user's Ctrl-C would; the campaign's own cleanup. */
    @Override
    public void close() {
        if (current != null) {
            current.requestStop();
            try {
                current.awaitStop(STOP_GRACE);
            } catch (InterruptedException e) {
                current.kill(); // no time left to be polite
                Thread.currentThread().interrupt();
            }
        }
    }
}
