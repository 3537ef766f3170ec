package analytics.sender;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.config.ConfigMain;
import analytics.lifecycle.Startup;
import java.util.Arrays;

/**
 * {@code make senders}: simulated servers sending metrics until Ctrl-C (or --duration).
 * A bad flag prints one line and the usage and exits with 64; a bad FAKE_* setting exits
 * with 78, as every other program of the project.
 *
 * Pattern: an entry point that turns a user error into an exit code and one line; Startup
 *          does the rest (shutdown hook, graceful close within SHUTDOWN_TIMEOUT_MS).
 * Lesson:  lessons/14-fake-metric-servers.md
 * Threads: main waits in Startup; --duration ends the run from a virtual thread.
 */
public final class SendersMain {

    /** Exit status for a command line the program refuses (sysexits.h: EX_USAGE). */
    public static final int EXIT_USAGE = 64;

    private SendersMain() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(SenderOptions.USAGE);
            return;
        }
        SenderOptions options;
        try {
            options = SenderOptions.parse(args, Config.load().fakeServers());
        } catch (ConfigException e) {
            System.err.println("sender: " + e.getMessage());
            System.exit(ConfigMain.EXIT_BAD_CONFIG);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("sender: " + e.getMessage());
            System.err.println(SenderOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.duration() != null) {
            // Exiting runs the shutdown hook, so a timed run ends exactly like Ctrl-C.
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(options.duration());
                    System.exit(0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Startup.run("sender", config -> Senders.start(options));
    }
}
