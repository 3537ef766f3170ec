package analytics.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import analytics.testing.Await;
import analytics.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paced client against a real, independent HTTP/2 server: nginx answering 202 over h2c
 * with prior knowledge (and over HTTP/1.1 on a second port), started privately on loopback
 * ports for this class and stopped by its PID. Each run is ~1 s at a low rate; the
 * assertions are about counting (every due request answered or refused, exactly once),
 * about MAX_CONCURRENT_STREAMS and about waits that must show in the latency - not about
 * speed, which a shared 2-core machine cannot promise.
 *
 * Without nginx (apt-get install nginx-light) the tests that need it are reported as skipped,
 * never passed; the slow-response test also needs its echo module (libnginx-mod-http-echo,
 * which nginx-light pulls in).
 */
class HttpRateBenchNginxTest {

    /** Debian's place for it; /usr/sbin is not on every user's PATH. */
    private static final Path NGINX_SBIN = Path.of("/usr/sbin/nginx");
    private static final Path ECHO_MODULE =
            Path.of("/usr/lib/nginx/modules/ngx_http_echo_module.so");
    /** The echo module's pause before each /slow answer: 20 ms of "server work". */
    private static final String SLOW_SECONDS = "0.02";

    @TempDir
    static Path dir;
    private static Process nginx;
    private static int h2Port;
    private static int h2OneStreamPort;
    private static int h1Port;

