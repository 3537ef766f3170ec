package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.log.Untrusted;
import analytics.testing.CapturedLog;
import analytics.testing.JdkWebSocketClient;
import com.eclipsesource.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * INGEST_TOKEN on System 2, over real sockets with the JDK's WebSocket client: a producer
 * registers with the token or is closed with 1008; a metric from a connection that did not
 * is closed with 1008 and aggregates nothing; dashboards and snapshots need no token; the
 * refusal's log line carries the claimed serverId escaped and cut.
 */
class System2TokenWireTest {

    private static final String TOKEN = "test-token-0123456789abcdef";

    @AutoClose
    private final CapturedLog log = CapturedLog.at(Log.Level.INFO);
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private final long now = System.currentTimeMillis();
    private System2 system;

    @BeforeEach
    void start() throws Exception {
        system = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0", "INGEST_TOKEN", TOKEN)));
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkWebSocketClient::close);
        system.close();
    }

    private JdkWebSocketClient connect() {
        JdkWebSocketClient client = JdkWebSocketClient.connect("ws://127.0.0.1:" + system.port());
        clients.add(client);
        assertEquals("connection.ack", client.next().getString("type", ""));
        return client;
    }

    private String metric(String serverId) {
        return "{\"type\":\"metric\",\"serverId\":\"" + serverId + "\",\"timestamp\":" + now
                + ",\"metrics\":{\"cpu\":40,\"memory\":50,\"disk\":70}}";
    }

    private JsonObject snapshotOf(JdkWebSocketClient client, String serverId) {
        client.send("{\"type\":\"snapshot.request\",\"serverId\":\"" + serverId + "\"}");
        return client.next("snapshot");
    }

    @Test
    void aMetricBeforeRegisteringWithTheTokenCloses1008AndAggregatesNothing() {
        JdkWebSocketClient producer = connect();
        producer.send(metric("unregistered"));
        assertEquals(new JdkWebSocketClient.Close(1008, System2Handler.NOT_REGISTERED), producer.awaitClose());
        assertTrue(snapshotOf(connect(), "unregistered").get("payload").isNull());
    }

    @Test
    void aProducerRegisterWithoutTheRightTokenCloses1008() {
        for (String register : List.of(
                "{\"type\":\"register\",\"role\":\"producer\"}",
                "{\"type\":\"register\"}",
                "{\"type\":\"register\",\"role\":\"producer\",\"token\":\"" + TOKEN + "x\"}",
                "{\"type\":\"register\",\"role\":\"producer\",\"token\":42}")) {
            JdkWebSocketClient producer = connect();
            producer.send(register);
            assertEquals(new JdkWebSocketClient.Close(1008, System2Handler.WRONG_TOKEN), producer.awaitClose(),
                    register);
        }
    }

    @Test
    void aProducerWithTheTokenIsHeardAndDashboardsNeedNone() {
        JdkWebSocketClient dashboard = connect();
        dashboard.send("{\"type\":\"register\",\"role\":\"dashboard\"}");
        assertEquals("register.ack", dashboard.next().getString("type", ""));
        JdkWebSocketClient producer = connect();
        producer.send("{\"type\":\"register\",\"role\":\"producer\",\"token\":\"" + TOKEN + "\"}");
        assertEquals("register.ack", producer.next().getString("type", ""));
        producer.send(metric("with-token"));
        assertEquals("metric.ack", producer.next().getString("type", ""));
        assertEquals("with-token", dashboard.next("metric.update").get("payload").asObject()
                .getString("serverId", ""));
        JsonObject snapshot = snapshotOf(connect(), "with-token");
        assertEquals("with-token", snapshot.get("payload").asObject().getString("serverId", ""));
    }

    /** A forged line and 10 KB of junk in the serverId become one short escaped field. */
    @Test
    void theRefusalLogLineCarriesTheClaimedServerIdEscapedAndCut() {
        String evil = "evil\\n{\\\"level\\\":\\\"error\\\"}" + "J".repeat(10_240);
        JdkWebSocketClient producer = connect();
        producer.send("{\"type\":\"register\",\"role\":\"producer\",\"serverId\":\"" + evil
                + "\",\"token\":\"nope\"}");
        assertEquals(1008, producer.awaitClose().code());
        List<JsonObject> refusals = log.lines().stream()
                .filter(line -> line.getString("message", "").startsWith("producer refused")).toList();
        assertEquals(1, refusals.size(), log.lines().toString());
        String logged = refusals.get(0).getString("serverId", "");
        String escaped = "evil\\n{\\\"level\\\":\\\"error\\\"}"; // 27 characters
        assertEquals(escaped + "J".repeat(Untrusted.MAX_CHARS - escaped.length()) + "…", logged);
        assertTrue(log.lines().stream().noneMatch(line -> line.toString().contains("J".repeat(100))),
                "no line carries the junk");
    }
}
