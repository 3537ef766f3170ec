package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Handler;
import analytics.http.Response;
import analytics.log.Log;
import analytics.testing.Await;
import analytics.websocket.RawWebSocketClient.ResponseHead;
import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server over a real socket, byte by byte: what goes on the wire and what comes back. */
class WebSocketWireTest {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);
    /** Upper bound for anything the server should do "soon"; only failing tests wait this long. */
    private static final long DEADLINE_MS = 5_000;

    /** Echoes text, records every event with the thread it ran on. */
    private static final class RecordingHandler implements WebSocketHandler {
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

    private final RecordingHandler handler = new RecordingHandler();
    private final List<RawWebSocketClient> clients = new ArrayList<>();
    private WebSocketServer server;

    private static WebSocketServer.Options options() {
        return WebSocketServer.Options.DEFAULTS
                .withMessages(MAX_MESSAGE_BYTES, HEARTBEAT, List.of())
                .withHandshakeTimeout(HANDSHAKE_TIMEOUT)
                .withSlowConsumerPolicy(1024 * 1024, Duration.ofSeconds(1))
                .withCloseTimeout(CLOSE_TIMEOUT);
    }

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.ERROR);
        Handler health = request -> request.path().equals("/healthz")
                ? Response.json(200, "{\"status\":\"ok\"}") : Response.error(404);
        server = new WebSocketServer("wire-test", options(), handler, health).start();
    }

    @AfterEach
    void stop() throws IOException {
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

    private RawWebSocketClient open() throws IOException {
        RawWebSocketClient client = RawWebSocketClient.open(server.port());
        clients.add(client);
        return client;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(DEADLINE_MS), condition);
    }

    private static String poll(BlockingQueue<String> queue) throws InterruptedException {
        return queue.poll(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /** The server answered with a close frame of this code, then closed the TCP connection. */
    private static void assertClosedWith(int code, RawWebSocketClient client) throws IOException {
        ServerFrame frame = client.readFrame();
        assertEquals(Opcode.CLOSE.code(), frame.opcode(), "a close frame");
        assertEquals(code, frame.closeCode());
        assertTrue(client.awaitServerClosedTcp(), "the server closes the TCP connection");
    }

    // --- handshake ------------------------------------------------------------------------

    @Test
    void handshakeAnswers101WithTheRfcAcceptKey() throws IOException {
        ResponseHead head = open().handshake();
        assertEquals("HTTP/1.1 101 Switching Protocols", head.statusLine());
        assertEquals(RawWebSocketClient.RFC_ACCEPT, head.headers().get("sec-websocket-accept"));
        assertEquals("websocket", head.headers().get("upgrade").toLowerCase(Locale.ROOT));
    }

    @Test
    void readsAFrameSentInTheSamePacketAsTheHandshake() throws IOException {
        RawWebSocketClient client = open();
        byte[] frame = RawWebSocketClient.frame(true, Opcode.TEXT.code(),
                "early".getBytes(StandardCharsets.UTF_8), RawWebSocketClient.MASK);
        client.sendRaw(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
                + new String(frame, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(101, client.readResponseHead().status());
        assertEquals("early", client.readFrame().text());
    }

    @Test
    void answers426WithVersionForAnOldClient() throws IOException {
        RawWebSocketClient client = open();
        client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n");
        ResponseHead head = client.readResponseHead();
        assertEquals(426, head.status());
        assertEquals("13", head.headers().get("sec-websocket-version"));
        assertTrue(client.awaitServerClosedTcp());
    }

    // --- frames -----------------------------------------------------------------------------

    @Test
    void echoesText() throws Exception {
        RawWebSocketClient client = connect();
        client.sendText("héllo");
        assertEquals("héllo", client.readFrame().text());
        assertEquals("héllo", poll(handler.texts));
    }

    @Test
    void answersPingWithPongCarryingTheSamePayload() throws IOException {
        RawWebSocketClient client = connect();
        byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);
        client.sendFrame(true, Opcode.PING, payload);
        ServerFrame pong = client.readFrame();
        assertEquals(Opcode.PONG.code(), pong.opcode());
        assertArrayEquals(payload, pong.payload());
    }

    @Test
    void deliversBinaryFramesToOnBinary() throws Exception {
        RawWebSocketClient client = connect();
        byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0xC0};
        client.sendFrame(true, Opcode.BINARY, data);
        assertArrayEquals(data, handler.binaries.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
        client.sendFrame(false, Opcode.BINARY, new byte[] {1});
        client.sendFrame(true, Opcode.CONTINUATION, new byte[] {2});
        assertArrayEquals(new byte[] {1, 2}, handler.binaries.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
        assertTrue(handler.texts.isEmpty(), "binary never reaches onText");
    }

    @Test
    void deliversAFragmentedMessageAroundAnInterleavedPing() throws Exception {
        RawWebSocketClient client = connect();
        client.sendFrame(false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.UTF_8));
        client.sendFrame(true, Opcode.PING, "mid".getBytes(StandardCharsets.UTF_8));
        ServerFrame pong = client.readFrame();
        assertEquals(Opcode.PONG.code(), pong.opcode(), "the pong does not wait for the message");
        assertEquals("mid", pong.text());
        assertNull(handler.texts.poll(), "nothing delivered before the last fragment");
        client.sendFrame(true, Opcode.CONTINUATION, "lo".getBytes(StandardCharsets.UTF_8));
        assertEquals("Hello", poll(handler.texts));
        assertEquals("Hello", client.readFrame().text());
    }

    // --- protocol errors ------------------------------------------------------------------

    @Test
    void closesWith1002OnAnUnmaskedFrame() throws IOException {
        RawWebSocketClient client = connect();
        client.sendRaw(RawWebSocketClient.frame(true, Opcode.TEXT.code(), "hi".getBytes(StandardCharsets.UTF_8), null));
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1007OnInvalidUtf8Text() throws IOException {
        RawWebSocketClient client = connect();
        client.sendFrame(true, Opcode.TEXT, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF});
        assertClosedWith(1007, client);
    }

    @Test
    void closesWith1009WhenAHeaderAnnouncesTooMuch() throws IOException {
        RawWebSocketClient client = connect();
        // 64-bit length MAX+1 and the masking key; the payload is never sent.
        byte[] header = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127))
                .putLong(MAX_MESSAGE_BYTES + 1).put(RawWebSocketClient.MASK).array();
        client.sendRaw(header);
        assertClosedWith(1009, client);
    }

    /** §5.2: "the minimal number of bytes MUST be used to encode the length". */
    @Test
    void closesWith1002OnALengthNotInItsMinimalEncoding() throws IOException {
        RawWebSocketClient client = connect();
        byte[] minimal = RawWebSocketClient.frame(true, Opcode.TEXT.code(),
                "hello".getBytes(StandardCharsets.UTF_8), RawWebSocketClient.MASK);
        // The same frame with its length 5 spelled in the 16-bit form: 126, then 00 05.
        byte[] padded = ByteBuffer.allocate(minimal.length + 2).put(minimal[0]).put((byte) (0x80 | 126))
                .putShort((short) 5).put(minimal, 2, minimal.length - 2).array();
        client.sendRaw(padded);
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToTooMuch() throws IOException {
        RawWebSocketClient client = connect();
        byte[] half = new byte[MAX_MESSAGE_BYTES / 2 + 1];
        client.sendFrame(false, Opcode.BINARY, half);
        client.sendFrame(true, Opcode.CONTINUATION, half);
        assertClosedWith(1009, client);
    }

    @Test
    void closesWith1002OnAContinuationWithoutAStart() throws IOException {
        RawWebSocketClient client = connect();
        client.sendFrame(true, Opcode.CONTINUATION, new byte[] {1});
        assertClosedWith(1002, client);
    }

    // --- closing --------------------------------------------------------------------------------

    @Test
    void echoesTheCodeInTheCloseHandshake() throws Exception {
        RawWebSocketClient client = connect();
        client.sendClose(1000, "bye");
        assertClosedWith(1000, client);
        assertEquals("1000 bye", poll(handler.closes));
    }

    @Test
    void answersACloseWithoutCodeWith1000() throws Exception {
        RawWebSocketClient client = connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[0]);
        assertClosedWith(1000, client);
        assertEquals("1005 ", poll(handler.closes), "the handler learns there was no code");
    }

    /** A peer may half-close right after its close frame; it still gets the echo. */
    @Test
    void echoesTheCloseEvenWhenThePeerHalfClosesRightAfterIt() throws Exception {
        RawWebSocketClient client = connect();
        client.sendClose(4000, "done");
        client.socket().shutdownOutput();
        assertClosedWith(4000, client);
        assertEquals("4000 done", poll(handler.closes));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 1004, 1005, 1006, 1015, 2999, 5000})
    void closesWith1002OnACloseCodeNotAllowedOnTheWire(int code) throws IOException {
        RawWebSocketClient client = connect();
        client.sendClose(code, "");
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1002OnAOneByteClosePayload() throws IOException {
        RawWebSocketClient client = connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03});
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1007OnACloseReasonThatIsNotUtf8() throws IOException {
        RawWebSocketClient client = connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF});
        assertClosedWith(1007, client);
    }

    @Test
    void callsOnCloseExactlyOnceWithThePeersCode() throws Exception {
        RawWebSocketClient client = connect();
        client.sendText("first");
        assertEquals("first", client.readFrame().text());
        client.sendClose(4001, "app says bye");
        assertClosedWith(4001, client);
        assertEquals("4001 app says bye", poll(handler.closes));
        server.close(); // terminates whatever is left: must not report the connection again
        assertEquals(1, handler.closeCount.get());
        assertEquals(0, server.connectionCount());
    }

    @Test
    void callsOnCloseWith1006WhenThePeerVanishes() throws Exception {
        RawWebSocketClient client = connect();
        client.close();
        assertEquals("1006 ", poll(handler.closes));
        await("the connection is forgotten", () -> server.connectionCount() == 0);
    }

    /** WebSocketHandler's promise: callbacks run on the reader thread, one at a time. */
    @Test
    void callsOnCloseOnTheReaderThreadAfterTheRunningCallbackReturns() throws Exception {
        RawWebSocketClient client = connect();
        client.sendText("block");
        assertEquals("block", poll(handler.texts));
        // The client answers no ping now, so the heartbeat terminates the connection
        // while onText is still running.
        await("the heartbeat terminates the silent peer", () -> server.connectionCount() == 0);
        handler.release.countDown();
        assertNotNull(poll(handler.closes));
        assertFalse(handler.overlapped.get(), "onClose ran while onText was still running");
        assertEquals(handler.textThread, handler.closeThread);
    }

    @Test
    void closesWith1011AndForgetsTheConnectionWhenOnOpenFails() throws Exception {
        server.close();
        AtomicInteger closes = new AtomicInteger();
        WebSocketHandler failing = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketConnection connection) {
                throw new IllegalStateException("a bug in the application");
            }

            @Override
            public void onText(WebSocketConnection connection, String text) {
            }

            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                closes.incrementAndGet();
            }
        };
        server = new WebSocketServer("wire-test", options(), failing, null).start();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            RawWebSocketClient client = connect();
            assertClosedWith(1011, client);
            await("the connection is forgotten", () -> server.connectionCount() == 0);
            await("onClose is called", () -> closes.get() == 1);
        } finally {
            Log.redirect(previous);
        }
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("a bug in the application"),
                "the bug is logged: " + logged);
    }

    @Test
    void sendsGoingAwayToEveryPeerOnShutdown() throws Exception {
        List<RawWebSocketClient> peers = List.of(connect(), connect(), connect());
        await("three connections", () -> server.connectionCount() == 3);
        Thread closing = Thread.ofVirtual().start(server::close);
        for (RawWebSocketClient peer : peers) {
            ServerFrame frame = peer.readFrame();
            assertEquals(Opcode.CLOSE.code(), frame.opcode());
            assertEquals(1001, frame.closeCode());
            peer.sendClose(1001, "");
            assertTrue(peer.awaitServerClosedTcp());
        }
        assertTrue(closing.join(Duration.ofMillis(DEADLINE_MS)), "close() returns");
        assertEquals(0, server.connectionCount());
    }

    // --- heartbeat ----------------------------------------------------------------------------

    @Test
    void terminatesAPeerThatNeverAnswersPings() throws Exception {
        RawWebSocketClient client = connect();
        // Read without answering: the first heartbeat pings, the next finds no pong and cuts.
        int pings = 0;
        try {
            while (true) {
                ServerFrame frame = client.readAnyFrame();
                assertEquals(Opcode.PING.code(), frame.opcode());
                pings++;
            }
        } catch (IOException closed) {
            // end of stream or reset: terminated
        }
        assertEquals(1, pings, "terminated at the heartbeat after the unanswered ping");
        assertEquals("1006 ", poll(handler.closes));
    }

    @Test
    void keepsAPeerThatAnswersPings() throws Exception {
        RawWebSocketClient client = connect();
        int pings = 0;
        while (pings < 4) { // four heartbeats; each read is bounded by the client's timeout
            ServerFrame frame = client.readAnyFrame();
            assertEquals(Opcode.PING.code(), frame.opcode());
            client.sendFrame(true, Opcode.PONG, frame.payload());
            pings++;
        }
        client.sendText("still here");
        assertEquals("still here", client.readFrame().text());
    }

    // --- plain HTTP on the same port -------------------------------------------------------------

    private String plainRequest(String request) throws IOException {
        RawWebSocketClient client = open();
        client.sendRaw(request);
        return client.readToEnd();
    }

    @Test
    void answersHealthzThroughItsHttpHandler() throws IOException {
        String response = plainRequest("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n{\"status\":\"ok\"}"), response);
    }

    @Test
    void answers426ToAPlainGetOfRoot() throws IOException {
        String response = plainRequest("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
    }

    @Test
    void answers404ToAnUnknownPath() throws IOException {
        String response = plainRequest("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
        assertTrue(response.endsWith("{\"error\":\"Not Found\"}"), response);
    }

    @Test
    void answers400ToAGarbageRequestLine() throws IOException {
        String response = plainRequest("HELLO\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
    }

    @Test
    void dropsAClientThatStallsInTheMiddleOfItsRequestHead() throws IOException {
        RawWebSocketClient client = open();
        client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgr");
        String response = client.readToEnd(); // bounded by the client's read timeout
        assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 408 "), response);
    }

    /** SO_TIMEOUT bounds one read; a byte every 100 ms must still not hold the socket forever. */
    @Test
    void dropsAClientThatTricklesItsRequestHeadPastTheTimeout() throws Exception {
        RawWebSocketClient client = open();
        InputStream in = client.socket().getInputStream();
        client.socket().setSoTimeout(100);
        byte[] endless = "GET / HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        boolean dropped = false;
        for (int i = 0; !dropped && System.nanoTime() < deadline; i++) {
            try {
                client.sendRaw(new byte[] {i < endless.length ? endless[i] : (byte) 'a'});
                in.read(); // an answer or the end of the stream: either way, no longer waiting
                dropped = true;
            } catch (SocketTimeoutException stillWaiting) {
                // nothing within 100 ms: the server is still reading our head; send a byte more
            } catch (IOException reset) {
                dropped = true;
            }
        }
        assertTrue(dropped, "the server still waits for a head trickled over " + DEADLINE_MS + " ms");
    }

    @Test
    void answersAnUpgradeRefusedByTheOriginAllowList() throws Exception {
        server.close();
        WebSocketServer.Options o = options();
        server = new WebSocketServer("wire-test",
                o.withMessages(o.maxMessageBytes(), o.heartbeat(), List.of("http://allowed.example")),
                handler, null).start();
        String response = plainRequest("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://evil.example\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
        assertThrows(IOException.class, () -> RawWebSocketClient.connect(server.port()).close(),
                "no Origin at all is refused too");
    }
}
