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
 * Node's `ws` package (version 8) against the echo server, through test/interop/node_client.js.
 * ws is looked up in lib/node/node_modules (git-ignored); without node or ws the test is
 * aborted (reported as skipped), never passed: npm install --prefix lib/node ws@8.
 */
class NodeWsInteropTest {

    private static final Path NODE_MODULES = InteropScript.ROOT.resolve("lib/node/node_modules");

    private WebSocketServer server;

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.ERROR);
        server = InteropScript.startEchoServer("node-interop");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void interoperatesWithNodeWs() throws Exception {
        InteropScript.Result node = InteropScript.run(List.of("node", "--version"), Map.of(), Duration.ofSeconds(15));
        assumeTrue(node != null && node.succeeded(), "node is not installed");
        assumeTrue(Files.exists(NODE_MODULES.resolve("ws/package.json")),
                "ws is not installed in " + NODE_MODULES + " (npm install --prefix lib/node ws@8)");
        Path script = InteropScript.script("node_client.js");
        assertTrue(Files.exists(script), script + " is missing");
        InteropScript.Result result = InteropScript.run(
                List.of("node", script.toString(), "ws://127.0.0.1:" + server.port() + "/"),
                Map.of("NODE_PATH", NODE_MODULES.toString()), Duration.ofSeconds(30));
        InteropScript.assertAllChecksPassed(result);
    }
}
