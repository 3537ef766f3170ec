package analytics.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import analytics.model.FieldError;
import analytics.stats.RateCounter;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import analytics.websocket.WebSocketConnection;
import analytics.websocket.WebSocketHandler;
import analytics.websocket.WebSocketServer;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tick groups behind a real WebSocket server, with real clients as dashboards: each client
 * sends a subscription (System 1's words) and the test's handler places it, as the systems
 * do. The scheduler is the test's own, so a timer left behind shows in its queue.
 */
class TickGroupsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final RateCounter delivered = new RateCounter();
    private final TickGroups<String> ticks = new TickGroups<>(scheduler, Json::value, delivered);
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private WebSocketServer server;

    /** A real scheduler that also keeps each task it was given, for a test to run on demand. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable task,
                                                              RunnableScheduledFuture<V> scheduled) {
            tasks.add(task);
            return scheduled;
        }
    }

    /** "subscribe" as the systems read it; anything wrong is answered with the errors. */
    private final class SubscribingHandler implements WebSocketHandler {
        @Override
        public void onText(WebSocketConnection connection, String text) {
            List<FieldError> errors = new ArrayList<>();
            Subscription subscription = Subscription.read(Json.parse(text).asObject(), errors);
            if (subscription == null) {
                connection.sendText(FieldError.toJson(errors).toString());
                return;
            }
            ticks.place(connection, subscription);
            connection.sendText("placed");
        }

        @Override
        public void onClose(WebSocketConnection connection, int code, String reason) {
            ticks.leave(connection);
        }
    }

    @BeforeEach
    void start() throws Exception {
        scheduler.setRemoveOnCancelPolicy(true);
        server = new WebSocketServer("tick-groups-test", WebSocketServer.Options.DEFAULTS,
                new SubscribingHandler(), null).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkWebSocketClient::close);
        server.close();
        scheduler.shutdownNow();
    }

    private JdkWebSocketClient dashboard(String subscription) {
        JdkWebSocketClient client = JdkWebSocketClient.connect("ws://127.0.0.1:" + server.port());
        clients.add(client);
        client.send(subscription);
        assertEquals("placed", client.nextText());
        return client;
    }

    private static String ticking(String serverId, long intervalMs) {
        return new JsonObject().add("serverId", serverId == null ? Json.NULL : Json.value(serverId))
                .add("mode", "tick").add("intervalMs", intervalMs).toString();
    }

    private static Set<String> payloadOf(String tick) {
        JsonObject message = Json.parse(tick).asObject();
        assertEquals("tick", message.getString("type", ""));
        Set<String> values = new TreeSet<>();
        message.get("payload").asArray().forEach(value -> values.add(value.asString()));
        return values;
    }

    @Test
    void aGroupsTimerStartsWithItsFirstMemberAndLeavesTheSchedulerWithItsLast() throws InterruptedException {
        assertEquals(0, scheduler.getQueue().size());
        JdkWebSocketClient first = dashboard(ticking(null, 100));
        assertEquals(1, scheduler.getQueue().size(), "the first member starts the timer");
        JdkWebSocketClient second = dashboard(ticking(null, 100));
        assertEquals(1, scheduler.getQueue().size(), "the second shares it");
        assertEquals(1, ticks.groupCount());

        first.close();
        Await.until("the first member left", DEADLINE, () -> ticks.memberCount() == 1);
        assertEquals(1, scheduler.getQueue().size(), "a member is left: the group ticks on");
        second.send("{\"serverId\":null}"); // back to one message per metric
        assertEquals("placed", second.nextText());
        assertEquals(0, scheduler.getQueue().size(), "no timer left behind");
        assertEquals(0, ticks.groupCount());
    }

    @Test
    void aMemberMovingToAnotherIntervalStopsTheGroupItLeft() {
        JdkWebSocketClient client = dashboard(ticking(null, 100));
        client.send(ticking(null, 200));
        assertEquals("placed", client.nextText());
        assertEquals(1, ticks.groupCount());
        assertEquals(1, scheduler.getQueue().size());
        client.send(ticking(null, 200)); // the same again: same group, same timer
        assertEquals("placed", client.nextText());
        assertEquals(1, scheduler.getQueue().size());
    }

    @Test
    void membersShareOneTickOfTheLatestPerServerAndAFilteredGroupSeesOnlyItsServer()
            throws InterruptedException {
        JdkWebSocketClient first = dashboard(ticking(null, 60_000));
        JdkWebSocketClient second = dashboard(ticking(null, 60_000));
        JdkWebSocketClient filtered = dashboard(ticking("s-2", 60_000));
        ticks.hold("s-1", "s-1 old");
        ticks.hold("s-2", "s-2 only");
        ticks.hold("s-1", "s-1 new");
        ticks.hold("s-3", "s-3 only");
        // A 60 s interval: nothing ticks by itself during the test; run the groups' ticks now.
        List<Runnable> due = scheduler.tasks;
        assertEquals(2, due.size(), "two groups: the fleet's and s-2's");
        due.forEach(Runnable::run);

        String tick = first.nextText();
        assertEquals(Set.of("s-1 new", "s-2 only", "s-3 only"), payloadOf(tick));
        assertEquals(tick, second.nextText(), "one encoding, the same bytes to each member");
        assertEquals(Set.of("s-2 only"), payloadOf(filtered.nextText()));
        assertEquals(3, delivered.total(), "one tick queued on each of three dashboards");

        due.forEach(Runnable::run); // nothing held since
        assertNull(first.poll(200), "no change, no tick");
        assertEquals(3, delivered.total());
    }

    @Test
    void aBadSubscriptionPlacesNothing() {
        JdkWebSocketClient client = JdkWebSocketClient.connect("ws://127.0.0.1:" + server.port());
        clients.add(client);
        client.send("{\"mode\":\"tick\",\"intervalMs\":10}");
        JsonArray errors = Json.parse(client.nextText()).asArray();
        assertEquals("intervalMs", errors.get(0).asObject().getString("field", ""));
        assertEquals(0, ticks.groupCount());
        assertEquals(0, scheduler.getQueue().size());
    }
}
