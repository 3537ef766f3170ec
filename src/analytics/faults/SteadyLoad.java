package analytics.faults;

import analytics.faults.Ledger.Answer;
import analytics.loadtest.measure.DueTime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of POST /metrics at a fixed rate over one HTTP version, every metric with
 * a serverId of its own, every answer written in the ledger. It keeps its pace while the
 * system is failing - the point is to be there when the fault happens.
 *
 * Pattern: open-model load for fault tests: a fixed number of lanes, each due at its own
 *          schedule, so a slow answer delays nothing else.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: measuring latency (the load driver, lesson 19).
 * Threads: one virtual thread per lane; stop() from the campaign's main thread.
 */
final class SteadyLoad implements AutoCloseable {

    private static final int LANES = 8;
    /** Longer than ingest's own Redis timeouts: a request with no answer by then is a hang. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final URI target;
    private final String prefix;
    private final long intervalNanos;
    private final Ledger ledger;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> lanes = new ArrayList<>();

    /**
     * @param prefix    serverIds are prefix-0, prefix-1, ...
     * @param perSecond metrics per second over all lanes
     */
    SteadyLoad(HttpClient.Version version, URI target, String prefix, int perSecond, Ledger ledger) {
        this.client = HttpClient.newBuilder().version(version)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.target = target;
        this.prefix = prefix;
        this.intervalNanos = 1_000_000_000L * LANES / perSecond;
        this.ledger = ledger;
    }

    /**
     * Starts the lanes. The first request is sent alone: over HTTP/2 it carries the h2c
     * upgrade, and the lanes then share the one connection it opened.
     */
    SteadyLoad start() {
        send();
        long start = System.nanoTime();
        for (int lane = 0; lane < LANES; lane++) {
            long offset = intervalNanos * lane / LANES;
            lanes.add(Thread.ofVirtual().name(prefix + "-lane-" + lane).start(() -> {
                // A lane held up by a slow answer skips the slots it missed rather than
                // bursting to catch up: the system is probed at the rate, never above it.
                for (long due = start + offset; running.get();
                     due = Math.max(due + intervalNanos, System.nanoTime())) {
                    DueTime.await(due);
                    send();
                }
            }));
        }
        return this;
    }

    /** A valid metric of the contract, stamped now. */
    static String metric(String serverId) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":50,\"memory\":40,\"disk\":30,\"network\":{\"in\":100,\"out\":50}}}";
    }

    private void send() {
        String serverId = prefix + "-" + sequence.getAndIncrement();
        String body = metric(serverId);
        HttpRequest request = HttpRequest.newBuilder(target).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            switch (response.statusCode()) {
                case 202 -> ledger.record(serverId, Answer.ACCEPTED, "");
                case 503 -> ledger.record(serverId, Answer.REFUSED, "");
                default -> ledger.record(serverId, Answer.OTHER_STATUS,
                        "status " + response.statusCode() + ": " + cut(response.body()));
            }
        } catch (IOException e) {
            ledger.record(serverId, Answer.NO_ANSWER, e.toString());
        } catch (InterruptedException e) {
            ledger.record(serverId, Answer.NO_ANSWER, "interrupted");
            Thread.currentThread().interrupt();
        }
    }

    private static String cut(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    /** Stops sending and waits for every answer still on its way. */
    @Override
    public void close() {
        running.set(false);
        try {
            for (Thread lane : lanes) {
                lane.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.shutdownNow();
    }
}
