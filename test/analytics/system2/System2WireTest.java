package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.log.Log;
import analytics.testing.JdkWebSocketClient;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** System 2 driven over real sockets by the JDK's WebSocket client, message by message. */
class System2WireTest {

    /** Metrics of one server sent at once in the tick-conflation test. */
    private static final int TICK_BURST = 50;

    private System2 system;
    private String url;
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private final long now = System.currentTimeMillis();

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        system = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
        url = "ws://127.0.0.1:" + system.port();
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkWebSocketClient::close);
        system.close();
    }

    private JdkWebSocketClient connect() {
        JdkWebSocketClient client = JdkWebSocketClient.connect(url);
        clients.add(client);
        assertEquals("connection.ack", client.next().getString("type", ""));
        return client;
    }

    private JdkWebSocketClient dashboard(String registration) {
        JdkWebSocketClient client = connect();
        client.send(registration);
        assertEquals("register.ack", client.next().getString("type", ""));
        return client;
    }

    private String metric(String serverId, long timestamp, double cpu) {
        return "{\"type\":\"metric\",\"serverId\":\"" + serverId + "\",\"timestamp\":" + timestamp
                + ",\"metrics\":{\"cpu\":" + cpu + ",\"memory\":50,\"disk\":70,\"network\":{\"in\":10,\"out\":4}}}";
    }

    @Test
    void greetsEveryConnection() {
        JdkWebSocketClient client = JdkWebSocketClient.connect(url);
        clients.add(client);
        JsonObject ack = client.next();
        assertEquals("connection.ack", ack.getString("type", ""));
        assertTrue(ack.get("message").isString());
    }

    @Test
    void aMetricIsAckedAndPushedToDashboardsAsWindows() {
        JdkWebSocketClient dashboard = dashboard("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null}");
        JdkWebSocketClient producer = connect();
        producer.send(metric("server-1", now - 2000, 40));
        producer.send(metric("server-1", now, 60));

        assertEquals(Json.parse("{\"type\":\"metric.ack\",\"serverId\":\"server-1\"}"), producer.next());
        assertEquals(Json.parse("{\"type\":\"metric.ack\",\"serverId\":\"server-1\"}"), producer.next());
        dashboard.next("metric.update");
        JsonObject payload = dashboard.next("metric.update").get("payload").asObject();
        assertEquals("server-1", payload.getString("serverId", ""));
        assertEquals(now, payload.get("timestamp").asLong());
        JsonObject windows = payload.get("windows").asObject();
        assertEquals(List.of("1000", "5000", "10000"), windows.names());
        // The 1 s window holds only the newest sample; the 5 s and 10 s windows hold both.
        assertEquals(1, windows.get("1000").asObject().get("samples").asInt());
        assertEquals(60, windows.get("1000").asObject().get("averages").asObject().get("cpu").asDouble(), 1e-9);
        JsonObject five = windows.get("5000").asObject();
        assertEquals(2, five.get("samples").asInt());
        JsonObject averages = five.get("averages").asObject();
        assertEquals(50, averages.get("cpu").asDouble(), 1e-9);
        assertEquals(50, averages.get("memory").asDouble(), 1e-9);
        assertEquals(70, averages.get("disk").asDouble(), 1e-9);
        assertEquals(10, averages.get("networkIn").asDouble(), 1e-9);
        assertEquals(4, averages.get("networkOut").asDouble(), 1e-9);
    }

    @Test
    void echoesTheIdOfAMetricWhenItHasOne() {
        JdkWebSocketClient producer = connect();
        producer.send(metric("s", now, 1).replace("{\"type\"", "{\"id\":\"m-17\",\"type\""));
        assertEquals(Json.parse("{\"type\":\"metric.ack\",\"serverId\":\"s\",\"id\":\"m-17\"}"), producer.next());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "null", "42", "[]", "{\"type\":\"metric\",", "\"text\""})
    void invalidJsonGetsAnErrorAndTheConnectionStaysOpen(String text) {
        JdkWebSocketClient producer = connect();
        producer.send(text);
        assertEquals(Json.parse("{\"type\":\"error\",\"message\":\"Invalid JSON payload\"}"), producer.next());
        producer.send(metric("s", now, 1));
        assertEquals("metric.ack", producer.next().getString("type", ""));
    }

    @Test
    void binaryFramesAreRefusedPolitely() {
        JdkWebSocketClient producer = connect();
        producer.sendBinary(new byte[] {1, 2, 3});
        assertEquals(Json.parse("{\"type\":\"error\",\"message\":\"Binary messages are not supported\"}"),
                producer.next());
    }

    @Test
    void anInvalidMetricNamesItsFieldsAndIsNotAggregated() {
        JdkWebSocketClient producer = connect();
        producer.send("{\"type\":\"metric\",\"serverId\":\"bad\",\"timestamp\":1,"
                + "\"metrics\":{\"cpu\":150,\"memory\":\"x\",\"disk\":1}}");
        JsonObject error = producer.next();
        assertEquals("Invalid metric payload", error.getString("message", ""));
        assertEquals(Json.parse("[{\"field\":\"metrics.cpu\",\"message\":\"must be a number from 0 to 100\"},"
                + "{\"field\":\"metrics.memory\",\"message\":\"must be a number from 0 to 100\"}]"), error.get("details"));
        producer.send("{\"type\":\"snapshot.request\",\"serverId\":\"bad\"}");
        assertEquals(Json.parse("{\"type\":\"snapshot\",\"payload\":null}"), producer.next());
    }

    @Test
    void anUnknownTypeIsAnError() {
        JdkWebSocketClient producer = connect();
        producer.send("{\"type\":\"subscribe\"}");
        assertEquals(Json.parse("{\"type\":\"error\",\"message\":\"Unknown message type\"}"), producer.next());
        producer.send("{\"no\":\"type\"}");
        assertEquals(Json.parse("{\"type\":\"error\",\"message\":\"Unknown message type\"}"), producer.next());
    }

    @Test
    void registrationAnswersWithRoleAndFilter() {
        JdkWebSocketClient client = connect();
        client.send("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":\"server-3\"}");
        assertEquals(Json.parse("{\"type\":\"register.ack\",\"role\":\"dashboard\",\"serverFilter\":\"server-3\"}"),
                client.next());
        client.send("{\"type\":\"register\",\"role\":\"sensor\",\"serverId\":\"server-4\"}");
        assertEquals(Json.parse("{\"type\":\"register.ack\",\"role\":\"producer\",\"serverFilter\":\"server-4\"}"),
                client.next());
    }

    @Test
    void aFilteredDashboardSeesOnlyItsServer() throws InterruptedException {
        JdkWebSocketClient onlyThree = dashboard("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":\"server-3\"}");
        JdkWebSocketClient producer = connect();
        producer.send(metric("server-1", now, 10));
        producer.send(metric("server-3", now, 30));
        producer.next("metric.ack");
        producer.next("metric.ack");
        JsonObject update = onlyThree.next();
        assertEquals("server-3", update.get("payload").asObject().getString("serverId", ""));
        assertNull(onlyThree.poll(200));
        assertNull(producer.poll(100), "a producer receives no updates");
    }

    @Test
    void snapshotsOneServerOrAll() {
        JdkWebSocketClient producer = connect();
        producer.send(metric("a", now, 10));
        producer.send(metric("b", now, 20));
        producer.next("metric.ack");
        producer.next("metric.ack");
        producer.send("{\"type\":\"snapshot.request\",\"serverId\":\"b\"}");
        JsonObject one = producer.next().get("payload").asObject();
        assertEquals("b", one.getString("serverId", ""));
        producer.send("{\"type\":\"snapshot.request\"}");
        JsonArray all = producer.next().get("payload").asArray();
        assertEquals(2, all.size());
    }

    @Test
    void aBatchIsAllOrNothing() {
        JdkWebSocketClient producer = connect();
        String good = metric("batch", now, 10).replace("\"type\":\"metric\",", "");
        String bad = good.replace("\"cpu\":10.0", "\"cpu\":-1");
        producer.send("{\"type\":\"metrics\",\"items\":[" + good + "," + bad + "]}");
        JsonObject error = producer.next();
        assertEquals("Invalid metric payload", error.getString("message", ""));
        assertEquals("items[1].metrics.cpu", error.get("details").asArray().get(0).asObject().getString("field", ""));
        producer.send("{\"type\":\"snapshot.request\",\"serverId\":\"batch\"}");
        assertEquals(Json.parse("{\"type\":\"snapshot\",\"payload\":null}"), producer.next());

        producer.send("{\"type\":\"metrics\",\"items\":[" + good + "," + good + "]}");
        assertEquals(Json.parse("{\"type\":\"metrics.ack\",\"count\":2}"), producer.next());
    }

    @Test
    void aBatchAckEchoesTheBatchsIdSoASenderCanMatchIt() {
        JdkWebSocketClient producer = connect();
        String item = metric("batch-id", now, 10).replace("\"type\":\"metric\",", "");
        producer.send("{\"type\":\"metrics\",\"id\":41,\"items\":[" + item + "," + item + "," + item + "]}");
        assertEquals(Json.parse("{\"type\":\"metrics.ack\",\"count\":3,\"id\":41}"), producer.next());
    }

    /**
     * Lesson 09's exercise 3, its reference answer: a tick dashboard with a 1 s interval
     * receives at most two ticks for 50 metrics of one server sent at once (one, unless a
     * tick falls inside the burst), each holding one aggregate, the last one the newest
     * metric's; with nothing new, no further tick.
     */
    @Test
    void fiftyMetricsOfOneServerBecomeAtMostTwoTicksOfOneAggregate() throws InterruptedException {
        JdkWebSocketClient ticker = connect();
        ticker.send("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null,\"mode\":\"tick\","
                + "\"intervalMs\":1000}");
        assertEquals("register.ack", ticker.next().getString("type", ""));
        JdkWebSocketClient producer = connect();
        for (int i = 1; i <= TICK_BURST; i++) {
            producer.send("{\"type\":\"metric\",\"serverId\":\"t1\",\"timestamp\":" + (now + i)
                    + ",\"metrics\":{\"cpu\":" + i + ",\"memory\":50,\"disk\":70}}");
        }
        for (int i = 0; i < TICK_BURST; i++) {
            producer.next("metric.ack");
        }

        int ticks = 0;
        long newest = 0;
        while (newest != now + TICK_BURST) {
            JsonObject tick = ticker.next();
            assertEquals("tick", tick.getString("type", ""), "no metric.update for a tick dashboard");
            ticks++;
            JsonArray payload = tick.get("payload").asArray();
            assertEquals(1, payload.size(), "one aggregate per server per tick: " + tick);
            newest = payload.get(0).asObject().get("timestamp").asLong();
        }
        assertTrue(ticks <= 2, ticks + " ticks for a burst of " + TICK_BURST);
        assertNull(ticker.poll(1_500), "nothing new, no tick");
    }

    @Test
    void aTickDashboardGetsTheLatestPerServerOncePerInterval() {
        JdkWebSocketClient ticker = dashboard(
                "{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null,\"mode\":\"tick\",\"intervalMs\":300}");
        JdkWebSocketClient producer = connect();
        for (int i = 1; i <= 5; i++) {
            producer.send(metric("t1", now - 100 + i, i * 10));
            producer.send(metric("t2", now - 100 + i, i));
        }
        for (int i = 0; i < 10; i++) {
            producer.next("metric.ack");
        }
        JsonObject tick = ticker.next();
        assertEquals("tick", tick.getString("type", ""), "no metric.update for a tick dashboard");
        List<JsonObject> payload = new ArrayList<>();
        tick.get("payload").asArray().forEach(value -> payload.add(value.asObject()));
        // Conflated: at most one aggregate per server per tick (a late metric may fall in the next).
        assertTrue(payload.size() <= 2);
        assertEquals(payload.size(), payload.stream().map(p -> p.getString("serverId", "")).distinct().count());
    }

    /** Registering again replaces the registration: no old filter, no old tick schedule. */
    @Test
    void aDashboardThatRegistersAgainKeepsOnlyItsNewRegistration() throws InterruptedException {
        JdkWebSocketClient client = dashboard(
                "{\"type\":\"register\",\"role\":\"dashboard\",\"mode\":\"tick\",\"intervalMs\":50}");
        client.send("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":\"r-1\"}");
        assertEquals("register.ack", client.next("register.ack").getString("type", ""));
        JdkWebSocketClient producer = connect();
        producer.send(metric("r-2", now, 20));
        producer.send(metric("r-1", now, 10));
        producer.next("metric.ack");
        producer.next("metric.ack");
        JsonObject update = client.next();
        assertEquals("metric.update", update.getString("type", ""), "one message per metric, no tick");
        assertEquals("r-1", update.get("payload").asObject().getString("serverId", ""));
        client.send("{\"type\":\"register\",\"role\":\"producer\"}");
        assertEquals("producer", client.next("register.ack").getString("role", ""));
        producer.send(metric("r-1", now + 1, 11));
        producer.next("metric.ack");
        assertNull(client.poll(300), "a dashboard that became a producer receives nothing");
    }

    @Test
    void aTickIntervalOutOfRangeIsRefused() {
        JdkWebSocketClient client = connect();
        client.send("{\"type\":\"register\",\"role\":\"dashboard\",\"mode\":\"tick\",\"intervalMs\":1}");
        JsonObject error = client.next();
        assertEquals("Invalid register payload", error.getString("message", ""));
        assertEquals("intervalMs", error.get("details").asArray().get(0).asObject().getString("field", ""));
    }

    @Test
    void manyProducersInParallelAreAllAcked() throws Exception {
        int producers = 16;
        int perProducer = 200;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Integer>> results = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            results.add(pool.submit(() -> {
                JdkWebSocketClient producer = connect();
                for (int i = 0; i < perProducer; i++) {
                    producer.send(metric("server-" + (id % 4), now, i % 100));
                }
                int acks = 0;
                for (int i = 0; i < perProducer; i++) {
                    acks += producer.next("metric.ack") != null ? 1 : 0;
                }
                return acks;
            }));
        }
        int total = 0;
        for (Future<Integer> result : results) {
            total += result.get();
        }
        pool.shutdown();
        assertEquals(producers * perProducer, total);
    }

    @Test
    void plainHttpOnTheSamePortAnswersHealthAndStats() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + system.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals(Json.parse("{\"status\":\"ok\"}"), Json.parse(health.body()));
        assertEquals("*", health.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        connect().send(metric("s", now, 1));
        HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + system.port() + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject figures = Json.parse(stats.body()).asObject();
        assertEquals(1, figures.get("connections").asObject().get("producers").asInt());
        // No dashboard connected: the fan-out's block is there, and nothing was delivered.
        assertEquals(Json.parse("{\"deliveredPerSecond\":0,\"deliveredTotal\":0,\"dropped\":0,"
                + "\"slowConsumersClosed\":0}"), figures.get("updates"));

        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + system.port() + "/metrics/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(prometheus.body().contains("# TYPE system2_metrics_accepted_total counter"), prometheus.body());
        assertTrue(prometheus.body().contains("\nsystem2_updates_dropped_total 0\n"), prometheus.body());
    }

    @Test
    void aPortInUseIsOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            ConfigException error = assertThrows(ConfigException.class, () -> System2.start(
                    Config.from(Map.of("SYSTEM2_WS_PORT", String.valueOf(taken.getLocalPort())))));
            assertEquals("SYSTEM2_WS_PORT " + taken.getLocalPort() + " is already in use", error.getMessage());
        }
    }
}
