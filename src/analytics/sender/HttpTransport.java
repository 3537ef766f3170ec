package analytics.sender;

import analytics.config.IngestToken;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.sender.TargetOutage.Failure;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends each metric as {@code POST /metrics} with a JSON body, expecting 202, on one shared
 * java.net.http client - over HTTP/1.1, or over HTTP/2 to System 1's h2c port. Metrics wait
 * in a SendBuffer; a fixed number of senders take them, so a backlog (after an outage, or
 * while the target is slow) goes as {@code POST /metrics/batch} of up to 200 at a time.
 *
 * Pattern: one client, a bounded number of requests in flight - the client's pool reuses
 *          keep-alive connections (HTTP/1.1: up to 128 of them; HTTP/2: one connection
 *          carrying many streams), and the bound caps sockets and memory when the target
 *          slows down. Retry with backoff behind a RetryGate, for the failures a retry can
 *          cure: no answer, 503 and 429 (after their Retry-After), other 5xx. A 4xx is the
 *          target's verdict on the metric itself: counted as rejected, logged, never resent.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 9110 §15.3.3 (202), §15.6.4 (503),
 *          §10.2.3 (Retry-After); RFC 6585 §4 (429); RFC 7540 §3.2 (h2c)
 * Not here: the buffer (SendBuffer), the outage's log lines (TargetOutage).
 * Threads: send from the timer thread; 128 (h2: 64) sender virtual threads each block in
 *          one request at a time.
 *
 * HTTP/2 over cleartext: java.net.http asks for it with an "Upgrade: h2c" header on the
 * first request (it has no other way to start h2c) and would quietly stay on HTTP/1.1 when
 * the server does not switch. So in h2 mode one request goes first, alone: it opens the one
 * connection every later stream shares - many requests sent at once before it would each
 * open a connection of their own. After a transport error (the connection may be gone) one
 * request goes alone again: the RetryGate's probe. An answer over HTTP/1.1 is a rejection,
 * logged once, never a silent fallback.
 *
 * A 503 or a timeout may hide a metric that was written after all (see the contract's 503
 * reasons), so a retry can deliver it twice: at least once, as System 1 itself is.
 */
final class HttpTransport implements MetricTransport {

    private static final Log LOG = Log.get("sender");

    /**
     * Plenty for 10,000 metrics a second on loopback (about 1 ms each), and below the 200 idle
     * connections the JDK's HTTP server keeps (sun.net.httpserver.maxIdleConnections): it
     * closes any beyond that after the response, without "Connection: close", and a client
     * with more in flight then reuses a dead connection ("header parser received no bytes").
     */
    private static final int MAX_IN_FLIGHT = 128;
    /**
     * HTTP/2: below System 1's SETTINGS_MAX_CONCURRENT_STREAMS (100 by default), so the one
     * connection never has to refuse a stream.
     */
    private static final int MAX_STREAMS_IN_FLIGHT = 64;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The most metrics in one {@code POST /metrics/batch}: about 40 KB of JSON, far below
     * System 1's 256 KiB body limit, and 10,000 buffered metrics drain in 50 requests.
     */
    static final int BATCH_MAX = 200;
    /** How long an idle sender waits for a metric before it looks again whether to stop. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    /** A target's answer in a log line is cut here: a log line is not a dump of a body. */
    private static final int MAX_REASON_CHARS = 300;

    private final URI target;
    private final URI batchTarget;
    private final SenderStats stats;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final HttpClient.Version version;
    private final SendBuffer buffer;
    private final RetryGate gate;
    private final TargetOutage outage;
    /** Metrics in requests under way: part of the backlog when the target answers again. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** False once the target showed it has no batch route (404, 405): one metric per request. */
    private final AtomicBoolean batches = new AtomicBoolean(true);
    private volatile boolean closed;

    HttpTransport(URI target, HttpClient.Version version, int bufferSize, SenderStats stats) {
        this.target = target;
        this.batchTarget = batchTargetOf(target);
        this.stats = stats;
        this.version = version;
        this.outage = new TargetOutage(target, stats, this::waiting);
        this.buffer = new SendBuffer("sender-" + (version == HttpClient.Version.HTTP_2 ? "h2" : "http"),
                bufferSize, stats, outage);
        // Until the connection is known to speak HTTP/2, one request at a time opens it.
        this.gate = new RetryGate(version == HttpClient.Version.HTTP_2);
        this.client = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build();
        int senders = version == HttpClient.Version.HTTP_2 ? MAX_STREAMS_IN_FLIGHT : MAX_IN_FLIGHT;
        for (int i = 0; i < senders; i++) {
            executor.submit(this::deliverUntilClosed);
        }
    }

    /** {@code /metrics} becomes {@code /metrics/batch}, System 1's batch route beside it. */
    static URI batchTargetOf(URI target) {
        String path = target.getRawPath() == null ? "" : target.getRawPath().replaceAll("/+$", "");
        return target.resolve(path + "/batch");
    }

    /** Never blocks: the metric waits its turn in the buffer (the oldest go if it is full). */
    @Override
    public void send(Metric metric) {
        buffer.add(metric);
    }

