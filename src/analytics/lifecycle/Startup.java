package analytics.lifecycle;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.config.ConfigMain;
import analytics.log.Log;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The life of every server program: load the configuration, start, run until Ctrl-C
 * (SIGINT) or SIGTERM, then shut down gracefully within SHUTDOWN_TIMEOUT_MS.
 * A bad setting or a busy port ends the program with one line and exit status 78.
 *
 * Pattern: one entry-point template, so every *Main is three lines and behaves alike.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: what a setting means (Config); starting and stopping many programs (demo).
 * Threads: main starts the program, then waits; the JVM's shutdown hook thread stops it.
 */
public final class Startup {

    /**
     * The system property (-Danalytics.supervisor.pid=...) the demo supervisor (make run)
     * gives every program it starts: its own process id. A program that has it stops when
     * that process is gone, so even a supervisor killed with SIGKILL orphans no JVM. A
     * property, not an environment variable: it links two processes, it is not a setting.
     */
    public static final String SUPERVISOR_PID = "analytics.supervisor.pid";

    /** Starts a program from its configuration; the returned handle stops it. */
    @FunctionalInterface
    public interface Program {
        AutoCloseable start(Config config) throws Exception;
    }

    private Startup() {
    }

    public static void run(String name, Program program) {
        Config config;
        try {
            config = Config.load();
        } catch (ConfigException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(ConfigMain.EXIT_BAD_CONFIG);
            return;
        }
        Log.setThreshold(config.logLevel());
        Log log = Log.get(name);
        // The hook is in place before the program opens its first port, and it waits for
        // start() to return: a supervisor that sees the first port answer and sends SIGTERM
        // at once (while later parts are still starting) must still get a graceful stop.
        CompletableFuture<AutoCloseable> started = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutDown(started, config.shutdownTimeout(), log);
            stopped.countDown();
        }, name + "-shutdown"));
        try {
            started.complete(program.start(config));
        } catch (ConfigException e) {
            started.completeExceptionally(e);
            System.err.println(name + ": " + e.getMessage());
            System.exit(ConfigMain.EXIT_BAD_CONFIG);
            return;
        } catch (Exception | Error e) { // an Error too: the hook must not wait for a start that is over
            started.completeExceptionally(e);
            log.error("could not start", e);
            System.exit(1);
            return;
        }
        stopWithSupervisor(log);
        // The servers run on virtual threads, which do not keep a JVM alive: main does.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the program within its budget; runs on the JVM's shutdown hook thread. A signal
     * that arrives mid-start first waits for the start to finish, so whatever was opened is
     * closed: both waits share the one budget, which the supervisor's grace period assumes.
     */
    private static void shutDown(CompletableFuture<AutoCloseable> started, Duration budget, Log log) {
        long deadline = System.nanoTime() + budget.toNanos();
        AutoCloseable running;
        try {
            running = started.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException startFailed) {
            return; // nothing was started, so nothing to close
        } catch (TimeoutException e) {
            log.warn("still starting when the shutdown budget ran out; exiting anyway");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        log.info("shutting down", "budgetMs", budget.toMillis());
        Thread closer = Thread.ofPlatform().daemon().start(() -> closeQuietly(running, log));
        try {
            closer.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            log.warn("shutdown budget exceeded; exiting anyway");
        }
    }

    /**
     * When started by the demo supervisor, exit (running the shutdown hooks) once it is
     * gone. ProcessHandle.onExit works for any process, not only our children: the JDK
     * polls it. Outside the demo this does nothing.
     */
    private static void stopWithSupervisor(Log log) {
        String pid = System.getProperty(SUPERVISOR_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.strip()))
                .map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null))
                .thenRun(() -> {
                    log.warn("the demo supervisor is gone; stopping", "supervisorPid", pid);
                    System.exit(0);
                });
    }

    private static void closeQuietly(AutoCloseable running, Log log) {
        try {
            running.close();
        } catch (Exception e) {
            log.error("error while shutting down", e);
        }
    }
}
