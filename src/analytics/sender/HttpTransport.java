package analytics.sender;

import analytics.log.Log;
import analytics.model.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends each metric as {@code POST /metrics} with a JSON body, expecting 202, on one shared
 * java.net.http client - HTTP/1.1, or HTTP/2 when asked.
 *
 * Pattern: one client, a bounded number of requests in flight - the client's pool reuses
 *          keep-alive connections, and the bound caps both sockets and memory when the
 *          target slows down.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 9110 §15.3.3 (202), RFC 7540 §3.2 (h2c)
 * Not here: retries (a lost sample is replaced by the next one, never resent).
 * Threads: send from the timer thread; answers complete on the client's virtual threads.
 *
 * HTTP/2 over cleartext: java.net.http asks for it with an "Upgrade: h2c" header on the
 * first request and stays on HTTP/1.1 when the server does not switch, which is what an
 * HTTP/1.1-only server such as System 1's ingest port does. So --mode h2 works against any
 * target, and uses HTTP/2 only where the server speaks it.
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
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI target;
    private final SenderStats stats;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile boolean closed;

    HttpTransport(URI target, HttpClient.Version version, SenderStats stats) {
        this.target = target;
        this.stats = stats;
        this.client = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(executor)
                .build();
    }

    @Override
    public void send(Metric metric) {
        if (!inFlight.tryAcquire()) {
            stats.failed();
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(metric.toJson().toString()))
                .build();
        stats.sent();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    inFlight.release();
                    answered(response, error);
                });
    }

    private void answered(HttpResponse<Void> response, Throwable error) {
        if (closed) {
            return; // cancelled by close(): the target did nothing wrong
        }
        if (error == null && response.statusCode() == 202) {
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
