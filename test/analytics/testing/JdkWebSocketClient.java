package analytics.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client on the JDK's own java.net.http.WebSocket: an independent implementation
 * of RFC 6455, so a test that passes with it proves interoperability, not self-agreement.
 * Received text messages queue up; tests take them in order with a deadline.
 *
 * Pattern: blocking test facade over an asynchronous client.
 * Lesson:  lessons/01-build-and-test.md
 * Threads: the JDK's listener thread fills the queue; the test thread reads it.
 */
public final class JdkWebSocketClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
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
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next text message; fails the test if none arrives within 5 s. */
    public String nextText() {
        try {
            String text = texts.poll(5, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("no message within 5 s");
            }
            return text;
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

    /** The close code the server sent, waiting up to 5 s. */
    public int awaitClose() {
        return closed.orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