    @BeforeAll
    static void startNginx() throws Exception {
        Optional<Path> binary = findNginx();
        if (binary.isEmpty()) {
            return; // every test that needs it says so and is skipped
        }
        h2Port = FreePorts.any();
        h2OneStreamPort = FreePorts.any();
        h1Port = FreePorts.any();
        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, config());
        nginx = new ProcessBuilder(binary.get().toString(), "-p", dir.toString(),
                "-c", config.toString(), "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        Await.until("nginx listening on " + h2Port + ", " + h2OneStreamPort + " and " + h1Port,
                Duration.ofSeconds(10), () -> !nginx.isAlive() || FreePorts.accepts(h2Port)
                        && FreePorts.accepts(h2OneStreamPort) && FreePorts.accepts(h1Port));
        assertTrue(nginx.isAlive(), () -> "nginx stopped at start: "
                + read(dir.resolve("nginx.out")) + read(dir.resolve("error.log")));
    }

    @AfterAll
    static void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy(); // SIGTERM to the master we started: it stops its worker, then itself
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    private static String config() {
        String slow = Files.exists(ECHO_MODULE)
                ? "location /slow { echo_status 202; echo_sleep " + SLOW_SECONDS + ";"
                        + " echo '{\"status\":\"accepted\"}'; }"
                : "";
        return (Files.exists(ECHO_MODULE) ? "load_module " + ECHO_MODULE + ";\n" : "")
                + "worker_processes 1;\ndaemon off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + dir.resolve("body") + ";\n"
                // Else GOAWAY after 1,000 requests on a connection, HTTP/2 included.
                + "    keepalive_requests 1000000;\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + h2Port + " http2;\n"
                + "        location / { return 202 '{\"status\":\"accepted\"}'; }\n"
                + "        " + slow + "\n"
                + "    }\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + h2OneStreamPort + " http2;\n"
                // A second stream is refused (RST_STREAM REFUSED_STREAM), not queued.
                + "        http2_max_concurrent_streams 1;\n"
                + "        " + slow + "\n"
                + "    }\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + h1Port + ";\n"
                + "        location / { return 202 '{\"status\":\"accepted\"}'; }\n"
                + "    }\n"
                + "}\n";
    }

    private static Optional<Path> findNginx() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "nginx"));
        return Stream.concat(onPath, Stream.of(NGINX_SBIN)).filter(Files::isExecutable).findFirst();
    }

    private static void requireNginx() {
        assumeTrue(nginx != null, "nginx is not installed: apt-get install nginx-light");
    }

    private static void requireEchoModule() {
        requireNginx();
        assumeTrue(Files.exists(ECHO_MODULE),
                "nginx's echo module is not installed: apt-get install libnginx-mod-http-echo");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return file + ": " + e;
        }
    }

    private static HttpRateBench.Result bench(String... options) throws Exception {
        Map<String, String> map = new HashMap<>(Map.of("seconds", "1", "warmup", "0"));
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return HttpRateBench.run(map);
    }

    @Test
    void h2ClientGetsAnAnswerToEveryDueRequestFromNginx() throws Exception {
        requireNginx();
        HttpRateBench.Result result = bench("protocol", "h2", "port", Integer.toString(h2Port),
                "connections", "2", "streams", "10", "rate", "500");
        assertEquals("rate-h2", result.scenario());
        assertEveryDueRequestAcceptedOnce(result);
    }

    @Test
    void h1ClientGetsAnAnswerToEveryDueRequestFromNginx() throws Exception {
        requireNginx();
        HttpRateBench.Result result = bench("protocol", "h1", "port", Integer.toString(h1Port),
                "connections", "2", "rate", "500");
        assertEquals("rate", result.scenario());
        assertEveryDueRequestAcceptedOnce(result);
    }

    /** 2 connections x 250 due times in the measured second: each answered 202, once. */
    private static void assertEveryDueRequestAcceptedOnce(HttpRateBench.Result result) {
        assertEquals(500, result.accepted(), result.describe());
        assertEquals(0, result.refused(), result.describe());
        assertTrue(result.p50Micros() > 0 && result.p50Micros() <= result.p99Micros()
                && result.p99Micros() < 2_000_000,
                "latency 0 < p50 <= p99 < 2 s: " + result.describe());
    }

    /**
     * 80 requests/s, each answered after 20 ms, on one connection: they need more than one
     * stream at a time. A server that allows one refuses a second (nginx answers RST_STREAM
     * REFUSED_STREAM), so none refused means the client kept to the server's limit; and the
     * requests that waited for the stream carry that wait, so p99 is far above the 20 ms a
     * server with streams to spare answers in.
     */
    @Test
    void waitForAFreeStreamKeepsToTheServersLimitAndCountsInLatency() throws Exception {
        requireEchoModule();
        String[] options = {"protocol", "h2", "path", "/slow", "connections", "1",
            "streams", "10", "rate", "80"};
        HttpRateBench.Result oneStream =
                bench(concat(options, "port", Integer.toString(h2OneStreamPort)));
        HttpRateBench.Result manyStreams =
                bench(concat(options, "port", Integer.toString(h2Port)));

        assertEquals(80, oneStream.accepted(), oneStream.describe());
        assertEquals(0, oneStream.refused(), oneStream.describe());
        assertEquals(80, manyStreams.accepted(), manyStreams.describe());
        // One stream serves at most 50/s: by the end the queue is ~30 requests x 20 ms deep.
        assertTrue(oneStream.p99Micros() > 300_000, "waits counted: " + oneStream.describe());
        assertTrue(manyStreams.p99Micros() < oneStream.p99Micros() / 2,
                "with streams to spare nobody waits: " + manyStreams.describe());
    }

    @Test
    void refusesAPortThatDoesNotSpeakHttp2WithPriorKnowledge() throws Exception {
        requireNginx();
        IOException refused = assertThrows(IOException.class,
                () -> bench("protocol", "h2", "port", Integer.toString(h1Port),
                        "connections", "1"));
        assertTrue(refused.getMessage().contains("no HTTP/2 server preface"), refused.getMessage());
    }

    @Test
    void rejectsAnUnknownProtocolByName() {
        IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> bench("protocol", "h3"));
        assertEquals("--protocol must be h1 or h2, got h3", rejected.getMessage());
    }

    private static String[] concat(String[] options, String... more) {
        return Stream.concat(Stream.of(options), Stream.of(more)).toArray(String[]::new);
    }
}
