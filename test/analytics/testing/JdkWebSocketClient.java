package analytics.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client on the JDK's own java.net.http.WebSocket: an independent implementation
 * of RFC 6455, so a test that passes with it proves interoperability, not self-agreement.
 * Received messages (whole, however the JDK split them) and pongs queue up; tests take
 * them in order with a deadline.
 *
 * Pattern: blocking test facade over an asynchronous client.
 * Lesson:  lessons/01-build-and-test.md
 * Threads: the JDK's listener thread fills the queue; the test thread reads it.
 */
public final class JdkWebSocketClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The server's close frame. */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private JdkWebSocketClient(URI uri) {
        this.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    public static JdkWebSocketClient connect(String uri) {
        return new JdkWebSocketClient(URI.create(uri));
    }

    public void send(String text) {
        sendFragment(text, true);
    }

    /** One frame of a text message; {@code last} false leaves the message open (§5.4). */
    public void sendFragment(String text, boolean last) {
        socket.sendText(text, last).orTimeout(5, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    public void ping(String payload) {
        socket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)))
                .orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Starts the closing handshake from the client's side; the answer comes to awaitClose. */
    public void sendClose(int code, String reason) {
        socket.sendClose(code, reason).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next text message; fails the test if none arrives within 5 s. */
    public String nextText() {
        return take(texts, "text message");
    }

    public byte[] nextBinary() {
        return take(binaries, "binary message");
    }

    /** The payload of the next pong, as text. */
    public String nextPong() {
        return take(pongs, "pong");
    }

    private static <T> T take(BlockingQueue<T> queue, String what) {
        try {
            T item = queue.poll(5, TimeUnit.SECONDS);
            if (item == null) {
                throw new AssertionError("no " + what + " within 5 s");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    public JsonObject next() {
        return Json.parse(nextText()).asObject();
    }

    /** The next message of this type, skipping others (e.g. updates between acks). */
    public JsonObject next(String type) {
        for (int i = 0; i < 10_000; i++) {
            JsonObject message = next();
            if (type.equals(message.getString("type", ""))) {
                return message;
            }
        }
        throw new AssertionError("no " + type + " message");
    }

    /** Whether any message arrives within the wait; for "nothing should come" checks. */
    public String poll(long millis) throws InterruptedException {
        return texts.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The server's close frame, waiting up to 5 s. */
    public Close awaitClose() {
        return closed.orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    /** The JDK may hand a long message over in parts: they are joined here. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partialText = new StringBuilder();
        private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partialText.append(data);
            if (last) {
                texts.add(partialText.toString());
                partialText.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partialBinary.writeBytes(bytes);
            if (last) {
                binaries.add(partialBinary.toByteArray());
                partialBinary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null; // the JDK answers the close once this returns
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
