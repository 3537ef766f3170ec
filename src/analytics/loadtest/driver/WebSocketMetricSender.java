package analytics.loadtest.driver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends metrics to System 2 as producer messages over {@code connections} WebSockets of the
 * JDK's client, metric n on connection n mod connections, each acknowledged by its id.
 *
 * Pattern: the same strategy as the HTTP senders, so WebSocket is measured by the same
 *          clock: latency runs from the metric's scheduled time to its own ack.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: one connection's sending, ack matching and reconnecting (ProducerLink).
 * Threads: send() from many virtual threads.
 */
final class WebSocketMetricSender implements MetricSender {

    /**
     * Metrics awaiting their ack on one connection at once. A WebSocket carries them back to
     * back, so this bounds only how much of a stall one connection can hold; 20 keeps 50
     * connections at 10,000 metrics/s with room for 100 ms of ack latency.
     */
    static final int IN_FLIGHT_PER_CONNECTION = 20;

    private final MetricPayload payload;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().executor(executor).build();
    private final ProducerLink[] links;

    WebSocketMetricSender(URI target, int connections, MetricPayload payload, Duration timeout) {
        this.payload = payload;
        this.links = new ProducerLink[connections];
        for (int i = 0; i < connections; i++) {
            links[i] = new ProducerLink(target, client, timeout);
        }
    }

    @Override
    public void open() throws IOException, InterruptedException {
        for (ProducerLink link : links) {
            link.connect();
        }
    }

    @Override
    public Outcome send(long seq, long timestampMillis, long deadlineNanos) throws InterruptedException {
        ProducerLink link = links[(int) Math.floorMod(seq, (long) links.length)];
        return link.send(seq, payload.webSocketMessage(seq, timestampMillis), deadlineNanos);
    }

    @Override
    public int lanes() {
        return links.length * IN_FLIGHT_PER_CONNECTION;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public int connections() {
        return links.length;
    }

    @Override
    public void close() {
        List<WebSocket> open = new ArrayList<>();
        for (ProducerLink link : links) {
            if (link.socket() != null) {
                open.add(link.socket());
            }
        }
        Goodbye.all(open, "load test done");
        client.shutdownNow();
        executor.shutdownNow();
    }
}
