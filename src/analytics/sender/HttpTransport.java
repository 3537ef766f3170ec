package analytics.sender;

import analytics.config.IngestToken;
import analytics.log.Log;
import analytics.model.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends each metric as {@code POST /metrics} with a JSON body, expecting 202, on one shared
 * java.net.http client - over HTTP/1.1, or over HTTP/2 to System 1's h2c port.
 *
 * Pattern: one client, a bounded number of requests in flight - the client's pool reuses
 *          keep-alive connections (HTTP/1.1: up to 128 of them; HTTP/2: one connection
 *          carrying many streams), and the bound caps sockets and memory when the target
 *          slows down.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 9110 §15.3.3 (202), RFC 7540 §3.2 (h2c)
 * Not here: retries (a lost sample is replaced by the next one, never resent).
 * Threads: send from the timer thread; answers complete on the client's virtual threads.
 *
 * HTTP/2 over cleartext: java.net.http asks for it with an "Upgrade: h2c" header on the
 * first request (it has no other way to start h2c) and would quietly stay on HTTP/1.1 when
 * the server does not switch. So in h2 mode one request goes first, alone: it opens the one
 * connection every later stream shares - many requests sent at once before it would each
 * open a connection of their own. After a transport error (the connection may be gone) one
 * request goes alone again. An answer over HTTP/1.1 is a failure, logged once, never a
 * silent fallback.
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

    private final URI target;
    private final SenderStats stats;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final HttpClient.Version version;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** HTTP/2: an answer came over HTTP/2 and no transport error since - streams may share it. */
    private final AtomicBoolean upgraded = new AtomicBoolean();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final AtomicBoolean wrongVersionLogged = new AtomicBoolean();
    private volatile boolean closed;

    HttpTransport(URI target, HttpClient.Version version, SenderStats stats) {
        this.target = target;
        this.stats = stats;
        this.version = version;
        this.maxInFlight = version == HttpClient.Version.HTTP_2 ? MAX_STREAMS_IN_FLIGHT : MAX_IN_FLIGHT;
        this.client = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build();
    }

    @Override
    public void send(Metric metric) {
        // Until the connection is known to speak HTTP/2, one request at a time opens it.
        int limit = version == HttpClient.Version.HTTP_2 && !upgraded.get() ? 1 : maxInFlight;
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            stats.failed();
            return;
        }
        HttpRequest request = IngestToken.fromEnvironment().authorize(HttpRequest.newBuilder(target))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(metric.toJson().toString()))
                .build();
        stats.sent();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    if (version == HttpClient.Version.HTTP_2) {
                        // Any answer over HTTP/2 - a 503 too - proves the connection switched;
                        // a transport error may have lost it, so the next one goes alone.
                        upgraded.set(error == null && response.version() == HttpClient.Version.HTTP_2);
                    }
                    inFlight.decrementAndGet();
                    answered(response, error);
                });
    }

    private void answered(HttpResponse<Void> response, Throwable error) {
        if (closed) {
            return; // cancelled by close(): the target did nothing wrong
        }
        if (error == null && response.version() != version) {
            stats.failed();
            if (wrongVersionLogged.compareAndSet(false, true)) {
                LOG.warn("target answered over " + response.version() + ", not " + version
                        + ": it does not speak h2c (System 1's is SYSTEM1_HTTP2_PORT, 4001)",
                        "target", target.toString());
            }
        } else if (error == null && response.statusCode() == 202) {
            stats.acked();
        } else {
            stats.failed();
            LOG.debug("metric not accepted", "status", error == null ? response.statusCode() : 0,
                    "error", String.valueOf(error));
        }
        // No socket to watch: "up" means the last request got an answer, whatever it was.
        boolean answered = error == null;
        // Many answers complete at once; compare-and-set logs each change exactly once.
        if (reachable.compareAndSet(!answered, answered)) {
            if (answered) {
                LOG.info("target answers again", "target", target.toString());
            } else {
                LOG.warn("target unreachable; still sending, failures counted",
                        "target", target.toString(), "error", String.valueOf(error));
            }
        }
    }

    /** The JDK's pool does not tell how many sockets it holds: 1 while the target answers. */
    @Override
    public int connectionsUp() {
        return reachable.get() ? 1 : 0;
    }

    @Override
    public void close() {
        closed = true;
        client.shutdownNow();
        executor.shutdownNow();
    }
}
