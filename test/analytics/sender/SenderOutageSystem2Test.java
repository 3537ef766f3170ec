package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.CapturedLog;
import analytics.testing.FreePorts;
import analytics.websocket.WebSocketConnection;
import analytics.websocket.WebSocketHandler;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket senders through outages of a real System 2: not listening yet, and a peer
 * that reads metrics but never acknowledges them before it goes away. What arrived is what
 * System 2's own /stats counted.
 */
class SenderOutageSystem2Test {

    @AutoClose
    private final CapturedLog log = CapturedLog.at(Log.Level.INFO);
    private final SenderStats stats = new SenderStats();

    private static System2 system2On(int port) throws Exception {
        return System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", String.valueOf(port))));
    }

    private static long acceptedBy(System2 system) throws Exception {
        String body = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.port() + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.parse(body).asObject().get("metrics").asObject().getLong("acceptedTotal", -1);
    }

    private List<JsonObject> senderLines(String message) {
        return log.lines("sender", message);
    }

    @Test
    void everyMetricMadeBeforeSystem2ListensArrivesOnceItDoes() throws Exception {
        int port = FreePorts.any();
        List<Metric> metrics = SenderOutageSystem1Test.metrics(500, System.currentTimeMillis());
        try (WebSocketTransport transport =
                     new WebSocketTransport(URI.create("ws://127.0.0.1:" + port), 50, 10_000, stats)) {
            metrics.forEach(transport::send);
            assertEquals(500, transport.buffered());
            Await.until("the outage logged", Duration.ofSeconds(5),
                    () -> !senderLines("target unreachable; buffering").isEmpty());
            try (System2 system = system2On(port)) {
                Await.until("500 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 500);
                assertEquals(500, acceptedBy(system), "each metric once");
                assertEquals(1, senderLines("target unreachable; buffering").size());
                Await.until("the recovery logged", Duration.ofSeconds(2),
                        () -> !senderLines("target recovered; buffered metrics re-sent").isEmpty());
                assertEquals(500, senderLines("target recovered; buffered metrics re-sent").getFirst()
                        .getInt("resent", -1));
            }
            assertEquals(0, stats.droppedTotal());
            assertEquals(0, stats.rejectedTotal());
        }
    }

    /**
     * A peer that takes the metrics and dies before acknowledging any: all of them were
     * written, none acknowledged, so all go again - in their order - to the System 2 that
     * takes its port, which acknowledges each once.
     */
    @Test
    void metricsNotAcknowledgedBeforeADisconnectAreSentAgainAfterTheReconnect() throws Exception {
        ConcurrentLinkedQueue<Long> readBySilentPeer = new ConcurrentLinkedQueue<>();
        WebSocketHandler silent = new WebSocketHandler() {
            @Override
            public void onText(WebSocketConnection connection, String text) {
                JsonObject message = Json.parse(text).asObject();
                switch (message.getString("type", "")) {
                    case "metric" -> readBySilentPeer.add(message.getLong("timestamp", -1));
                    case "metrics" -> message.get("items").asArray().forEach(item ->
                            readBySilentPeer.add(item.asObject().getLong("timestamp", -1)));
                    default -> { }
                }
            }
        };
        WebSocketServer peer = new WebSocketServer("silent", WebSocketServer.Options.DEFAULTS, silent, null).start();
        int port = peer.port();
        List<Metric> metrics = SenderOutageSystem1Test.metrics(300, System.currentTimeMillis());
        try (WebSocketTransport transport =
                     new WebSocketTransport(URI.create("ws://127.0.0.1:" + port), 50, 10_000, stats)) {
            metrics.forEach(transport::send);
            Await.until("the silent peer read all 300", Duration.ofSeconds(5), () -> readBySilentPeer.size() == 300);
            assertEquals(metrics.stream().map(Metric::timestamp).toList(), List.copyOf(readBySilentPeer),
                    "written in the order they were made");
            assertEquals(0, stats.ackedTotal());
            peer.close();
            Await.until("every unacknowledged metric back in the buffer", Duration.ofSeconds(5),
                    () -> stats.retriedTotal() == 300 && transport.buffered() == 300);
            try (System2 system = system2On(port)) {
                Await.until("300 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 300);
                assertEquals(300, acceptedBy(system));
                assertEquals(1, senderLines("connection lost; reconnecting, unacknowledged metrics buffered")
                        .size());
                Await.until("the recovery logged", Duration.ofSeconds(2),
                        () -> !senderLines("target recovered; buffered metrics re-sent").isEmpty());
                assertEquals(300, senderLines("target recovered; buffered metrics re-sent").getFirst()
                        .getInt("resent", -1));
            }
            assertEquals(0, stats.droppedTotal());
        } finally {
            peer.close();
        }
    }

    /**
     * A backlog goes as batches; a target that refuses a batch (an older System 2, which
     * knows no "metrics" message) gets each metric on its own from then on, the refused
     * batch included - nothing counted as rejected, nothing lost.
     */
    @Test
    void aTargetWithoutBatchesGetsTheBacklogOneMetricAtATime() throws Exception {
        int port = FreePorts.any();
        ConcurrentLinkedQueue<String> types = new ConcurrentLinkedQueue<>();
        WebSocketHandler singlesOnly = new WebSocketHandler() {
            @Override
            public void onText(WebSocketConnection connection, String text) {
                JsonObject message = Json.parse(text).asObject();
                String type = message.getString("type", "");
                types.add(type);
                switch (type) {
                    case "metric" -> connection.sendText(new JsonObject().add("type", "metric.ack")
                            .add("serverId", message.getString("serverId", ""))
                            .add("id", message.get("id")).toString());
                    case "metrics" -> connection.sendText(
                            "{\"type\":\"error\",\"message\":\"Unknown message type\"}");
                    default -> { }
                }
            }
        };
        List<Metric> metrics = SenderOutageSystem1Test.metrics(200, System.currentTimeMillis());
        try (WebSocketTransport transport =
                     new WebSocketTransport(URI.create("ws://127.0.0.1:" + port), 50, 10_000, stats)) {
            metrics.forEach(transport::send); // while nothing listens: all 200 wait
            assertEquals(200, transport.buffered());
            WebSocketServer peer = new WebSocketServer("singles-only",
                    WebSocketServer.Options.DEFAULTS.withPort(port), singlesOnly, null).start();
            try {
                Await.until("200 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 200);
            } finally {
                peer.close();
            }
            assertEquals("metrics",
                    types.stream().filter(t -> t.startsWith("metric")).findFirst().orElseThrow(),
                    "the backlog was first offered as a batch");
            // The writer may send a second batch before the first one's refusal arrives.
            assertTrue(types.stream().filter("metrics"::equals).count() <= 2,
                    "then no more batches: " + types);
            assertEquals(200, types.stream().filter("metric"::equals).count(), "then one message per metric");
            assertEquals(1, senderLines("target refused a batch; sending one metric per message").size());
            assertEquals(0, stats.rejectedTotal());
            assertEquals(0, stats.droppedTotal());
        }
    }
}
