package analytics.sender;

import analytics.config.IngestToken;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.retry.Backoff;
import analytics.sender.TargetOutage.Failure;
import analytics.websocket.WholeTextListener;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.ParseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One producer WebSocket shared by many simulated servers: it registers as a producer,
 * writes the metrics buffered for it one message at a time - one metric, or, when more
 * wait, a {@code metrics} batch of up to {@link #BATCH_MAX} - matches the acks that come
 * back to what it wrote, and when the connection breaks, puts what was not acknowledged
 * back into the buffer - older than anything new, it goes first - and reconnects with
 * exponential backoff and jitter.
 *
 * Pattern: a supervised connection - one loop owns connect, write and reconnect, so there
 *          is never a second writer and never two reconnects racing; acknowledgements
 *          matched in order (System 2 answers each message, in the order it read them);
 *          batching only on backlog, as HttpTransport does: one metric per message while
 *          the connection keeps up, one message for all that wait when it does not.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 6455 §7.1.5, §7.4.1 (1000)
 * Not here: which server goes on which connection (WebSocketTransport), the buffer
 *           (SendBuffer), the outage's log lines (TargetOutage).
 * Threads: offer from the timer thread; one virtual thread writes and reconnects; the
 *          JDK's listener thread counts the answers.
 */
final class ProducerConnection implements AutoCloseable {

    private static final Log LOG = Log.get("sender");

    static final String REGISTER = "{\"type\":\"register\",\"role\":\"producer\"}";

    /**
     * Metrics written and not yet acknowledged, at most: what a break sends again. About a
     * tenth of a second at 10,000 metrics a second; the writer waits for acks beyond it.
     */
    static final int MAX_UNACKNOWLEDGED = 1_000;
    /**
     * The most metrics in one {@code metrics} message: about 30 KB of JSON. One message at a
     * time (java.net.http allows one send in flight) fell behind 2,500 servers a second on
     * one connection on two busy cores: the backlog grew until the buffer dropped its
     * oldest (bench-course-scenario.sh counted 537-1,735 a minute). A batch clears a
     * backlog in one write.
     */
    static final int BATCH_MAX = 200;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String name;
    private final URI target;
    private final HttpClient client;
    private final SenderStats stats;
    private final SendBuffer buffer;
    private final TargetOutage outage;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Thread loop;
    private volatile WebSocket socket; // null while (re)connecting
    private volatile Answers current;  // the latest connection attempt's
    /** False once the target refused a batch: an older System 2 knows no "metrics" message. */
    private volatile boolean batches = true;

    ProducerConnection(String name, URI target, HttpClient client, SendBuffer buffer, TargetOutage outage,
                       SenderStats stats) {
        this.name = name;
        this.target = target;
        this.client = client;
        this.buffer = buffer;
        this.outage = outage;
        this.stats = stats;
        this.loop = Thread.ofVirtual().name(name).start(this::superviseUntilStopped);
    }

    /** Buffers one metric, up or down; a full buffer drops its oldest. */
    void offer(Metric metric) {
        buffer.add(metric);
    }

    /** Waits until the first connect succeeded or failed, so a start does not count misses. */
    void awaitFirstAttempt() throws InterruptedException {
        firstAttempt.await(3 * CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Metrics written on the current connection and not yet answered. */
    int unacknowledged() {
        Answers answers = current;
        return answers == null ? 0
                : answers.written.stream().mapToInt(w -> w.metrics().size()).sum();
    }

    boolean isUp() {
        return socket != null;
    }

    private void superviseUntilStopped() {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        try {
            while (stopping.getCount() > 0) {
                String reason;
                Failure kind = Failure.DISCONNECTED;
                Answers answers = new Answers();
                current = answers;
                try {
                    WebSocket ws = client.newWebSocketBuilder()
                            .connectTimeout(CONNECT_TIMEOUT)
                            .buildAsync(target, answers)
                            .get(2 * CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    register(ws);
                    socket = ws;
                    firstAttempt.countDown();
                    backoff.reset();
                    outage.answered(0);
                    LOG.info("connected", "connection", name, "target", target.toString(),
                            "buffered", buffer.size());
                    reason = writeUntilBroken(ws, answers);
                } catch (ExecutionException e) {
                    reason = HttpTransport.causeOf(e.getCause());
                    kind = e.getCause() instanceof HttpTimeoutException ? Failure.TIMEOUT : Failure.UNREACHABLE;
                } catch (TimeoutException e) {
                    reason = "no answer within the timeout";
                    kind = Failure.TIMEOUT;
                }
                firstAttempt.countDown();
                sendAgainLater(answers.unacknowledged(), reason != null);
                if (reason == null) {
                    return;
                }
                outage.failed(kind, reason);
                Duration wait = backoff.next();
                // The outage logs each kind of failure once; every attempt only at debug.
                LOG.debug("connection down; reconnecting", "connection", name, "inMs", wait.toMillis(),
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
     * Writes buffered metrics until the connection breaks (returns why) or the sender stops
     * (closes with 1000 and returns null). java.net.http allows one outstanding text send
     * per WebSocket, so this loop is the only writer and waits for each send to finish.
     * Each message is tracked as unacknowledged before it is written: its ack may come back
     * before sendText's future completes. The window counts metrics, not messages.
     */
    private String writeUntilBroken(WebSocket ws, Answers answers) throws InterruptedException {
        try {
            while (!answers.closed.isDone()) {
                if (stopping.getCount() == 0) {
                    closeNormally(ws, answers.closed);
                    return null;
                }
                if (!answers.window.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue; // MAX_UNACKNOWLEDGED written and unanswered: wait for acks
                }
                // Room for a batch when a backlog waits. Only this thread takes permits, so
                // those available now stay available and acquire() does not wait.
                int more = batches ? Math.min(BATCH_MAX - 1, answers.window.availablePermits()) : 0;
                answers.window.acquire(more);
                List<Metric> metrics = buffer.take(1 + more, POLL);
                answers.window.release(1 + more - metrics.size());
                if (metrics.isEmpty()) {
                    continue;
                }
                long id = answers.track(metrics);
                String message = metrics.size() == 1
                        ? message(metrics.getFirst(), id) : batch(metrics, id);
                try {
                    ws.sendText(message, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    return "writing failed: " + HttpTransport.causeOf(e.getCause());
                } catch (TimeoutException e) {
                    return "writing took over " + SEND_TIMEOUT.toSeconds() + " s";
                }
                stats.sent(metrics.size());
            }
            return answers.closed.getNow("closed");
        } finally {
            socket = null;
            ws.abort();
        }
    }

    /**
     * The contract's producer message, with an {@code id} System 2 echoes in its ack
     * (beyond the original): the ack names the metric it answers.
     */
    static String message(Metric metric, long id) {
        return new JsonObject().add("type", "metric").add("id", id).merge(metric.toJson()).toString();
    }

    /** Several metrics in one message (beyond the original); its metrics.ack echoes the id. */
    static String batch(List<Metric> metrics, long id) {
        JsonArray items = new JsonArray();
        metrics.forEach(metric -> items.add(metric.toJson()));
        return new JsonObject().add("type", "metrics").add("id", id).add("items", items).toString();
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

    /**
     * What a connection wrote and never saw acknowledged goes back into the buffer, to be
     * sent first, in its order, on the next connection. System 2 may have aggregated
     * some of it and lost only the ack: those arrive twice (at least once, never lost).
     */
    private void sendAgainLater(List<Metric> unacknowledged, boolean retry) {
        buffer.putBack(unacknowledged);
        if (retry) {
            stats.retried(unacknowledged.size());
        }
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

    /** One message written on this connection - a metric or a batch - and its ack's id. */
    private record Written(long id, List<Metric> metrics) {
    }

    /**
     * One connection's answers: metric.ack or metrics.ack acknowledges the oldest message
     * written and not yet answered, an error rejects it (System 2 answers every message, in
     * order, with one or the other); greetings count as nothing.
     */
    private final class Answers extends WholeTextListener {
        final CompletableFuture<String> closed = new CompletableFuture<>();
        /** Room for more unacknowledged metrics; the writer takes, each answer gives back. */
        final Semaphore window = new Semaphore(MAX_UNACKNOWLEDGED);
        private final ConcurrentLinkedDeque<Written> written = new ConcurrentLinkedDeque<>();
        private long lastId; // the writer's only
        private boolean outOfOrderLogged;

        /** Before the write: the id to send with {@code metrics}, one message. */
        long track(List<Metric> metrics) {
            written.addLast(new Written(++lastId, metrics));
            return lastId;
        }

        /** After the connection ended: what it never answered, oldest first. */
        List<Metric> unacknowledged() {
            List<Metric> left = new ArrayList<>();
            for (Written w = written.pollFirst(); w != null; w = written.pollFirst()) {
                left.addAll(w.metrics());
            }
            return left;
        }

        @Override
        protected void onMessage(WebSocket webSocket, String text) {
            count(text);
        }

        private void count(String text) {
            JsonObject answer;
            try {
                answer = Json.parse(text).asObject();
            } catch (ParseException | UnsupportedOperationException e) {
                LOG.warn("the server sent something that is not a JSON object", "connection", name);
                return;
            }
            switch (answer.getString("type", "")) {
                case "metric.ack", "metrics.ack" -> {
                    Written oldest = answered();
                    if (oldest != null && oldest.id() != answer.getLong("id", oldest.id()) && !outOfOrderLogged) {
                        outOfOrderLogged = true;
                        LOG.warn("an ack names another message than the oldest unanswered one",
                                "connection", name, "expectedId", oldest.id(), "answer", text);
                    }
                    stats.acked(oldest == null ? 1 : oldest.metrics().size());
                    outage.delivered();
                }
                case "error" -> {
                    Written refused = answered();
                    if (refused != null && refused.metrics().size() > 1) {
                        // Our metrics are valid: a refused batch means the target has no
                        // batch message. Again one by one, where each is judged alone - the
                        // writer may have sent another batch before this answer came.
                        if (batches) {
                            batches = false;
                            LOG.warn("target refused a batch; sending one metric per message",
                                    "connection", name, "answer", HttpTransport.reasonOf(text));
                        }
                        buffer.putBack(refused.metrics());
                    } else if (refused != null) {
                        String kind = "error: " + answer.getString("message", "?");
                        stats.rejected(refused.metrics().size(), kind, HttpTransport.reasonOf(text));
                        outage.delivered();
                    } else {
                        LOG.warn("the server refused a message that was not a metric", "connection", name,
                                "answer", HttpTransport.reasonOf(text));
                    }
                }
                default -> { } // connection.ack, register.ack: nothing to count
            }
        }

        private Written answered() {
            Written oldest = written.pollFirst();
            if (oldest != null) {
                window.release(oldest.metrics().size());
            }
            return oldest;
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
