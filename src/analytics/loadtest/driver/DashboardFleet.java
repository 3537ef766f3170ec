package analytics.loadtest.driver;

import analytics.loadtest.measure.LatencyHistogram;
import analytics.websocket.WholeTextListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * N dashboards watching one system, each a WebSocket of the JDK's client, measuring how
 * long after its timestamp each metric reaches them: the delay a person at the screen sees,
 * from the metric's scheduled send through ingest, Redis or memory, and fan-out.
 *
 * System 1's broadcaster pushes {@code metric.processed} to every dashboard unasked;
 * System 2 pushes {@code metric.update} once a connection registers as a dashboard.
 * The timestamp is whole milliseconds, so a delay is up to 1 ms longer than it was.
 *
 * Pattern: end-to-end latency measured at the edge, where the user is.
 * Lesson:  lessons/19-load-testing-done-right.md   Contract: docs/CONTRACT.md (both
 *          WebSocket sections)
 * Not here: sending the metrics (a MetricSender).
 * Threads: the client's threads deliver; the histogram is shared and lock-free.
 */
final class DashboardFleet implements AutoCloseable {

    /** Which system's dashboard protocol to speak. */
    enum Kind {
        SYSTEM1("\"type\":\"metric.processed\"", null),
        SYSTEM2("\"type\":\"metric.update\"", "{\"type\":\"register\",\"role\":\"dashboard\"}");

        private final String updateType;
        private final String hello;

        Kind(String updateType, String hello) {
            this.updateType = updateType;
            this.hello = hello;
        }
    }

    private static final String TIMESTAMP = "\"timestamp\":";
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final Kind kind;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().executor(executor).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    /** Swapped whole at each level, so one level's figures never leak into the next. */
    private volatile LatencyHistogram delays = new LatencyHistogram();
    private volatile LongAdder deliveries = new LongAdder();
    private volatile long countFromMillis = Long.MAX_VALUE;
    private volatile long countToMillis = Long.MAX_VALUE;

    private DashboardFleet(Kind kind) {
        this.kind = kind;
    }

    static DashboardFleet connect(Kind kind, URI target, int dashboards, Duration timeout)
            throws IOException, InterruptedException {
        DashboardFleet fleet = new DashboardFleet(kind);
        try {
            for (int i = 0; i < dashboards; i++) {
                WebSocket ws = fleet.client.newWebSocketBuilder().connectTimeout(timeout)
                        .buildAsync(target, fleet.new Screen())
                        .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
                fleet.sockets.add(ws);
                if (kind.hello != null) {
                    ws.sendText(kind.hello, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            fleet.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("cannot open dashboard WebSocket " + (fleet.sockets.size() + 1)
                    + " to " + target + " (" + cause + ")", cause);
        }
        return fleet;
    }

    /** From now on, count metrics stamped in [from, to) (epoch ms): a level's window. */
    void countBetween(long fromMillis, long toMillis) {
        delays = new LatencyHistogram();
        deliveries = new LongAdder();
        countToMillis = toMillis;
        countFromMillis = fromMillis;
    }

    /**
     * Waits until no delivery arrived for {@link #QUIET}, at most {@link #SETTLE}: the last
     * metrics of a level are still on their way through Redis or a slow dashboard's queue.
     */
    void awaitQuiet() throws InterruptedException {
        long giveUp = System.nanoTime() + SETTLE.toNanos();
        for (long last = -1, now = deliveries(); now != last && System.nanoTime() - giveUp < 0; now = deliveries()) {
            last = now;
            Thread.sleep(QUIET);
        }
    }

    LatencyHistogram delays() {
        return delays;
    }

    long deliveries() {
        return deliveries.sum();
    }

    int size() {
        return sockets.size();
    }

    private void received(String text) {
        if (!text.contains(kind.updateType)) {
            return; // acks and the like
        }
        int at = text.indexOf(TIMESTAMP); // the payload's: neither envelope has a timestamp
        if (at < 0) {
            return;
        }
        long timestamp = parseLong(text, at + TIMESTAMP.length());
        if (timestamp < countFromMillis || timestamp >= countToMillis) {
            return;
        }
        Instant now = Instant.now();
        long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        delays.record(Math.max(0, nowMicros - timestamp * 1_000));
        deliveries.increment();
    }

    /**
     * Digits from {@code from}: a scan instead of a JSON parse, since 100 dashboards at 1,000
     * metrics/s are 100,000 messages a second and the driver must not be what is measured.
     */
    private static long parseLong(String text, int from) {
        long value = 0;
        for (int i = from; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** One dashboard: assembles each text message and hands it over. */
    private final class Screen extends WholeTextListener {

        @Override
        protected void onMessage(WebSocket webSocket, String text) {
            received(text);
        }
    }

    @Override
    public void close() {
        Goodbye.all(sockets, "load test done");
        client.shutdownNow();
        executor.shutdownNow();
    }
}
