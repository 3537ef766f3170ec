package analytics.config;

import analytics.log.Log;
import java.util.concurrent.CountDownLatch;

/**
 * The life of every server program: load the configuration, start, run until Ctrl-C
 * (SIGINT) or SIGTERM, then shut down gracefully within SHUTDOWN_TIMEOUT_MS.
 * A bad setting or a busy port ends the program with one line and exit status 78.
 *
 * Pattern: one entry-point template, so every *Main is three lines and behaves alike.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Threads: main waits; the JVM's shutdown hook thread stops the program.
 */
public final class Startup {

    /** Starts a program from its configuration; the returned handle stops it. */
    @FunctionalInterface
    public interface Program {
        AutoCloseable start(Config config) throws Exception;
    }

    private Startup() {
    }

    public static void run(String name, Program program) {
        Config config;
        AutoCloseable running;
        try {
            config = Config.load();
            Log.setThreshold(config.logLevel());
            running = program.start(config);
        } catch (ConfigException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(ConfigMain.EXIT_BAD_CONFIG);
            return;
        } catch (Exception e) {
            Log.get(name).error("could not start", e);
            System.exit(1);
            return;
        }
        Log log = Log.get(name);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("shutting down", "budgetMs", config.shutdownTimeout().toMillis());
            Thread closer = Thread.ofPlatform().daemon().start(() -> closeQuietly(running, log));
            try {
                closer.join(config.shutdownTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closer.isAlive()) {
                log.warn("shutdown budget exceeded; exiting anyway");
            }
            stopped.countDown();
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable running, Log log) {
        try {
            running.close();
        } catch (Exception e) {
            log.error("error while shutting down", e);
        }
    }
}
