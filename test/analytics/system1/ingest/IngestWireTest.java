package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Closer;
import analytics.testing.FreePorts;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * System 1's ingest driven over real sockets by the JDK's HTTP client, into a real
 * redis-server: every row of the contract's table that concerns ingest.
 */
@ExtendWith(RedisExtension.class)
class IngestWireTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long NOW = System.currentTimeMillis();
    private static final String JSON = "application/json";

    private final String streamKey = "test:ingest:" + System.nanoTime();
    @AutoClose
    private final Closer closer = new Closer();
    private RedisProcess redis;
    private System1Ingest ingest;

    @BeforeEach
    void start(RedisProcess shared) throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = shared;
        ingest = start(shared.host(), shared.port());
    }

    private System1Ingest start(String redisHost, int redisPort) throws Exception {
        System1Ingest started = System1Ingest.start(RedisProcess.configAt(redisHost, redisPort,
                "SYSTEM1_HTTP_PORT", "0", "SYSTEM1_HTTP2_PORT", "0", "SYSTEM1_REDIS_STREAM_KEY", streamKey));
        closer.add(started);
        return started;
    }

    static String metric(String serverId) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + NOW
                + ",\"metrics\":{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}";
    }

    private static HttpRequest.Builder request(System1Ingest target, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(10)); // "never hangs": a hang fails the test here
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return post(ingest, path, contentType, body);
    }

    private static HttpResponse<String> post(System1Ingest target, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder builder = request(target, path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.build());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(ingest, path).GET().build());
    }

    private long streamLength() {
        try (Jedis jedis = redis.jedis()) {
            return jedis.xlen(streamKey);
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.parse(response.body()).asObject();
    }

    @Test
    void aValidMetricIsAcceptedWithTheIdOfItsStreamEntry() throws Exception {
        HttpResponse<String> response = post("/metrics", JSON, metric("server-1"));
        assertEquals(202, response.statusCode());
        JsonObject body = json(response);
        assertEquals(List.of("status", "id"), body.names());
        assertEquals("accepted", body.getString("status", ""));
        String id = body.getString("id", "");
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = jedis.xrange(streamKey, new StreamEntryID(id), new StreamEntryID(id));
            assertEquals(1, entries.size());
            Map<String, String> fields = entries.get(0).getFields();
            assertEquals("server-1", fields.get("serverId"));
            assertEquals(Long.toString(NOW), fields.get("timestamp"));
            assertEquals(Json.parse("{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}"),
                    Json.parse(fields.get("metrics")));
        }
    }

    @ParameterizedTest
    @MethodSource("jsonMediaTypes")
    void theMediaTypeIsComparedIgnoringCaseAndParameters(String contentType) throws Exception {
        assertEquals(202, post("/metrics", contentType, metric("server-1")).statusCode());
    }

    static Stream<String> jsonMediaTypes() {
        return Stream.of("application/json", "Application/JSON", "application/json; charset=utf-8",
                "APPLICATION/JSON;charset=UTF-8", " application/json ");
    }

    /** Every bad input row: path, Content-Type (null: none), body, status, exact answer. */
    static Stream<Arguments> badInput() {
        String good = metric("server-1");
        String tooLarge = "{\"serverId\":\"" + "x".repeat(IngestHandler.MAX_BODY_BYTES) + "\"}";
        String invalidJson = "{\"error\":\"Invalid JSON\",\"details\":[{\"field\":\"\",\"message\":\"%s\"}]}";
        return Stream.of(
                Arguments.of("/metrics", null, good, 415, "{\"error\":\"Unsupported Media Type\"}"),
                Arguments.of("/metrics", "text/plain", good, 415, "{\"error\":\"Unsupported Media Type\"}"),
                Arguments.of("/metrics", "application/jsonx", good, 415, "{\"error\":\"Unsupported Media Type\"}"),
                Arguments.of("/metrics/batch", "text/plain", "[" + good + "]", 415,
                        "{\"error\":\"Unsupported Media Type\"}"),
                Arguments.of("/metrics", JSON, tooLarge, 413, "{\"error\":\"Payload too large\"}"),
                Arguments.of("/metrics/batch", JSON, "[" + tooLarge + "]", 413, "{\"error\":\"Payload too large\"}"),
                Arguments.of("/metrics", JSON, "not json", 400, invalidJson.formatted("Expected 'u' at 1:2")),
                Arguments.of("/metrics", JSON, "", 400, invalidJson.formatted("Unexpected end of input at 1:1")),
                Arguments.of("/metrics", JSON, "[" + good + "]", 400,
                        invalidJson.formatted("expected a JSON object, got an array")),
                Arguments.of("/metrics", JSON, "42", 400, invalidJson.formatted("expected a JSON object, got a number")),
                Arguments.of("/metrics", JSON, "null", 400, invalidJson.formatted("expected a JSON object, got null")),
                Arguments.of("/metrics", JSON, "{\"serverId\":\"a\",\"serverId\":\"b\"}", 400,
                        invalidJson.formatted("duplicate key \\\"serverId\\\"")),
                Arguments.of("/metrics", JSON, good + "x", 400,
                        invalidJson.formatted("Unexpected character at 1:" + (good.length() + 1))),
                Arguments.of("/metrics", JSON, "{\"serverId\":\"\",\"timestamp\":" + NOW
                                + ",\"metrics\":{\"cpu\":101,\"memory\":50,\"disk\":50}}", 400,
                        "{\"error\":\"Invalid payload\",\"details\":["
                                + "{\"field\":\"serverId\",\"message\":\"must be a non-empty string\"},"
                                + "{\"field\":\"metrics.cpu\",\"message\":\"must be a number from 0 to 100\"}]}"),
                Arguments.of("/metrics", JSON, good.replace("{\"serverId\"", "{\"extra\":1,\"serverId\""), 400,
                        "{\"error\":\"Invalid payload\",\"details\":[{\"field\":\"extra\",\"message\":\"is not allowed\"}]}"),
                Arguments.of("/metrics", JSON, "{}", 400, "{\"error\":\"Invalid payload\",\"details\":["
                        + "{\"field\":\"serverId\",\"message\":\"is required\"},"
                        + "{\"field\":\"timestamp\",\"message\":\"is required\"},"
                        + "{\"field\":\"metrics\",\"message\":\"is required\"}]}"),
                Arguments.of("/metrics/batch", JSON, good, 400,
                        invalidJson.formatted("expected a JSON array of metrics, got an object")),
                Arguments.of("/metrics/batch", JSON, "[" + good + ",", 400,
                        invalidJson.formatted("Unexpected end of input at 1:" + (good.length() + 3))),
                Arguments.of("/metrics/batch", JSON, "[" + good + ",7," + good.replace("42.5", "-1") + "]", 400,
                        "{\"error\":\"Invalid payload\",\"details\":["
                                + "{\"field\":\"items[1]\",\"message\":\"must be an object\"},"
                                + "{\"field\":\"items[2].metrics.cpu\",\"message\":\"must be a number from 0 to 100\"}]}"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputGetsTheContractsAnswerAndNothingIsWritten(String path, String contentType, String body,
                                                         int status, String answer) throws Exception {
        post("/metrics", JSON, metric("before")); // the stream exists, so XLEN really compares
        long before = streamLength();
        HttpResponse<String> response = post(path, contentType, body);
        assertEquals(status, response.statusCode());
        assertEquals(Json.parse(answer), Json.parse(response.body()));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(before, streamLength());
    }

    @Test
    void aBodyThatIsNotUtf8IsInvalidJson() throws Exception {
        byte[] body = metric("server-\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> response = send(request(ingest, "/metrics").header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(400, response.statusCode());
        assertEquals(Json.parse("{\"error\":\"Invalid JSON\",\"details\":[{\"field\":\"\",\"message\":\"body is not valid UTF-8\"}]}"),
                Json.parse(response.body()));
        assertEquals(0, streamLength());
    }

    @ParameterizedTest
    @MethodSource("otherMethods")
    void otherMethodsOnTheIngestPathsAre405WithAllow(String method, String path) throws Exception {
        HttpResponse<String> response = send(request(ingest, path)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, response.statusCode());
        assertEquals(Json.parse("{\"error\":\"Method Not Allowed\"}"), Json.parse(response.body()));
        assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
        assertEquals(0, streamLength());
    }

    static Stream<Arguments> otherMethods() {
        return Stream.of(Arguments.of("GET", "/metrics"), Arguments.of("PUT", "/metrics"),
                Arguments.of("DELETE", "/metrics"), Arguments.of("PATCH", "/metrics"),
                Arguments.of("GET", "/metrics/batch"), Arguments.of("PUT", "/metrics/batch"));
    }

    @Test
    void unknownPathsAre404() throws Exception {
        for (String path : List.of("/", "/metric", "/metrics/", "/metrics/batch/x", "/health")) {
            HttpResponse<String> response = post(path, JSON, metric("server-1"));
            assertEquals(404, response.statusCode(), path);
            assertEquals(Json.parse("{\"error\":\"Not Found\"}"), Json.parse(response.body()));
        }
        assertEquals(404, get("/nothing/here").statusCode());
        assertEquals(0, streamLength());
    }

    @Test
    void aBatchIsWrittenWholeAndAnsweredWithItsCount() throws Exception {
        String batch = "[" + metric("a") + "," + metric("b") + "," + metric("c") + "]";
        HttpResponse<String> response = post("/metrics/batch", JSON, batch);
        assertEquals(202, response.statusCode());
        assertEquals(Json.parse("{\"status\":\"accepted\",\"count\":3}"), Json.parse(response.body()));
        try (Jedis jedis = redis.jedis()) {
            List<StreamEntry> entries = jedis.xrange(streamKey, (StreamEntryID) null, (StreamEntryID) null);
            assertEquals(List.of("a", "b", "c"), entries.stream().map(e -> e.getFields().get("serverId")).toList());
        }
        assertEquals(Json.parse("{\"status\":\"accepted\",\"count\":0}"),
                Json.parse(post("/metrics/batch", JSON, "[]").body()));
    }

    @Test
    void healthzSaysRedisIsReadyAndGetRoutesAllowAnyOrigin() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertEquals(200, health.statusCode());
        assertEquals(Json.parse("{\"status\":\"ok\",\"redis\":\"ready\"}"), Json.parse(health.body()));
        for (String path : List.of("/healthz", "/stats", "/metrics/prometheus")) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(""), path);
        }
        assertTrue(get("/metrics/prometheus").body().contains("system1_redis_round_trips_total "));
    }

    @Test
    void statsCountRequestsByTheProtocolThatCarriedThem() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(202, post("/metrics", JSON, metric("server-" + i)).statusCode());
        }
        // Counted before this GET is answered: three POSTs and this one over HTTP/1.1.
        JsonObject byProtocol = json(get("/stats")).get("requestsByProtocol").asObject();
        assertEquals(Json.parse("{\"http/1.1\":4,\"h2\":0,\"h2c-upgrade\":0}"), byProtocol);
        String prometheus = get("/metrics/prometheus").body();
        assertTrue(prometheus.contains("system1_requests_total{protocol=\"http/1.1\"} 5\n"), prometheus);
        assertTrue(prometheus.contains("system1_requests_total{protocol=\"h2\"} 0\n"), prometheus);
    }

    @Test
    void concurrentRequestsAllLandWithDistinctIdsInFewerRoundTrips() throws Exception {
        long roundTripsBefore = roundTrips();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        try (Jedis admin = redis.jedis()) {
            // Hold writes for a moment so the requests surely meet in the batcher's queue.
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "500", "WRITE");
            for (int i = 0; i < 100; i++) {
                HttpRequest request = request(ingest, "/metrics").header("Content-Type", JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(metric("server-" + i))).build();
                responses.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> future : responses) {
            HttpResponse<String> response = future.join();
            assertEquals(202, response.statusCode(), response.body());
            ids.add(json(response).getString("id", ""));
        }
        assertEquals(100, ids.size());
        try (Jedis jedis = redis.jedis()) {
            Set<String> inStream = new HashSet<>();
            jedis.xrange(streamKey, (StreamEntryID) null, (StreamEntryID) null)
                    .forEach(entry -> inStream.add(entry.getID().toString()));
            assertEquals(ids, inStream);
        }
        long roundTrips = roundTrips() - roundTripsBefore;
        assertTrue(roundTrips < 100, "100 requests took " + roundTrips + " round trips");
    }

    /** The batcher's counter, read the way an operator would: GET /stats. */
    private long roundTrips() throws Exception {
        return json(get("/stats")).get("batcher").asObject().get("roundTrips").asLong();
    }

    @Test
    void redisStoppingMeans503WithRetryAfterAndAnUnhealthyHealthz() throws Exception {
        RedisProcess own = RedisProcess.startPrivate();
        closer.add(own);
        System1Ingest target = start(own.host(), own.port());
        assertEquals(202, post(target, "/metrics", JSON, metric("server-1")).statusCode());

        own.close();

        for (String path : List.of("/metrics", "/metrics/batch", "/metrics")) {
            String body = path.endsWith("batch") ? "[" + metric("a") + "," + metric("b") + "]" : metric("server-1");
            HttpResponse<String> response = post(target, path, JSON, body);
            assertEquals(503, response.statusCode(), response.body());
            JsonObject answer = json(response);
            assertEquals(List.of("error", "reason"), answer.names());
            assertEquals("Service Unavailable", answer.getString("error", ""));
            assertTrue(answer.getString("reason", "").contains("Redis"), answer.toString());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        }
        HttpResponse<String> health = send(request(target, "/healthz").GET().build());
        assertEquals(503, health.statusCode());
        JsonObject answer = json(health);
        assertEquals("unavailable", answer.getString("status", ""));
        assertTrue(answer.getString("redis", "").startsWith("cannot reach Redis at"), answer.toString());
    }

    @Test
    void startsWithoutRedisAndSaysWhy() throws Exception {
        int closedPort = FreePorts.any();
        System1Ingest target = start("127.0.0.1", closedPort);
        HttpResponse<String> response = post(target, "/metrics", JSON, metric("server-1"));
        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        HttpResponse<String> health = send(request(target, "/healthz").GET().build());
        assertEquals(503, health.statusCode());
        assertEquals(Json.parse("{\"status\":\"unavailable\",\"redis\":\"cannot reach Redis at 127.0.0.1:"
                + closedPort + ": Connection refused\"}"), Json.parse(health.body()));
    }
}
