package analytics.websocket;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Node's `ws` package (version 8) against the echo server, through test/interop/node_client.js.
 * ws is looked up in lib/node/node_modules (git-ignored; make test installs it there with npm);
 * without node or ws the test is aborted (reported as skipped, saying what to install).
 */
class NodeWsInteropTest {

    private static final InteropScript.Client NODE_WS = new InteropScript.Client("node_client.js",
            List.of("node"), List.of("-e", "require('ws')"),
            Map.of("NODE_PATH", InteropScript.ROOT.resolve("lib/node/node_modules").toString()),
            "Node's ws", "apt-get install nodejs npm, then npm install --prefix lib/node ws@8.23.0");

    @Test
    void interoperatesWithNodeWs() throws Exception {
        InteropScript.assertInteroperates(NODE_WS);
    }
}
