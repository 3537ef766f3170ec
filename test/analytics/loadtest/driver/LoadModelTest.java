package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The load models against DelayingServer, a real HTTP server over a real socket with a
 * known injected slowness: the driver must keep its arrival rate, find every tenth request
 * slow in its upper percentiles, and - the point of the open model - report a 500 ms stall
 * in its percentiles where the closed model shows it in only a handful of samples.
 */
class LoadModelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final MetricPayload PAYLOAD = new MetricPayload(100);

    private static LevelMeter open(DelayingServer server, int rate, long warmupMillis, long seconds,
                                   Map<Long, Long> stallAtMillis) throws Exception {
        try (HttpMetricSender sender = new HttpMetricSender(server.metrics(), HttpClient.Version.HTTP_1_1,
                16, 1, PAYLOAD, TIMEOUT)) {
            sender.open();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            long from = start + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            long to = from + TimeUnit.SECONDS.toNanos(seconds);
            stallAtMillis.forEach((at, length) -> server.stall(from + TimeUnit.MILLISECONDS.toNanos(at),
                    from + TimeUnit.MILLISECONDS.toNanos(at + length)));
            LevelMeter meter = new LevelMeter(from, to);
            OpenLoad.run(sender, rate, start, to, TIMEOUT, new AtomicLong(), meter,
                    new GeneratorWatch(meter));
            return meter;
        }
    }

    @Test
    void sendsAtTheScheduledRateWithoutDrift() throws Exception {
        try (DelayingServer server = new DelayingServer(Integer.MAX_VALUE, 0)) {
            LevelMeter meter = open(server, 500, 1_000, 3, Map.of());
            long[] arrivals = server.arrivals();
            // 1 s warm-up and 3 s measured at 500/s: 2,000 metrics, every one answered.
            assertEquals(2_000, arrivals.length);
            assertEquals(1_500, meter.acceptedInWindow(), 10);
            assertEquals(Map.of(), meter.errorsByKind());
            // After the warm-up (cold JIT, first connections), the count of arrivals keeps
            // up with the clock: at every half second it is within 0.15 s worth of 500/s.
            // A scheduler that drifted, or sent in bursts, would fall outside. (Not "each
            // half second holds 250": on a loaded 2-core machine a late tick is made up by
            // the next one, as it should be.)
            long from = arrivals[500];
            for (int half = 1; half <= 6; half++) {
                long at = from + half * 500_000_000L;
                long arrived = Arrays.stream(arrivals, 500, arrivals.length).filter(t -> t < at).count();
                assertEquals(250.0 * half, arrived, 75, "arrivals by " + half * 0.5 + " s after the warm-up");
            }
        }
    }

    @Test
    void findsEveryTenthRequestDelayedInTheUpperPercentiles() throws Exception {
        try (DelayingServer server = new DelayingServer(10, 20)) {
            LevelMeter meter = open(server, 200, 500, 3, Map.of());
            long p50 = meter.latencies().percentile(50);
            long p95 = meter.latencies().percentile(95);
            assertTrue(p50 < 15_000, "p50 " + p50 + " us: nine in ten are not delayed");
            assertTrue(p95 >= 20_000, "p95 " + p95 + " us: one in ten waits 20 ms");
            assertTrue(meter.latencies().max() >= 20_000);
            assertEquals(Map.of(), meter.errorsByKind());
        }
    }

    @Test
    void openModelShowsAStallThatTheClosedModelHides() throws Exception {
        long stallMillis = 500;
        LevelMeter openMeter;
        try (DelayingServer server = new DelayingServer(Integer.MAX_VALUE, 0)) {
            openMeter = open(server, 200, 300, 4, Map.of(1_500L, stallMillis));
        }
        LevelMeter closedMeter;
        try (DelayingServer server = new DelayingServer(Integer.MAX_VALUE, 0);
             HttpMetricSender sender = new HttpMetricSender(server.metrics(), HttpClient.Version.HTTP_1_1,
                     4, 1, PAYLOAD, TIMEOUT)) {
            sender.open();
            long from = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long to = from + TimeUnit.SECONDS.toNanos(4);
            server.stall(from + TimeUnit.MILLISECONDS.toNanos(1_500),
                    from + TimeUnit.MILLISECONDS.toNanos(1_500 + stallMillis));
            closedMeter = new LevelMeter(from, to);
            ClosedLoad.run(sender, 4, to, TIMEOUT, new AtomicLong(), closedMeter);
        }
        // Both saw the stall: their worst metric waited about as long as it lasted.
        assertTrue(openMeter.latencies().max() >= 450_000, "open max " + openMeter.latencies().max());
        assertTrue(closedMeter.latencies().max() >= 450_000, "closed max " + closedMeter.latencies().max());
        // Open: the ~100 metrics due during the stall each waited their share of it, so more
        // than 1 % of 800 waited over 200 ms and the p99 says so.
        long openP99 = openMeter.latencies().percentile(99);
        assertTrue(openP99 >= 200_000, "open p99 " + openP99 + " us");
        // Closed: only the 4 in flight waited; the thousands of fast ones bury them below p99.
        long closedP99 = closedMeter.latencies().percentile(99);
        assertTrue(closedP99 < 100_000, "closed p99 " + closedP99 + " us hides the stall");
        assertTrue(closedMeter.latencies().count() > 1_000, "closed sent " + closedMeter.latencies().count());
    }

    @Test
    void aMetricThatCannotBeSentByItsDeadlineIsATimeoutAndOneSentIsTimedTruthfully() throws Exception {
        // One connection, every answer 1 s late, a 300 ms timeout, 10 metrics/s for 0.5 s.
        try (DelayingServer server = new DelayingServer(1, 1_000);
             HttpMetricSender sender = new HttpMetricSender(server.metrics(), HttpClient.Version.HTTP_1_1,
                     1, 1, PAYLOAD, TIMEOUT)) {
            long from = System.nanoTime();
            LevelMeter meter = new LevelMeter(from, from + TimeUnit.SECONDS.toNanos(1));
            OpenLoad.run(sender, 10, from, from + TimeUnit.MILLISECONDS.toNanos(500), Duration.ofMillis(300),
                    new AtomicLong(), meter, new GeneratorWatch(meter));
            // The first went out at once and was accepted after 1 s: its latency says 1 s,
            // more than the timeout, because that is what it took.
            assertEquals(1, meter.latencies().count());
            assertTrue(meter.latencies().max() >= 1_000_000, "latency " + meter.latencies().max() + " us");
            // The other four waited for the one connection past their deadlines: given up,
            // never sent - the server saw one request.
            assertEquals(Map.of("timeout", 4L), meter.errorsByKind());
            assertEquals(1, server.arrivals().length);
        }
    }
}
