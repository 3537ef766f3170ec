package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The senders in ws mode against a real System 2 in the same JVM: delivery and reconnect. */
class SenderSystem2Test {

    private static final int SERVERS = 50;

    private static Config system2On(int port) {
        return Config.from(Map.of("SYSTEM2_WS_PORT", String.valueOf(port)));
    }

    private static SenderOptions wsOptions(int port) {
        Config.FakeServers fake = Config.from(Map.of(
                "FAKE_SERVER_INTERVAL_MS", "100", "FAKE_JITTER_MS", "20")).fakeServers();
        return SenderOptions.parse(new String[] {
                "--mode", "ws", "--target", "ws://127.0.0.1:" + port, "--count", String.valueOf(SERVERS)}, fake);
    }

    @Test
    void everySimulatedServerEndsUpInSystem2sSnapshot() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (System2 system = System2.start(system2On(0));
             Senders sender = Senders.start(wsOptions(system.port()))) {
            // 50 servers at 10 a second: 1,000 acks is about two seconds of sending.
            Await.until("1,000 acks", Duration.ofSeconds(8), () -> sender.stats().ackedTotal() >= 1_000);
            assertEquals(1, sender.stats().connectionsUp(), "50 servers share one WebSocket");
            assertEquals(0, sender.stats().retriedTotal());
            assertEquals(0, sender.stats().droppedTotal());
            assertEquals(0, sender.stats().rejectedTotal());

            try (JdkWebSocketClient dashboard = JdkWebSocketClient.connect("ws://127.0.0.1:" + system.port())) {
                dashboard.send("{\"type\":\"snapshot.request\"}");
                Set<String> seen = new TreeSet<>();
                for (JsonValue aggregate : dashboard.next("snapshot").get("payload").asArray()) {
                    JsonObject server = aggregate.asObject();
                    int samples = server.get("windows").asObject().get("10000").asObject().get("samples").asInt();
                    assertTrue(samples >= 5, server.getString("serverId", "") + " has " + samples + " samples");
                    seen.add(server.getString("serverId", ""));
                }
                assertEquals(expectedServerIds(), seen);
            }
        }
    }

    static Set<String> expectedServerIds() {
        Set<String> ids = new TreeSet<>();
        for (int i = 1; i <= SERVERS; i++) {
            ids.add("server-" + i);
        }
        return ids;
    }

    /**
     * System 2 restarted mid-run: while it is away the metrics wait in the buffer; once it
     * is back the sender reconnects, the backlog drains and nothing was dropped.
     */
    @Test
    void acknowledgementsResumeAfterSystem2RestartsAndTheBacklogDrains() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        System2 first = System2.start(system2On(0));
        int port = first.port();
        try (Senders sender = Senders.start(wsOptions(port))) {
            Await.until("first acks", Duration.ofSeconds(5), () -> sender.stats().ackedTotal() >= 100);
            first.close();
            Await.until("the connection is seen down", Duration.ofSeconds(5),
                    () -> sender.stats().connectionsUp() == 0);
            // 50 servers at 10 a second: 100 buffered is 0.2 s of the outage.
            Await.until("metrics buffered while down", Duration.ofSeconds(5),
                    () -> sender.stats().buffered() >= 100);

            try (System2 second = System2.start(system2On(port))) {
                assertEquals(port, second.port());
                long ackedBefore = sender.stats().ackedTotal();
                // Backoff is capped at 5 s, and this outage lasted well under that.
                Await.until("acks resume", Duration.ofSeconds(8),
                        () -> sender.stats().ackedTotal() >= ackedBefore + 200);
                Await.until("the backlog is re-sent", Duration.ofSeconds(3),
                        () -> sender.stats().buffered() < 10);
                assertEquals(1, sender.stats().connectionsUp());
                assertEquals(0, sender.stats().droppedTotal());
                assertEquals(0, sender.stats().rejectedTotal());
            }
        }
    }
}
