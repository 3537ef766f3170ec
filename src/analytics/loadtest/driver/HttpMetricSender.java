package analytics.loadtest.driver;

import analytics.config.IngestToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Posts metrics to System 1 with the JDK's own HTTP client, over HTTP/1.1 or HTTP/2, and
 * counts a metric accepted when its answer is 202 over the protocol that was asked for.
 *
 * HTTP/1.1: one client whose pool holds {@code connections} keep-alive sockets, because
 * the load models never have more requests in flight than lanes(). HTTP/2: one client per
 * connection - java.net.http keeps one h2 connection per client and host - each carrying
 * {@code streams} streams at once.
 *
 * A metric sent is waited for until its deadline plus MetricSender.ABANDON, and counted
 * with its true latency when it is answered in that time.
 *
 * Pattern: a connection pool sized by the callers in flight; HTTP/2 multiplexing as
 *          streams per client.
 * Lesson:  lessons/19-load-testing-done-right.md   Spec: RFC 9113 §3.2 (h2c upgrade)
 * Not here: when metrics are sent (OpenLoad, ClosedLoad); raw-socket clients that skip the
 *           JDK client's own cost (analytics.loadtest.HttpRateBench, the second view).
 * Threads: send() from many virtual threads; each blocks only itself.
 *
 * Cleartext HTTP/2 from java.net.http always starts as an HTTP/1.1 request carrying
 * "Upgrade: h2c" - the client has no prior-knowledge mode. If several requests went out
 * before the first upgrade finished, each would open its own connection; so open() sends
 * one request alone on each client, and refuses a server that answers over HTTP/1.1.
 */
final class HttpMetricSender implements MetricSender {

    /** The contract's answer to an accepted metric (docs/CONTRACT.md: POST /metrics). */
    private static final int ACCEPTED = 202;

    private final URI target;
    private final HttpClient.Version version;
    private final MetricPayload payload;
    private final Duration timeout;
    private final int connections;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final int streams;
    private final HttpClient[] clients;

    /**
     * @param connections HTTP/1.1: sockets in the one pool; HTTP/2: clients, one socket each
     * @param streams     HTTP/2 only: requests in flight on each connection
     * @param timeout     for opening a connection (each metric has its own deadline)
     */
    HttpMetricSender(URI target, HttpClient.Version version, int connections, int streams,
                     MetricPayload payload, Duration timeout) {
        this.target = target;
        this.version = version;
        this.payload = payload;
        this.timeout = timeout;
        this.connections = connections;
        this.streams = streams;
        boolean http2 = version == HttpClient.Version.HTTP_2;
        this.clients = new HttpClient[http2 ? connections : 1];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(version)
                    .connectTimeout(timeout)
                    .executor(executor)
                    .build();
        }
    }

    @Override
    public void open() throws IOException, InterruptedException {
        URI health = target.resolve("/healthz");
        for (HttpClient client : clients) {
            HttpResponse<Void> answer;
            try {
                answer = client.send(HttpRequest.newBuilder(health).timeout(timeout).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new IOException("nothing answers at " + health + " (" + e + ")", e);
            }
            if (answer.version() != version) {
                throw new IOException(health + " answered over " + answer.version() + ", not "
                        + version + ": is it System 1's h2c port (SYSTEM1_HTTP2_PORT)?");
            }
        }
    }

    @Override
    public Outcome send(long seq, long timestampMillis, long deadlineNanos) throws InterruptedException {
        HttpRequest request = IngestToken.fromEnvironment().authorize(HttpRequest.newBuilder(target))
                .timeout(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())).plus(ABANDON))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.httpBody(seq, timestampMillis)))
                .build();
        HttpClient client = clients[(int) Math.floorMod(seq, (long) clients.length)];
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.version() != version) {
                return Outcome.WRONG_PROTOCOL;
            }
            return response.statusCode() == ACCEPTED ? Outcome.ACCEPTED : Outcome.status(response.statusCode());
        } catch (HttpConnectTimeoutException e) {
            return Outcome.connection(e); // a subclass of the timeout below, but the network's fault
        } catch (HttpTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (IOException e) {
            return Outcome.connection(e);
        }
    }

    @Override
    public int lanes() {
        return version == HttpClient.Version.HTTP_2 ? clients.length * streams : connections;
    }

    @Override
    public String transport() {
        return version == HttpClient.Version.HTTP_2 ? "h2" : "http/1.1";
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public void close() {
        for (HttpClient client : clients) {
            client.shutdownNow();
        }
        executor.shutdownNow();
    }
}
