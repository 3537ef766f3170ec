package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One peer that never reads while the server pushes big frames at it, beside peers that
 * read normally: the policy "drop, then disconnect" must keep the others' round trips going,
 * drop for the slow one instead of buffering without bound, and finally close it.
 */
class SlowConsumerWireTest {

    private static final int QUEUE_BUDGET = 256 * 1024;
    private static final int BIG_FRAME = 32 * 1024;
    private static final int NORMAL_CLIENTS = 4;
    private static final int ROUND_TRIPS = 50;
    private static final long DEADLINE_MS = 15_000;

    /** "flood" makes the server push big frames at the sender until it is gone; anything else is echoed. */
    private static final class FloodHandler implements WebSocketHandler {
        private final byte[] bigFrame = FrameEncoder.unmasked(true, Opcode.BINARY, new byte[BIG_FRAME]);
        volatile WebSocketConnection flooded;

        @Override
        public void onText(WebSocketConnection connection, String text) {
            if (!text.equals("flood")) {
                connection.sendText("ack " + text);
                return;
            }
            flooded = connection;
            Thread.ofVirtual().name("flood").start(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
                while (connection.state() == WebSocketConnection.State.OPEN && System.nanoTime() < end) {
                    connection.send(bigFrame); // never blocks: queued or dropped
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    private final FloodHandler handler = new FloodHandler();
    private final List<RawWebSocketClient> clients = new ArrayList<>();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private WebSocketServer server;

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.ERROR);
        // A long heartbeat, so the slow peer is closed by the queue policy, not for a missing pong.
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withMessages(64 * 1024, Duration.ofSeconds(30), List.of())
                .withHandshakeTimeout(Duration.ofMillis(500))
                .withSlowConsumerPolicy(QUEUE_BUDGET, Duration.ofMillis(300))
                .withCloseTimeout(Duration.ofMillis(500));
        server = new WebSocketServer("slow-consumer-test", options, handler, null).start();
    }

    @AfterEach
    void stop() throws IOException {
        pool.shutdownNow();
        for (RawWebSocketClient client : clients) {
            client.close();
        }
        server.close();
    }

    private RawWebSocketClient connect() throws IOException {
        RawWebSocketClient client = RawWebSocketClient.connect(server.port());
        clients.add(client);
        return client;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(DEADLINE_MS), condition);
    }

    @Test
    void slowConsumerIsDroppedThenClosedWhileOthersKeepTheirRoundTrips() throws Exception {
        RawWebSocketClient slow = connect();
        List<RawWebSocketClient> normal = new ArrayList<>();
        for (int i = 0; i < NORMAL_CLIENTS; i++) {
            normal.add(connect());
        }
        slow.sendText("flood");
        // From here the slow client never reads. Once the kernel's socket buffers are full
        // the server's writer for it blocks, its queue fills, and frames are dropped.
        await("frames dropped for the slow peer", () -> server.droppedMessages() > 0);

        List<Future<Integer>> roundTrips = new ArrayList<>();
        for (int c = 0; c < NORMAL_CLIENTS; c++) {
            RawWebSocketClient client = normal.get(c);
            int id = c;
            roundTrips.add(pool.submit(() -> {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    client.sendText(id + ":" + i);
                    assertEquals("ack " + id + ":" + i, client.readFrame().text());
                }
                return ROUND_TRIPS;
            }));
        }
        for (Future<Integer> roundTrip : roundTrips) {
            assertEquals(ROUND_TRIPS, roundTrip.get(DEADLINE_MS, TimeUnit.MILLISECONDS),
                    "a normal peer's round trips complete while another peer is stuck");
        }

        await("the slow peer is closed by the policy", () -> server.slowConsumersClosed() == 1);
        await("the slow peer is gone", () -> !server.connections().contains(handler.flooded));
        assertTrue(handler.flooded.droppedMessages() > 0);
        assertEquals(NORMAL_CLIENTS, server.connectionCount(), "only the slow peer was closed");
        for (RawWebSocketClient client : normal) {
            client.sendText("after");
            assertEquals("ack after", client.readFrame().text());
        }
        // What the kernel had buffered still arrives, then the end of the stream.
        assertTrue(slow.awaitServerClosedTcp(), "the slow peer's TCP connection ends");
    }
}
