package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import analytics.testing.ChildRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prior knowledge, which java.net.http cannot do for http:// URLs, with two independent
 * clients built on nghttp2: curl (--http2-prior-knowledge, and --http2 for the upgrade)
 * and h2load. A machine without them skips these tests - reported as skipped, never
 * passed (Debian: apt-get install curl nghttp2-client).
 */
class CurlH2loadInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @AutoClose
    private final Http2Server server = Http2EchoHandler.serve();

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static ChildRun run(String... command) throws Exception {
        return ChildRun.run(List.of(command), Map.of(), TIMEOUT);
    }

    private static void assumeInstalled(String tool) throws Exception {
        ChildRun version = run(tool, "--version");
        assumeTrue(version != null && version.exit() == 0,
                tool + " is not installed (Debian: apt-get install curl nghttp2-client)");
    }

    @Test
    void curlPostsWithPriorKnowledge() throws Exception {
        assumeInstalled("curl");
        ChildRun result = run("curl", "-sS", "--http2-prior-knowledge", "-H", "Content-Type: application/json",
                "--data-binary", "{\"cpu\":42}", "-w", "\\n%{http_version} %{http_code}", url("/metrics"));
        assertEquals(0, result.exit(), result.output());
        assertEquals("POST /metrics 10 h2\n2 200", result.output());
    }

    @Test
    void curlGetsThroughTheH2cUpgrade() throws Exception {
        assumeInstalled("curl");
        ChildRun result = run("curl", "-sS", "--http2", "-w", "\\n%{http_version} %{http_code}", url("/healthz"));
        assertEquals(0, result.exit(), result.output());
        assertEquals("GET /healthz 0 h2c-upgrade\n2 200", result.output());
    }

    @Test
    void curlHttp11IsAnsweredOnceThenClosed() throws Exception {
        assumeInstalled("curl");
        ChildRun result = run("curl", "-sS", "-i", "--http1.1", url("/plain"));
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().startsWith("HTTP/1.1 200 OK"), result.output());
        assertTrue(result.output().contains("Connection: close"), result.output());
        assertTrue(result.output().endsWith("GET /plain 0 http/1.1"), result.output());
    }

    @Test
    void h2loadCompletesEveryRequestOnManyStreamsAtOnce(@TempDir Path dir) throws Exception {
        assumeInstalled("h2load");
        Path body = Files.writeString(dir.resolve("body.json"), "{\"serverId\":\"s\",\"cpu\":1}");
        ChildRun result = run("h2load", "-n", "2000", "-c", "4", "-m", "10", "-d", body.toString(), url("/metrics"));
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("Application protocol: h2c"), result.output());
        assertTrue(result.output().contains("2000 succeeded, 0 failed, 0 errored, 0 timeout"), result.output());
        assertTrue(result.output().contains("status codes: 2000 2xx"), result.output());
    }
}
