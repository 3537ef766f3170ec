package analytics.loadtest.driver;

import analytics.config.IngestToken;
import analytics.retry.Backoff;
import analytics.websocket.WholeTextListener;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One producer WebSocket of the load driver: sends metrics one message at a time and
 * matches each {@code metric.ack} to its own send by the {@code id} the ack echoes.
 *
 * The original's load script attached each reply to whichever send had registered a
 * listener first, so one lost ack shifted every latency after it. Here an ack completes
 * exactly the send whose id it carries; an error reply, which has no id, goes to the
 * oldest send still waiting (the server answers one connection's messages in order); and
 * a close fails every send still waiting with the close code, so a lost connection shows
 * as "close-1011", not as a mysterious timeout.
 *
 * Pattern: request/response matching over a message stream by correlation id.
 * Lesson:  lessons/19-load-testing-done-right.md
 *          Spec: RFC 6455 §7.4.1; docs/CONTRACT.md, System 2 ("id" echoed in the ack)
 * Not here: which link a metric takes (WebSocketMetricSender).
 * Threads: send() from many virtual threads, one at a time on the wire (java.net.http
 *          allows a single outstanding send); the listener runs on the client's threads.
 */
final class ProducerLink extends WholeTextListener {

    private final URI target;
    private final HttpClient client;
    private final Duration timeout;
    /** Fair, so metrics leave in the order they queued for the link. */
    private final ReentrantLock sending = new ReentrantLock(true);
    private final ConcurrentSkipListMap<Long, CompletableFuture<Outcome>> awaitingAck =
            new ConcurrentSkipListMap<>();
    /** Sent first only when INGEST_TOKEN is set: unregistered, a connection is a producer anyway. */
    private static final String REGISTER = "{\"type\":\"register\",\"role\":\"producer\"}";
    private final Backoff reconnectBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private volatile WebSocket socket; // null while down
    private long nextAttemptNanos; // guarded by sending

    ProducerLink(URI target, HttpClient client, Duration timeout) {
        this.target = target;
        this.client = client;
        this.timeout = timeout;
    }

    /** Connects now, or says why not in words a user can act on. */
    void connect() throws IOException, InterruptedException {
        try {
            socket = client.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(target, this)
                    .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            if (IngestToken.fromEnvironment().required()) { // else the metrics would close it with 1008
                socket.sendText(IngestToken.fromEnvironment().addTo(REGISTER), true)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot open a WebSocket to " + target + " (" + cause + ")", cause);
        }
    }

    /** Sends (if the link is free by {@code deadline}) and waits for the ack, up to ABANDON past it. */
    Outcome send(long seq, String message, long deadline) throws InterruptedException {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        if (!sending.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
            return Outcome.TIMEOUT; // the sends ahead of this one are stuck
        }
        try {
            WebSocket ws = socket != null ? socket : reconnectIfDue();
            if (ws == null) {
                return Outcome.connection(new IOException("the connection is down, reconnecting"));
            }
            awaitingAck.put(seq, answer); // before sending: the ack may beat get() below
            ws.sendText(message, true).get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            awaitingAck.remove(seq);
            return Outcome.connection(e.getCause());
        } catch (TimeoutException e) {
            awaitingAck.remove(seq);
            return Outcome.TIMEOUT;
        } finally {
            sending.unlock();
        }
        try {
            return answer.get(remaining(deadline) + MetricSender.ABANDON.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            awaitingAck.remove(seq);
            return Outcome.TIMEOUT;
        } catch (ExecutionException e) {
            return Outcome.connection(e.getCause()); // not reached: answers complete with an Outcome
        }
    }

    /** While down, one reconnect at a time, spaced by a growing pause with jitter. */
    private WebSocket reconnectIfDue() throws InterruptedException {
        long now = System.nanoTime();
        if (now - nextAttemptNanos < 0) {
            return null;
        }
        try {
            connect();
            reconnectBackoff.reset();
            return socket;
        } catch (IOException e) {
            nextAttemptNanos = now + reconnectBackoff.next().toNanos();
            return null;
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    protected void onMessage(WebSocket webSocket, String text) {
        answered(text);
    }

    private void answered(String text) {
        JsonObject message;
        try {
            message = Json.parse(text).asObject();
        } catch (ParseException | UnsupportedOperationException e) {
            return; // not ours to judge: the load driver measures, the contract tests check
        }
        switch (message.getString("type", "")) {
            case "metric.ack" -> {
                JsonValue id = message.get("id");
                CompletableFuture<Outcome> waiting = id != null && id.isNumber()
                        ? awaitingAck.remove(id.asLong()) : null;
                if (waiting != null) {
                    waiting.complete(Outcome.ACCEPTED);
                }
            }
            case "error" -> {
                Map.Entry<Long, CompletableFuture<Outcome>> oldest = awaitingAck.pollFirstEntry();
                if (oldest != null) {
                    oldest.getValue().complete(Outcome.REJECTED);
                }
            }
            default -> {
                // connection.ack and the like: nothing waits for them
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        down(ws, Outcome.closed(statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        down(ws, Outcome.connection(error));
    }

    private void down(WebSocket ws, Outcome outcome) {
        if (socket == ws) {
            socket = null;
        }
        for (Map.Entry<Long, CompletableFuture<Outcome>> e; (e = awaitingAck.pollFirstEntry()) != null; ) {
            e.getValue().complete(outcome);
        }
    }

    /** The open socket, if any: WebSocketMetricSender closes them all at once. */
    WebSocket socket() {
        return socket;
    }
}
