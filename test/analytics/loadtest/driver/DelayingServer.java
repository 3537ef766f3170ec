package analytics.loadtest.driver;

import analytics.http.Http1Server;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny HTTP server with a known, injected slowness, for checking what the load driver
 * reports: every {@code slowEvery}-th request waits {@code slowMillis}, and during one
 * stall window every request waits until the window ends - a garbage-collection pause or a
 * blocked disk, as a server sees it. It answers 202 like System 1 and records when each
 * request arrived, so a test can also check the driver's arrival rate.
 *
 * Pattern: a measuring instrument is checked against a known input, not against itself.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: the JDK server runs each exchange on its own virtual thread.
 */
final class DelayingServer implements AutoCloseable {

    private final HttpServer server;
    private final int slowEvery;
    private final long slowMillis;
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private volatile long stallFrom = Long.MAX_VALUE;
    private volatile long stallTo = Long.MAX_VALUE;

    DelayingServer(int slowEvery, long slowMillis) throws IOException {
        this.slowEvery = slowEvery;
        this.slowMillis = slowMillis;
        Http1Server.applyJdkServerSettings(); // the JDK reads them once per JVM
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI metrics() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    /** Every request arriving in [from, to) (System.nanoTime()) is answered at {@code to}. */
    void stall(long fromNanos, long toNanos) {
        stallTo = toNanos;
        stallFrom = fromNanos;
    }

    /** Arrival times (System.nanoTime()) of the POSTs, in order of arrival. */
    long[] arrivals() {
        return arrivals.stream().mapToLong(Long::longValue).toArray();
    }

    private void answer(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                arrivals.add(arrived);
                if (requests.incrementAndGet() % slowEvery == 0) {
                    Thread.sleep(slowMillis);
                }
                if (arrived - stallFrom >= 0 && arrived - stallTo < 0) {
                    Thread.sleep((stallTo - arrived) / 1_000_000);
                }
            }
            exchange.sendResponseHeaders(202, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
