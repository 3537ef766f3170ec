package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.log.Log;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** java.net.http.WebSocket, an independent RFC 6455 client, against the echo server. */
class JdkClientInteropTest {

    private static final long TIMEOUT_S = 5;

    /** Collects whole messages (the JDK may hand a long one over in parts), pongs and the close. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(message);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null; // the JDK answers the close once this returns
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(TIMEOUT_S, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + TIMEOUT_S + " s");
            }
            return message;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final Recorder recorder = new Recorder();
    private WebSocketServer server;
    private WebSocket socket;

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withHandshakeTimeout(Duration.ofSeconds(2)).withCloseTimeout(Duration.ofSeconds(1));
        server = new WebSocketServer("jdk-interop", options, new EchoHandler(), null).start();
        socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(TIMEOUT_S))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), recorder)
                .get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        socket.abort();
        server.close();
        http.close();
    }

    @Test
    void echoesText() throws Exception {
        socket.sendText("héllo, wörld", true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("héllo, wörld", recorder.next());
    }

    /**
     * A client whose handshake has completed is a recipient: a broadcast sent the moment
     * after reaches it. Repeated, since the window it guards is microseconds wide.
     */
    @Test
    void aBroadcastRightAfterTheHandshakeReachesTheNewClient() throws Exception {
        for (int i = 0; i < 200; i++) {
            Recorder fresh = new Recorder();
            WebSocket client = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), fresh)
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            server.broadcast(FrameEncoder.text("welcome " + i), connection -> true);
            assertEquals("welcome " + i, fresh.next(), "client " + i);
            client.abort();
        }
    }

    /** Over 65,535 bytes: the 64-bit extended length, both directions. */
    @Test
    void echoesA70000ByteText() throws Exception {
        String big = "0123456789".repeat(7_000);
        socket.sendText(big, true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(big, recorder.next());
    }

    @Test
    void echoesAFragmentedText() throws Exception {
        socket.sendText("frag", false).get(TIMEOUT_S, TimeUnit.SECONDS);
        socket.sendText("mented", true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("fragmented", recorder.next());
    }

    @Test
    void echoesBinary() throws Exception {
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        socket.sendBinary(ByteBuffer.wrap(data), true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertArrayEquals(data, (byte[]) recorder.next());
    }

    @Test
    void answersPingWithPong() throws Exception {
        socket.sendPing(ByteBuffer.wrap("jdk".getBytes(StandardCharsets.UTF_8))).get(TIMEOUT_S, TimeUnit.SECONDS);
        ByteBuffer pong = recorder.pongs.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("jdk", StandardCharsets.UTF_8.decode(pong).toString());
    }

    @Test
    void closesWith1000AndAReason() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("1000 ", recorder.closed.get(TIMEOUT_S, TimeUnit.SECONDS), "the server echoes the code");
    }

    @Test
    void followsAClosingHandshakeTheServerStarts() throws Exception {
        socket.sendText("close:1000:server says bye", true).get(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals("1000 server says bye", recorder.closed.get(TIMEOUT_S, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the JDK answers the close; then the server closes TCP
        }
        assertEquals(0, server.connectionCount());
    }
}
