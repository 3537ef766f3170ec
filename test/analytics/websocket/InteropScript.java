package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.ChildRun;
import analytics.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a client written in another language (test/interop/) against a fresh echo server as a
 * child process, with a deadline, and asserts that it passed every check. The Node and Python
 * tests differ only in their Client; the rest is here, once.
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
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(15);
    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

    /**
     * A client in another language: its script in test/interop/, the interpreters that may run
     * it (the first that can load the library wins), the arguments that make one load it and
     * exit, the environment it needs, and the library's name and install command for the skip.
     */
    record Client(String script, List<String> interpreters, List<String> probe,
                  Map<String, String> environment, String library, String install) {
    }

    private InteropScript() {
    }

    /**
     * Runs the client against an echo server on a free loopback port and asserts all CHECKS;
     * aborts the test (skipped, with the install command) when no interpreter loads the library.
     */
    static void assertInteroperates(Client client) throws Exception {
        String interpreter = interpreterThatLoadsTheLibrary(client);
        Path script = ROOT.resolve("test/interop").resolve(client.script());
        assertTrue(Files.exists(script), script + " is missing");
        Log.setThreshold(Log.Level.ERROR);
        try (WebSocketServer server = startEchoServer(client.script())) {
            ChildRun result = ChildRun.run(List.of(interpreter, script.toString(), "ws://127.0.0.1:" + server.port() + "/"),
                    client.environment(), CLIENT_DEADLINE);
            assertAllChecksPassed(result);
        }
    }

    private static String interpreterThatLoadsTheLibrary(Client client) throws Exception {
        for (String interpreter : client.interpreters()) {
            List<String> probe = new ArrayList<>(List.of(interpreter));
            probe.addAll(client.probe());
            ChildRun loaded = ChildRun.run(probe, client.environment(), PROBE_DEADLINE);
            if (loaded != null && loaded.succeeded()) {
                return interpreter;
            }
        }
        return ExternalTool.missing(client.library(), client.install());
    }

    private static WebSocketServer startEchoServer(String name) throws IOException {
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withHandshakeTimeout(Duration.ofSeconds(2)).withCloseTimeout(Duration.ofSeconds(1));
        return new WebSocketServer(name, options, new EchoHandler(), null).start();
    }

    /** The script's verdict: exit 0, one "ok CHECK" line per check, then PASS. */
    private static void assertAllChecksPassed(ChildRun result) {
        assertEquals(0, result.exit(), "exit code (-1: timed out); output:\n" + result.output());
        for (String check : CHECKS) {
            assertTrue(result.output().contains("ok " + check + "\n"), "no 'ok " + check + "' in:\n" + result.output());
        }
        assertTrue(result.output().endsWith("PASS\n"), result.output());
    }
}
