package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a client written in another language (test/interop/) against our server as a child
 * process, with a deadline, and hands back its exit code and output for the test to assert.
 *
 * Pattern: interoperability through independent implementations, not self-agreement.
 * Lesson:  lessons/01-build-and-test.md   Spec: RFC 6455 (the clients implement it, not we)
 * Not here: installing the tools; a test aborts (skipped, never passed) when one is missing.
 * Threads: the caller's, plus one virtual thread draining the child's output.
 */
final class InteropScript {

    static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    /** What every client script checks, in the "ok CHECK" lines it prints. */
    static final List<String> CHECKS = List.of("echo-text", "echo-large-text", "echo-fragmented-text",
            "echo-binary", "ping-pong", "close-code-round-trip", "server-initiated-close");

    /** How a child process ended; {@code exit} is -1 when it did not finish in time. */
    record Result(int exit, String output) {
        boolean succeeded() {
            return exit == 0;
        }
    }

    private InteropScript() {
    }

    /** The echo server every client script talks to, on a free loopback port. */
    static WebSocketServer startEchoServer(String name) throws IOException {
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withHandshakeTimeout(Duration.ofSeconds(2)).withCloseTimeout(Duration.ofSeconds(1));
        return new WebSocketServer(name, options, new EchoHandler(), null).start();
    }

    static Path script(String name) {
        return ROOT.resolve("test/interop").resolve(name);
    }

    /** Runs {@code command}; null when it cannot be started at all (the tool is not installed). */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            return null;
        }
        process.getOutputStream().close();
        // Drained on another thread, so a child that writes a lot cannot block on a full pipe.
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
        return new Result(finished ? process.exitValue() : -1, output.get());
    }

    /** The script's verdict: exit 0, one "ok CHECK" line per check, then PASS. */
    static void assertAllChecksPassed(Result result) {
        assertEquals(0, result.exit(), "exit code (-1: timed out); output:\n" + result.output());
        for (String check : CHECKS) {
            assertTrue(result.output().contains("ok " + check + "\n"), "no 'ok " + check + "' in:\n" + result.output());
        }
        assertTrue(result.output().endsWith("PASS\n"), result.output());
    }
}