    /**
     * One sender: through the gate, take what is buffered (several when there is a backlog),
     * deliver it, and start again - until close() interrupts it.
     */
    private void deliverUntilClosed() {
        try {
            while (!closed) {
                RetryGate.Pass pass = gate.enter();
                List<Metric> metrics = buffer.take(batches.get() ? BATCH_MAX : 1, IDLE_POLL);
                if (metrics.isEmpty()) {
                    gate.abandon(pass);
                } else if (pass == RetryGate.Pass.FREE && gate.state() != RetryGate.State.OPEN) {
                    buffer.putBack(metrics); // shut while this sender waited for a metric
                } else {
                    deliver(metrics, pass);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close(): the thread ends here
        }
    }

    private void deliver(List<Metric> metrics, RetryGate.Pass pass) throws InterruptedException {
        boolean batch = metrics.size() > 1;
        stats.sent(metrics.size());
        HttpResponse<String> response;
        inFlight.addAndGet(metrics.size());
        try {
            response = client.send(request(batch ? batchTarget : target, json(metrics)),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            retryLater(metrics, pass, e instanceof HttpTimeoutException ? Failure.TIMEOUT : Failure.UNREACHABLE,
                    causeOf(e), Duration.ZERO);
            return;
        } catch (InterruptedException e) {
            buffer.putBack(metrics); // close(): unsent, and counted as such in the final line
            throw e;
        } finally {
            inFlight.addAndGet(-metrics.size());
        }
        int status = response.statusCode();
        boolean wrongVersion = response.version() != version;
        if (!wrongVersion && (status == 503 || status == 429 || status >= 500)) {
            retryLater(metrics, pass, status == 503 || status == 429 ? Failure.UNAVAILABLE : Failure.SERVER_ERROR,
                    status + " " + reasonOf(response.body()), retryAfter(response));
            return;
        }
        outage.answered(metrics.size()); // first: once the gate opens, other acks follow
        gate.answered(pass);
        if (wrongVersion) {
            stats.rejected(metrics.size(), "answered over " + response.version() + ", not " + version,
                    "the target does not speak h2c (System 1's is SYSTEM1_HTTP2_PORT, 4001)");
        } else if (status / 100 == 2) {
            stats.acked(metrics.size());
        } else if (batch && (status == 404 || status == 405)) {
            buffer.putBack(metrics);
            if (batches.compareAndSet(true, false)) {
                LOG.warn("target has no batch route; draining one metric per request",
                        "target", batchTarget.toString(), "status", status);
            }
        } else if (batch && (status == 400 || status == 413)) {
            // All or nothing: one bad metric refuses the batch. Alone, only it is refused.
            for (int i = 0; i < metrics.size(); i++) {
                try {
                    deliver(List.of(metrics.get(i)), RetryGate.Pass.FREE);
                } catch (InterruptedException e) {
                    buffer.putBack(metrics.subList(i + 1, metrics.size()));
                    throw e;
                }
            }
        } else {
            stats.rejected(metrics.size(), "HTTP " + status, reasonOf(response.body()));
        }
        outage.delivered();
    }

    /** Every request the senders make is built here: one place for the headers. */
    private static HttpRequest request(URI uri, String json) {
        return IngestToken.fromEnvironment().authorize(HttpRequest.newBuilder(uri))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** One metric as the contract's object; several as the batch route's array. */
    private static String json(List<Metric> metrics) {
        if (metrics.size() == 1) {
            return metrics.getFirst().toJson().toString();
        }
        JsonArray array = new JsonArray();
        for (Metric metric : metrics) {
            array.add(metric.toJson());
        }
        return array.toString();
    }

    /** Back into the buffer, first in line again; the gate decides when the next attempt goes. */
    private void retryLater(List<Metric> metrics, RetryGate.Pass pass, Failure kind, String cause,
                            Duration retryAfter) {
        buffer.putBack(metrics);
        if (closed) {
            return; // cancelled by close(): the target did nothing wrong
        }
        stats.retried(metrics.size());
        outage.failed(kind, cause);
        gate.failed(pass, retryAfter);
    }

    /**
     * RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date. System 1 sends seconds;
     * a date (or nonsense) leaves the wait to the backoff. Capped at RetryGate.MAX_RETRY_AFTER.
     */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        if (!value.matches("[0-9]{1,9}")) {
            return Duration.ZERO;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(value));
        return asked.compareTo(RetryGate.MAX_RETRY_AFTER) > 0 ? RetryGate.MAX_RETRY_AFTER : asked;
    }

    /**
     * The target's words: the contract's {@code reason}, or {@code error} and its
     * {@code details}; any other body as text. Cut, on one line.
     */
    static String reasonOf(String body) {
        String reason = body;
        try {
            JsonValue parsed = Json.parse(body);
            if (parsed.isObject()) {
                JsonObject answer = parsed.asObject();
                JsonValue details = answer.get("details");
                reason = answer.getString("reason", answer.getString("error", body))
                        + (details == null ? "" : " " + details);
            }
        } catch (ParseException | UnsupportedOperationException e) {
            // not the contract's JSON: the body as it came
        }
        String oneLine = reason.replaceAll("\\p{Cntrl}", " ").strip();
        return oneLine.length() <= MAX_REASON_CHARS ? oneLine : oneLine.substring(0, MAX_REASON_CHARS) + "...";
    }

    /**
     * The first words found along the causes. java.net.http throws a refused connect as a
     * ConnectException with no message at all (nor any in its causes), so that one is named
     * by what it typically means.
     */
    static String causeOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return error instanceof ConnectException
                ? "ConnectException: connection refused (nothing listening), or no route to the host"
                : error.getClass().getSimpleName();
    }

    /** The JDK's pool does not tell how many sockets it holds: 1 while the target answers. */
    @Override
    public int connectionsUp() {
        return outage.isDown() ? 0 : 1;
    }

    @Override
    public int buffered() {
        return buffer.size();
    }

    /** Buffered, and in requests under way. */
    private int waiting() {
        return buffer.size() + inFlight.get();
    }

    /** Stops the senders; what they held goes back to the buffer, reported as unsent. */
    @Override
    public void close() {
        closed = true;
        client.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
