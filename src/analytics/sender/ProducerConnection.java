package analytics.sender;

import analytics.config.IngestToken;
import analytics.log.Log;
import analytics.retry.Backoff;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.ParseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One producer WebSocket shared by many simulated servers: it registers as a producer,
 * writes the metrics queued for it one message at a time, counts the metric.acks that come
 * back, and when the connection breaks, reconnects with exponential backoff and jitter.
 *
 * Pattern: a supervised connection - one loop owns connect, write and reconnect, so there
 *          is never a second writer and never two reconnects racing.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 6455 §7.1.5, §7.4.1 (1000)
 * Not here: which server goes on which connection (WebSocketTransport).
 * Threads: offer from the timer thread; one virtual thread writes and reconnects; the
 *          JDK's listener thread counts the answers.
 */
final class ProducerConnection implements AutoCloseable {

    private static final Log LOG = Log.get("sender");

    static final String REGISTER = "{\"type\":\"register\",\"role\":\"producer\"}";

    /** About a second of metrics per connection at full load; beyond that, drop and count. */
    private static final int OUTBOX_CAPACITY = 10_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String name;
    private final URI target;
    private final HttpClient client;
    private final SenderStats stats;
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Thread loop;
    private volatile WebSocket socket; // null while (re)connecting

    ProducerConnection(String name, URI target, HttpClient client, SenderStats stats) {
        this.name = name;
        this.target = target;
        this.client = client;
        this.stats = stats;
        this.loop = Thread.ofVirtual().name(name).start(this::superviseUntilStopped);
    }

    /** Queues one producer message; false while the connection is down or the queue full. */
    boolean offer(String message) {
        return socket != null && outbox.offer(message);
    }

    /** Waits until the first connect succeeded or failed, so a start does not count misses. */
    void awaitFirstAttempt() throws InterruptedException {
        firstAttempt.await(3 * CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isUp() {
        return socket != null;
    }

    private void superviseUntilStopped() {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        try {
            while (stopping.getCount() > 0) {
                String reason;
                try {
                    Answers answers = new Answers();
                    WebSocket ws = client.newWebSocketBuilder()
                            .connectTimeout(CONNECT_TIMEOUT)
                            .buildAsync(target, answers)
                            .get(2 * CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    register(ws);
                    socket = ws;
                    firstAttempt.countDown();
                    backoff.reset();
                    LOG.info("connected", "connection", name, "target", target.toString());
                    reason = writeUntilBroken(ws, answers.closed);
                } catch (ExecutionException e) {
                    reason = String.valueOf(e.getCause());
                } catch (TimeoutException e) {
                    reason = "no answer within the timeout";
                }
                firstAttempt.countDown();
                dropQueued();
                if (reason == null) {
                    return;
                }
                Duration wait = backoff.next();
                LOG.warn("connection down; reconnecting", "connection", name, "inMs", wait.toMillis(),
                        "reason", reason);
                if (stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void register(WebSocket ws)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            ws.sendText(IngestToken.fromEnvironment().addTo(REGISTER), true)
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ws.abort();
            throw e;
        }
    }

    /**
     * Writes queued messages until the connection breaks (returns why) or the sender stops
     * (closes with 1000 and returns null). java.net.http allows one outstanding text send
     * per WebSocket, so this loop is the only writer and waits for each send to finish.
     */
    private String writeUntilBroken(WebSocket ws, CompletableFuture<String> closed)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            while (!closed.isDone()) {
                if (stopping.getCount() == 0) {
                    closeNormally(ws, closed);
                    return null;
                }
                String message = outbox.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (message != null) {
                    ws.sendText(message, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    stats.sent();
                }
            }
            return closed.getNow("closed");
        } finally {
            socket = null;
            ws.abort();
        }
    }

    /** RFC 6455 §7.1.2: send our Close, wait (briefly) for the server's, then drop the TCP. */
    private static void closeNormally(WebSocket ws, CompletableFuture<String> closed)
            throws InterruptedException {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "sender stopping").get(1, TimeUnit.SECONDS);
            closed.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("closed without the server's close frame", "error", String.valueOf(e));
        }
    }

    /** Metrics that were waiting for a broken connection: failed, never sent, nor resent later. */
    private void dropQueued() {
        ArrayList<String> dropped = new ArrayList<>();
        outbox.drainTo(dropped);
        stats.failed(dropped.size());
    }

    /** Stops the loop; an open connection is closed with 1000 (normal closure). */
    @Override
    public void close() {
        stopping.countDown();
        try {
            loop.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's messages: metric.ack counts as acknowledged, an error as failed. */
    private final class Answers implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                count(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void count(String text) {
            String type;
            try {
                type = Json.parse(text).asObject().getString("type", "");
            } catch (ParseException | UnsupportedOperationException e) {
                LOG.warn("the server sent something that is not a JSON object", "connection", name);
                return;
            }
            switch (type) {
                case "metric.ack" -> stats.acked();
                case "error" -> {
                    stats.failed();
                    LOG.debug("the server refused a metric", "connection", name, "answer", text);
                }
                default -> { } // connection.ack, register.ack: nothing to count
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete("closed by the server with " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(String.valueOf(error));
        }
    }
}
