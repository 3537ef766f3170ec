package analytics.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a program from outside the JDK (curl, h2load, a Python or Node client) as a child
 * process with a deadline, and hands back its exit code and output for the test to assert.
 *
 * Pattern: interoperability through independent implementations, not self-agreement; every
 *          child bounded in time, its output drained so it can never block on a full pipe.
 * Lesson:  lessons/01-build-and-test.md
 * Not here: installing the tools (scripts/ensure-tools.sh) or skipping without them
 *           (ExternalTool).
 * Threads: the caller's, plus one virtual thread draining the child's output.
 *
 * @param exit -1 when the child did not finish in time (it was then killed)
 */
public record ChildRun(int exit, String output) {

    public boolean succeeded() {
        return exit == 0;
    }

    /** Runs {@code command}; null when it cannot be started at all (the tool is not installed). */
    public static ChildRun run(List<String> command, Map<String, String> environment, Duration timeout)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            return null;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // a child that exited at once: its output still tells what happened
        }
        AtomicReference<String> output = new AtomicReference<>("");
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                output.set(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.set("(output lost: " + e.getMessage() + ")\n");
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        drain.join(Duration.ofSeconds(5));
        return new ChildRun(finished ? process.exitValue() : -1, output.get());
    }
}
