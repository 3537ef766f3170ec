package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Handler;
import analytics.http.Response;
import analytics.log.Log;
import analytics.testing.Await;
import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every WebSocket wire test starts from: a server on a free loopback port with short
 * timeouts, a handler that records every event, raw clients closed after the test, and
 * the assertions they share. A test class declares
 * {@code @RegisterExtension final WireFixture wire = new WireFixture();}.
 *
 * Pattern: test fixture as a JUnit 5 extension on a field: started before each test,
 *          closed after it; no base class.
 * Lesson:  lessons/06-websocket-messages-and-close.md
 * Threads: used by the test thread; the handler's queues are filled on reader threads.
 */
final class WireFixture implements BeforeEachCallback, AfterEachCallback {

    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);
    /** Upper bound for anything the server should do "soon"; only failing tests wait this long. */
    static final long DEADLINE_MS = 5_000;

    /** Echoes text, records every event with the thread it ran on. */
    static final class RecordingHandler implements WebSocketHandler {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        final AtomicInteger closeCount = new AtomicInteger();
        /** While set, onText("block") waits for it: a callback still running. */
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean inCallback = new AtomicBoolean();
        final AtomicBoolean overlapped = new AtomicBoolean();
        volatile Thread textThread;
        volatile Thread closeThread;

        @Override
        public void onText(WebSocketConnection connection, String text) {
            inCallback.set(true);
            try {
                textThread = Thread.currentThread();
                texts.add(text);
                if (text.equals("block")) {
                    release.await(DEADLINE_MS, TimeUnit.MILLISECONDS);
                } else {
                    connection.sendText(text);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inCallback.set(false);
            }
        }

        @Override
        public void onBinary(WebSocketConnection connection, byte[] data) {
            binaries.add(data);
        }

        @Override
        public void onClose(WebSocketConnection connection, int code, String reason) {
            if (inCallback.get()) {
                overlapped.set(true);
            }
            closeThread = Thread.currentThread();
            closeCount.incrementAndGet();
            closes.add(code + " " + reason);
        }
    }

    final RecordingHandler handler = new RecordingHandler();
    private final List<RawWebSocketClient> clients = new ArrayList<>();
    private WebSocketServer server;

    static WebSocketServer.Options options() {
        return WebSocketServer.Options.DEFAULTS
                .withMessages(MAX_MESSAGE_BYTES, HEARTBEAT, List.of())
                .withHandshakeTimeout(HANDSHAKE_TIMEOUT)
                .withSlowConsumerPolicy(1024 * 1024, Duration.ofSeconds(1))
                .withCloseTimeout(CLOSE_TIMEOUT);
    }

    /** The recording handler, and /healthz on the plain-HTTP path. */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Log.setThreshold(Log.Level.ERROR);
        Handler health = request -> request.path().equals("/healthz")
                ? Response.json(200, "{\"status\":\"ok\"}") : Response.error(404);
        server = new WebSocketServer("wire-test", options(), handler, health).start();
    }

    /** Replaces the server, for a test that needs other options or its own handler. */
    void restart(WebSocketServer.Options options, WebSocketHandler otherHandler, Handler plainHttp)
            throws IOException {
        server.close();
        server = new WebSocketServer("wire-test", options, otherHandler, plainHttp).start();
    }

    WebSocketServer server() {
        return server;
    }

    /** A client that has completed the handshake. */
    RawWebSocketClient connect() throws IOException {
        return track(RawWebSocketClient.connect(server.port()));
    }

    /** A client with a TCP connection and nothing sent yet. */
    RawWebSocketClient open() throws IOException {
        return track(RawWebSocketClient.open(server.port()));
    }

    private RawWebSocketClient track(RawWebSocketClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (RawWebSocketClient client : clients) {
            client.close();
        }
        server.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(DEADLINE_MS), condition);
    }

    static String poll(BlockingQueue<String> queue) throws InterruptedException {
        return queue.poll(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /** The server answered with a close frame of this code, then closed the TCP connection. */
    static void assertClosedWith(int code, RawWebSocketClient client) throws IOException {
        ServerFrame frame = client.readFrame();
        assertEquals(Opcode.CLOSE.code(), frame.opcode(), "a close frame");
        assertEquals(code, frame.closeCode());
        assertTrue(client.awaitServerClosedTcp(), "the server closes the TCP connection");
    }
}
