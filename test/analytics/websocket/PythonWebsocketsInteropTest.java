package analytics.websocket;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Python's `websockets` package against the echo server, through test/interop/python_client.py.
 * Without a python3 that can import websockets the test is aborted (reported as skipped,
 * saying what to install).
 */
class PythonWebsocketsInteropTest {

    /** The Debian package installs into the system python3, which may not be first on PATH. */
    private static final InteropScript.Client PYTHON_WEBSOCKETS = new InteropScript.Client("python_client.py",
            List.of("python3", "/usr/bin/python3"), List.of("-c", "import websockets"),
            Map.of("PYTHONUNBUFFERED", "1"), // lines already printed survive a timeout
            "Python's websockets", "apt-get install python3-websockets (or pip install websockets)");

    @Test
    void interoperatesWithPythonWebsockets() throws Exception {
        InteropScript.assertInteroperates(PYTHON_WEBSOCKETS);
    }
}
