package analytics.system1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.demo.NginxTemplate;
import analytics.log.Log;
import analytics.system1.broadcast.System1Broadcaster;
import analytics.system1.ingest.System1Ingest;
import analytics.system1.worker.System1Workers;
import analytics.testing.ExternalTool;
import analytics.testing.FreePorts;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * System 1 scaled out on one machine: a real nginx (scripts/nginx/nginx.conf.template) in
 * front of two ingest servers, a worker pool and the broadcaster, on a real Redis. Every
 * request goes through nginx's ports; each ingest's own /stats (on its own port) tells
 * which one served it.
 *
 * Without nginx or its stream module the tests are reported skipped with what to install
 * (make test installs both as root); never passed.
 */
@ExtendWith(RedisExtension.class)
class NginxFrontWireTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CURL_TIMEOUT_SECONDS = 20;

    private static final List<AutoCloseable> STARTED = new ArrayList<>();
    private static final List<System1Ingest> INGESTS = new ArrayList<>();
    private static NginxFront nginx;
    private static int httpPort;
    private static int http2Port;
    private static int wsPort;
    private static String unique;

    @BeforeAll
    static void startSystem1BehindNginx(RedisProcess redis) throws Exception {
        Path binary = NginxFront.requireNginxWithStream();
        Log.setThreshold(Log.Level.WARN);
        unique = "nginx-" + System.nanoTime();
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "1");
        for (int i = 0; i < 2; i++) {
            INGESTS.add(started(System1Ingest.start(config)));
        }
        started(System1Workers.start(config));
        System1Broadcaster broadcaster = started(System1Broadcaster.start(config));

        httpPort = FreePorts.any();
        http2Port = FreePorts.any();
        wsPort = FreePorts.any();
        Path prefix = Path.of("build", "test-nginx", unique);
        nginx = started(NginxFront.start(binary, prefix, Map.of(
                "NGINX_HTTP_LISTEN", "127.0.0.1:" + httpPort,
                "NGINX_HTTP2_LISTEN", "127.0.0.1:" + http2Port,
                "NGINX_WS_LISTEN", "127.0.0.1:" + wsPort,
                "NGINX_INGEST_HTTP_SERVERS",
                NginxTemplate.servers(INGESTS.get(0).port(), INGESTS.get(1).port()),
                "NGINX_INGEST_HTTP2_SERVERS",
                NginxTemplate.servers(INGESTS.get(0).http2Port(), INGESTS.get(1).http2Port()),
                "NGINX_BROADCASTER_SERVERS", NginxTemplate.servers(broadcaster.port())),
                httpPort, http2Port, wsPort));
    }

    private static <T extends AutoCloseable> T started(T resource) {
        STARTED.add(resource);
        return resource;
    }

    /** nginx first (by its PID), then the broadcaster, workers and ingests. */
    @AfterAll
    static void stopAll() throws Exception {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            STARTED.get(i).close();
        }
        STARTED.clear();
        INGESTS.clear();
    }

    private static String metric(String serverId, long timestamp) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + timestamp
                + ",\"metrics\":{\"cpu\":12.5,\"memory\":50,\"disk\":70,\"network\":{\"in\":1,\"out\":2}}}";
    }

    private static HttpResponse<String> postThroughNginx(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One ingest's /stats, asked on its own port, not through nginx. */
    private static JsonObject stats(System1Ingest ingest) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ingest.port() + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.parse(body).asObject();
    }

    private static long accepted(System1Ingest ingest) throws Exception {
        return stats(ingest).get("metrics").asObject().getLong("acceptedTotal", -1);
    }

    private static long rejected(System1Ingest ingest) throws Exception {
        return stats(ingest).get("metrics").asObject().getLong("rejectedTotal", -1);
    }

    private static long requests(System1Ingest ingest, String protocol) throws Exception {
        return stats(ingest).get("requestsByProtocol").asObject().getLong(protocol, -1);
    }

    /** curl's answer to a POST of one metric: "<http version> <status> <body>". */
    private static String curlPost(String http2Option, String serverId) throws Exception {
        Path curl = ExternalTool.require("curl", "apt-get install curl", List.of("curl"));
        Process process = new ProcessBuilder(curl.toString(), "-s", http2Option,
                "-X", "POST", "http://127.0.0.1:" + http2Port + "/metrics",
                "-H", "Content-Type: application/json",
                "--data-binary", metric(serverId, System.currentTimeMillis()),
                "-w", " %{http_version} %{http_code}")
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(CURL_TIMEOUT_SECONDS, TimeUnit.SECONDS), "curl hung: " + out);
        return out;
    }

    @Test
    void http1PostsAreBalancedAcrossBothIngestProcesses() throws Exception {
        long[] before = {accepted(INGESTS.get(0)), accepted(INGESTS.get(1))};
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = postThroughNginx(metric(unique + "-balanced", now + i));
            assertEquals(202, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith("{\"status\":\"accepted\",\"id\":\""),
                    "the ingest's own answer, unchanged: " + answer.body());
        }
        long first = accepted(INGESTS.get(0)) - before[0];
        long second = accepted(INGESTS.get(1)) - before[1];
        assertEquals(20, first + second, "each accepted once: " + first + " + " + second);
        assertTrue(first > 0 && second > 0,
                "round robin reaches both: " + first + " and " + second + "\n" + nginx.output());
    }

    @Test
    void aBodyOverTheContractsLimitGetsTheIngestsOwn413() throws Exception {
        long before = rejected(INGESTS.get(0)) + rejected(INGESTS.get(1));
        String tooLarge = "[" + "1,".repeat(150_000) + "1]"; // ~300 KiB: over 256 KiB, under 1 MiB
        HttpResponse<String> answer = postThroughNginx(tooLarge);
        assertEquals(413, answer.statusCode());
        assertEquals("{\"error\":\"Payload too large\"}", answer.body());
        assertEquals(1, rejected(INGESTS.get(0)) + rejected(INGESTS.get(1)) - before,
                "answered by an ingest, not by nginx");
    }

    @Test
    void aBodyOverNginxsOwnLimitGetsTheSameJson413FromNginx() throws Exception {
        long before = rejected(INGESTS.get(0)) + rejected(INGESTS.get(1));
        String huge = "[" + "1,".repeat(600_000) + "1]"; // ~1.2 MiB: over nginx's 1 MiB
        HttpResponse<String> answer = postThroughNginx(huge);
        assertEquals(413, answer.statusCode());
        assertEquals("{\"error\":\"Payload too large\"}", answer.body());
        assertEquals(0, rejected(INGESTS.get(0)) + rejected(INGESTS.get(1)) - before,
                "stopped at nginx: no ingest saw it");
    }

    @Test
    void h2cWithPriorKnowledgePassesThroughTheStreamPortToOurHttp2Server() throws Exception {
        long before = requests(INGESTS.get(0), "h2") + requests(INGESTS.get(1), "h2");
        long[] perIngest = {requests(INGESTS.get(0), "h2"), requests(INGESTS.get(1), "h2")};
        for (int i = 0; i < 4; i++) { // four connections: the stream module balances connections
            String answer = curlPost("--http2-prior-knowledge", unique + "-h2");
            assertTrue(answer.endsWith(" 2 202"), "HTTP/2 answered 202: " + answer);
            assertTrue(answer.startsWith("{\"status\":\"accepted\""), answer);
        }
        long after = requests(INGESTS.get(0), "h2") + requests(INGESTS.get(1), "h2");
        assertEquals(4, after - before, "counted as HTTP/2 by prior knowledge by our server");
        assertTrue(requests(INGESTS.get(0), "h2") > perIngest[0]
                        && requests(INGESTS.get(1), "h2") > perIngest[1],
                "connections spread over both ingests\n" + nginx.output());
    }

    @Test
    void theH2cUpgradePassesThroughTheStreamPortToOurHttp2Server() throws Exception {
        long before = requests(INGESTS.get(0), "h2c-upgrade") + requests(INGESTS.get(1), "h2c-upgrade");
        String answer = curlPost("--http2", unique + "-upgrade");
        assertTrue(answer.endsWith(" 2 202"), "upgraded to HTTP/2, answered 202: " + answer);
        long after = requests(INGESTS.get(0), "h2c-upgrade") + requests(INGESTS.get(1), "h2c-upgrade");
        assertEquals(1, after - before, "our server saw the Upgrade: h2c request itself");
    }

    @Test
    void aMetricPostedThroughNginxReachesADashboardConnectedThroughNginx() throws Exception {
        String serverId = unique + "-dashboard";
        try (JdkWebSocketClient dashboard = JdkWebSocketClient.connect("ws://127.0.0.1:" + wsPort)) {
            dashboard.send("{\"type\":\"subscribe\",\"serverId\":\"" + serverId + "\"}");
            assertEquals("subscription.ack", dashboard.next().getString("type", ""));

            long now = System.currentTimeMillis();
            HttpResponse<String> answer = postThroughNginx(metric(serverId, now));
            assertEquals(202, answer.statusCode(), answer.body());
            String entryId = Json.parse(answer.body()).asObject().getString("id", "");

            JsonObject processed = dashboard.next("metric.processed");
            assertEquals(entryId, processed.getString("entryId", ""));
            assertEquals(Json.parse(metric(serverId, now)), processed.get("payload"));
        }
    }

    @Test
    void theBroadcastersPlainGetsPassThroughTheWebSocketPortToo() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + wsPort + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"status\":\"ok\",\"redis\":\"ready\"}", health.body());
    }
}
