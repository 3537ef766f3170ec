package analytics.loadtest.driver;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.loadtest.report.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The load driver's two commands: {@code run} measures the scenarios at every level and
 * writes one CSV; {@code compare} turns one run's CSV into the side-by-side comparison
 * (CSV, Markdown, HTML). {@code scripts/loadtest.sh} starts the systems and calls both.
 *
 * Exit codes: 0 done (a run with errors is still a run: they are in the CSV; a scenario
 * whose system did not answer is skipped and named), 64 a bad option or setting (EX_USAGE,
 * one line), 1 nothing could be measured at all.
 *
 * Pattern: entry point - parse, run, map failures to exit codes and one-line messages.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: main's; the run uses virtual threads.
 */
public final class LoadDriverMain {

    static final int EXIT_USAGE = 64;

    private LoadDriverMain() {
    }

    public static void main(String[] args) {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        String command = args.length == 0 ? "" : args[0];
        int exit = switch (command) {
            case "run" -> run(rest);
            case "compare" -> compare(rest);
            case "-h", "--help", "help" -> {
                System.out.println(DriverOptions.USAGE);
                yield 0;
            }
            default -> usage(command.isEmpty() ? "say run or compare" : "unknown command " + command);
        };
        // The JDK client's selector threads and dashboards' sockets may linger: end them all.
        System.exit(exit);
    }

    private static int run(List<String> args) {
        Config config;
        DriverOptions options;
        try {
            config = Config.load();
            options = DriverOptions.parse(args);
        } catch (ConfigException | IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            LoadDriver driver = new LoadDriver(config.loadTest(), options, System.out);
            List<?> rows = driver.run();
            for (String skipped : driver.skipped()) {
                System.err.println("loadtest: skipped " + skipped);
            }
            if (rows.isEmpty()) {
                System.err.println("loadtest: no scenario could run; nothing was measured");
                return 1;
            }
        } catch (IOException e) {
            System.err.println("loadtest: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            System.err.println("loadtest: interrupted; the levels finished so far are in " + options.csv());
            return 130;
        }
        System.out.println("loadtest: results in " + options.csv());
        return 0;
    }

    private static int compare(List<String> args) {
        if (args.size() != 1) {
            return usage("compare takes one run's CSV file");
        }
        Path csv = Path.of(args.getFirst());
        if (!Files.isRegularFile(csv)) {
            return usage("no such file: " + csv);
        }
        try {
            for (Path written : Comparison.write(csv)) {
                System.out.println("loadtest: wrote " + written);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("loadtest: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(String problem) {
        System.err.println("loadtest: " + problem + " (LoadDriverMain --help lists the options)");
        return EXIT_USAGE;
    }
}
