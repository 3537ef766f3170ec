package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import analytics.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Python's `websockets` package against the echo server, through test/interop/python_client.py.
 * Without a python3 that can import websockets the test is aborted (reported as skipped),
 * never passed: apt-get install python3-websockets, or pip install websockets.
 */
class PythonWebsocketsInteropTest {

    /** The Debian package installs into the system python3, which may not be first on PATH. */
    private static final List<String> INTERPRETERS = List.of("python3", "/usr/bin/python3");

    private WebSocketServer server;

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.ERROR);
        server = InteropScript.startEchoServer("python-interop");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String pythonWithWebsockets() throws Exception {
        for (String python : INTERPRETERS) {
            InteropScript.Result probe = InteropScript.run(List.of(python, "-c", "import websockets"),
                    Map.of(), Duration.ofSeconds(15));
            if (probe != null && probe.succeeded()) {
                return python;
            }
        }
        return null;
    }

    @Test
    void interoperatesWithPythonWebsockets() throws Exception {
        String python = pythonWithWebsockets();
        assumeTrue(python != null, "no python3 with the websockets package (apt-get install python3-websockets)");
        Path script = InteropScript.script("python_client.py");
        assertTrue(Files.exists(script), script + " is missing");
        InteropScript.Result result = InteropScript.run(
                List.of(python, "-u", script.toString(), "ws://127.0.0.1:" + server.port() + "/"),
                Map.of(), Duration.ofSeconds(30));
        InteropScript.assertAllChecksPassed(result);
    }
}
