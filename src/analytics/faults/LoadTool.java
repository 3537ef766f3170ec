package analytics.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A load client we did not write - wrk, h2load, Node's `ws` - run as a process of its own
 * for a bounded time, its output kept in the scenario's folder and handed back to be read.
 * The campaign judges the servers by what these clients counted, so a bug in our own client
 * cannot flatter them.
 *
 * Pattern: an external tool as a bounded child process: a deadline, the output in a file
 *          the report points to, and a kill when the deadline passes.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the caller's, which waits for the tool.
 */
final class LoadTool {

    /** Past its own duration, a tool gets this long to print its summary and exit. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private LoadTool() {
    }

    /**
     * Runs {@code command} from the project root for about {@code duration}; returns what it
     * printed, standard output and error together.
     *
     * @throws IOException when it could not start, or did not end within the grace period
     */
    static String run(String name, List<String> command, Duration duration, Path folder)
            throws IOException, InterruptedException {
        return run(name, command, Map.of(), duration, folder);
    }

    /** As above, with {@code environment} added to the campaign's own. */
    static String run(String name, List<String> command, Map<String, String> environment, Duration duration,
                      Path folder) throws IOException, InterruptedException {
        Path output = output(name, folder);
        Process process = start(command, environment, output);
        if (!process.waitFor(duration.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException(name + " did not finish within " + duration.plus(GRACE).toSeconds()
                    + " s: " + output);
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** Where a tool's output goes: the scenario's folder, a file named after the run. */
    static Path output(String name, Path folder) {
        return folder.resolve(name.replaceAll("[^A-Za-z0-9.-]", "") + ".out");
    }

    /** Starts {@code command} from the project root without waiting; all it prints goes to {@code output}. */
    static Process start(List<String> command, Map<String, String> environment, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The last line of {@code output} that is a JSON object: the scripts' one-line summary. */
    static String lastJsonLine(String output) {
        List<String> lines = output.lines().filter(line -> line.startsWith("{")).toList();
        return lines.isEmpty() ? null : lines.getLast();
    }
}
