package analytics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

    @Test
    void defaultsAreTheContracts() {
        Config config = Config.from(Map.of());
        assertEquals(Log.Level.INFO, config.logLevel());
        assertEquals(Duration.ofMillis(10_000), config.shutdownTimeout());
        assertEquals(4000, config.system1().httpPort());
        assertEquals(4001, config.system1().http2Port());
        assertEquals(4002, config.system1().wsPort());
        assertEquals(4, config.system1().workerCount());
        assertEquals("metrics:stream", config.system1().streamKey());
        assertEquals("metrics:pubsub", config.system1().channel());
        assertEquals(1_000_000, config.system1().streamMaxLen());
        assertEquals(100_000, config.system1().maxLag());
        assertEquals(new Config.Http2(100, 16_384), config.system1().http2());
        assertEquals(new Config.Redis("localhost", 6379, 0, "", ""), config.redis());
        assertEquals(4100, config.system2().wsPort());
        assertEquals(Duration.ofSeconds(1), config.system2().aggregationWindow());
        assertEquals(500, config.system2().bufferSize());
        assertEquals(10, config.fakeServers().count());
        assertEquals(0.05, config.fakeServers().spikeProbability());
        assertEquals(URI.create("http://localhost:4000/metrics"), config.fakeServers().httpTarget());
        assertEquals(URI.create("ws://localhost:4100"), config.fakeServers().wsTarget());
        assertEquals(10_000, config.fakeServers().bufferSize());
        assertEquals(Duration.ofSeconds(60), config.loadTest().durationPerLevel());
        assertEquals(8080, config.dashboardPort());
        assertEquals("127.0.0.1", config.bindHost());
        assertEquals(1_048_576, config.webSocket().maxMessageBytes());
        assertEquals(List.of(), config.webSocket().allowedOrigins());
    }

    @Test
    void sendersFollowTheSystemsPortsWhenTheirTargetsAreUnset() {
        Config config = Config.from(Map.of("SYSTEM1_HTTP_PORT", "5000", "SYSTEM2_WS_PORT", "5100"));
        assertEquals(URI.create("http://localhost:5000/metrics"), config.fakeServers().httpTarget());
        assertEquals(URI.create("ws://localhost:5100"), config.fakeServers().wsTarget());
    }

    @Test
    void loadDriverTargetsFollowTheSystemsPortsAndListsKeepTheirOrder() {
        Config config = Config.from(Map.of("SYSTEM1_HTTP2_PORT", "5001", "SYSTEM1_WS_PORT", "5002",
                "LOAD_TEST_LEVELS", "5000, 100", "LOAD_TEST_SCENARIOS", "ws,http1"));
        assertEquals(URI.create("http://localhost:5001/metrics"), config.loadTest().http2Target());
        assertEquals(URI.create("ws://localhost:5002"), config.loadTest().system1WsTarget());
        assertEquals(List.of(5000, 100), config.loadTest().levels());
        assertEquals(List.of("ws", "http1"), config.loadTest().scenarios());
        Config defaults = Config.from(Map.of());
        assertEquals(List.of(100, 1000, 5000, 10000), defaults.loadTest().levels());
        assertEquals(List.of("http1", "http2", "ws", "fanout"), defaults.loadTest().scenarios());
        assertEquals(Duration.ofSeconds(10), defaults.loadTest().warmup());
    }

    @Test
    void readsListsAndBooleans() {
        Config config = Config.from(Map.of(
                "WS_ALLOWED_ORIGINS", " http://a.test , ,http://b.test",
                "SYSTEM1_PUBLISH_INGESTED", "true"));
        assertEquals(List.of("http://a.test", "http://b.test"), config.webSocket().allowedOrigins());
        assertTrue(config.system1().publishIngested());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            SYSTEM2_WS_PORT        | abc   | SYSTEM2_WS_PORT must be a port number from 0 to 65535, got "abc"
            SYSTEM1_HTTP_PORT      | 70000 | SYSTEM1_HTTP_PORT must be a port number from 0 to 65535, got "70000"
            FAKE_SERVER_COUNT      | -3    | FAKE_SERVER_COUNT must be a whole number of at least 1, got "-3"
            SYSTEM1_WORKER_COUNT   | 2.5   | SYSTEM1_WORKER_COUNT must be a whole number from 1 to 1024, got "2.5"
            LOG_LEVEL              | loud  | LOG_LEVEL must be one of debug, info, warn, error, got "loud"
            FAKE_SPIKE_PROBABILITY | NaN   | FAKE_SPIKE_PROBABILITY must be a probability from 0 to 1, got "NaN"
            SYSTEM1_PUBLISH_INGESTED | maybe | SYSTEM1_PUBLISH_INGESTED must be true or false, got "maybe"
            SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS | 0 | SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS must be a whole number from 1 to 10000, got "0"
            SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS | 10001 | SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS must be a whole number from 1 to 10000, got "10001"
            SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES | 1023 | SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES must be a number of bytes from 1024 to 1048576, got "1023"
            SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES | 1048577 | SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES must be a number of bytes from 1024 to 1048576, got "1048577"
            FAKE_BUFFER_SIZE       | 0     | FAKE_BUFFER_SIZE must be a whole number from 1 to 1000000, got "0"
            FAKE_HTTP_TARGET       | ftp://x/metrics | FAKE_HTTP_TARGET must be a URL starting with http:// or https://, got "ftp://x/metrics"
            SYSTEM1_MAX_LAG        | 2000000 | SYSTEM1_MAX_LAG (2000000) must be below SYSTEM1_STREAM_MAXLEN (1000000), or trimming the stream could drop entries no worker has processed
            SYSTEM2_WS_PORT        | 4000  | SYSTEM2_WS_PORT 4000 is the same port as SYSTEM1_HTTP_PORT
            LOAD_TEST_LEVELS       | 100,lots | LOAD_TEST_LEVELS must be a comma-separated list of metrics per second, each from 1 to 1000000, got "100,lots"
            LOAD_TEST_LEVELS       | 0      | LOAD_TEST_LEVELS must be a comma-separated list of metrics per second, each from 1 to 1000000, got "0"
            LOAD_TEST_SCENARIOS    | http1,http3 | LOAD_TEST_SCENARIOS must be a comma-separated list of http1, http2, ws, fanout, got "http1,http3"
            LOAD_TEST_SCENARIOS    | ws,ws  | LOAD_TEST_SCENARIOS must be a comma-separated list of http1, http2, ws, fanout, got "ws,ws"
            LOAD_TEST_WARMUP       | -1     | LOAD_TEST_WARMUP must be a number of seconds from 0 to 3600, got "-1"
            SYSTEM1_MAX_PENDING_WRITES | 0 | SYSTEM1_MAX_PENDING_WRITES must be a number of metrics from 1 to 1000000, got "0"
            SYSTEM1_MAX_PENDING_WRITES | many | SYSTEM1_MAX_PENDING_WRITES must be a number of metrics from 1 to 1000000, got "many"
            SYSTEM1_MAX_PENDING_WRITES | 1000001 | SYSTEM1_MAX_PENDING_WRITES must be a number of metrics from 1 to 1000000, got "1000001"
            """)
    void refusesABadValueWithOneLineNamingTheVariable(String name, String value, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> Config.from(Map.of(name, value)));
        assertEquals(expected, error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void acceptsTheBoundsOfTheHttp2Limits() {
        Config low = Config.from(Map.of("SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS", "1",
                "SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES", "1024"));
        assertEquals(new Config.Http2(1, 1024), low.system1().http2());
        Config high = Config.from(Map.of("SYSTEM1_HTTP2_MAX_CONCURRENT_STREAMS", "10000",
                "SYSTEM1_HTTP2_MAX_HEADER_LIST_BYTES", "1048576"));
        assertEquals(new Config.Http2(10_000, 1_048_576), high.system1().http2());
    }

    @Test
    void aHugeBadValueIsCutShortInTheMessage() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> Config.from(Map.of("DASHBOARD_PORT", "9".repeat(10_000))));
        assertTrue(error.getMessage().length() < 200, error.getMessage());
    }

    @Test
    void realEnvironmentWinsOverTheDotEnvFile(@TempDir Path dir) throws IOException {
        Path dotEnv = dir.resolve(".env");
        Files.writeString(dotEnv, "SYSTEM2_WS_PORT=4200\nSYSTEM1_HTTP_PORT=4300\n");
        Config config = Config.from(Config.variables(Map.of("SYSTEM1_HTTP_PORT", "4400"), dotEnv));
        assertEquals(4200, config.system2().wsPort());
        assertEquals(4400, config.system1().httpPort());
    }

    @Test
    void aMissingDotEnvFileIsNotAnError(@TempDir Path dir) {
        Config config = Config.from(Config.variables(Map.of(), dir.resolve(".env")));
        assertEquals(4100, config.system2().wsPort());
    }

    @Test
    void describeMasksThePasswordAndTheIngestToken() {
        Map<String, String> shown = Config.describe(Map.of("SYSTEM1_REDIS_PASSWORD", "hunter2",
                "INGEST_TOKEN", TOKEN));
        assertEquals("********", shown.get("SYSTEM1_REDIS_PASSWORD"));
        assertEquals("********", shown.get("INGEST_TOKEN"));
        assertEquals("4100", shown.get("SYSTEM2_WS_PORT"));
        assertEquals("", Config.describe(Map.of()).get("INGEST_TOKEN"), "unset shows as unset");
    }

    private static final String TOKEN = "s3cret-Token_0123456789";

    @Test
    void theRedisSettingsPrintWithoutThePassword() {
        Config config = Config.from(Map.of("SYSTEM1_REDIS_USERNAME", "ingest",
                "SYSTEM1_REDIS_PASSWORD", "hunter2hunter2"));
        assertEquals("hunter2hunter2", config.redis().password());
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.redis().toString().contains("username=ingest"), config.redis().toString());
    }

    @Test
    void maxPendingWritesDefaultsToFiveThousandAndTakesItsBounds() {
        assertEquals(5_000, Config.from(Map.of()).system1().maxPendingWrites());
        assertEquals(1, Config.from(Map.of("SYSTEM1_MAX_PENDING_WRITES", "1")).system1().maxPendingWrites());
        assertEquals(1_000_000, Config.from(Map.of("SYSTEM1_MAX_PENDING_WRITES", "1000000"))
                .system1().maxPendingWrites());
    }

    @Test
    void ingestTokenUnsetLetsEveryProducerIn() {
        IngestToken none = Config.from(Map.of()).ingestToken();
        assertFalse(none.required());
        assertTrue(none.authorizes(null));
        assertTrue(none.matches("anything"));
    }

    @Test
    void ingestTokenIsComparedWholeAndNeverPrinted() {
        Config config = Config.from(Map.of("INGEST_TOKEN", TOKEN));
        IngestToken token = config.ingestToken();
        assertTrue(token.required());
        assertTrue(token.matches(TOKEN));
        assertFalse(token.matches(TOKEN + "x"));
        assertFalse(token.matches(TOKEN.substring(1)));
        assertFalse(token.matches(null));
        assertTrue(token.authorizes("Bearer " + TOKEN));
        assertTrue(token.authorizes("bearer  " + TOKEN), "the scheme is case-insensitive");
        assertEquals("Bearer " + TOKEN, token.bearer());
        assertFalse(token.authorizes(TOKEN), "no scheme");
        assertFalse(token.authorizes("Basic " + TOKEN));
        assertFalse(token.authorizes("Bearer"));
        assertFalse(token.authorizes(null));
        assertFalse(config.toString().contains(TOKEN), config.toString());
    }

    @ParameterizedTest(name = "INGEST_TOKEN={0}")
    @CsvSource(delimiter = '|', textBlock = """
            short-secret            | 12
            has space in the middle | 23
            a-quote"inside-the-token | 24
            """)
    void refusesAWeakOrUnsendableTokenWithoutEchoingIt(String value, int length) {
        ConfigException error = assertThrows(ConfigException.class,
                () -> Config.from(Map.of("INGEST_TOKEN", value)));
        assertEquals("INGEST_TOKEN must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / "
                + "(then = padding); the value given has " + length + " characters and is not shown",
                error.getMessage());
    }

    /** .env.example is documentation a user copies; it must list exactly what Config reads. */
    @Test
    void envExampleListsEveryVariableConfigReads() throws IOException {
        Path example = Path.of(System.getProperty("project.root", "."), ".env.example");
        Map<String, String> documented = new HashMap<>();
        for (String line : Files.readAllLines(example, StandardCharsets.UTF_8)) {
            String stripped = line.replaceFirst("^#\\s*", "");
            if (stripped.matches("[A-Z0-9_]+=.*")) {
                documented.put(stripped.substring(0, stripped.indexOf('=')),
                        stripped.substring(stripped.indexOf('=') + 1));
            }
        }
        Map<String, String> read = Config.describe(Map.of());
        Set<String> expected = new TreeSet<>(read.keySet());
        expected.add("REDIS_URL"); // read by the test fixture, not by Config
        assertEquals(expected, new TreeSet<>(documented.keySet()));
        read.forEach((name, defaultValue) -> assertEquals(defaultValue, documented.get(name),
                ".env.example shows another default for " + name));
    }

    /** The entry point turns a bad value into one line on stderr and exit status 78. */
    @Test
    void configMainPrintsOneLineAndExits78OnABadValue() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ConfigMain.class.getName());
        builder.environment().put("SYSTEM2_WS_PORT", "abc");
        builder.directory(Files.createTempDirectory("config-main").toFile()); // no .env there
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ConfigMain.EXIT_BAD_CONFIG, process.exitValue());
        assertEquals("config error: SYSTEM2_WS_PORT must be a port number from 0 to 65535, got \"abc\"\n", stderr);
    }
}
