package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.testing.CapturedLog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class SendBufferTest {

    @AutoClose
    private final CapturedLog log = CapturedLog.at(Log.Level.INFO);
    private final SenderStats stats = new SenderStats();
    private final TargetOutage outage = new TargetOutage(URI.create("http://127.0.0.1:9/metrics"), stats, () -> 0);

    /** Metric n: server-n at timestamp n, so a list of them reads as the numbers. */
    private static Metric metric(int n) {
        return new Metric("server-" + n, n, 1, 2, 3, null, Map.of());
    }

    private static List<Long> timestamps(List<Metric> metrics) {
        return metrics.stream().map(Metric::timestamp).toList();
    }

    @Test
    void takesOldestFirstUpToTheAskedNumber() throws InterruptedException {
        SendBuffer buffer = new SendBuffer("test", 10, stats, outage);
        IntStream.rangeClosed(1, 5).forEach(n -> buffer.add(metric(n)));
        assertEquals(List.of(1L, 2L, 3L), timestamps(buffer.take(3, Duration.ZERO)));
        assertEquals(List.of(4L, 5L), timestamps(buffer.take(3, Duration.ZERO)));
        assertEquals(List.of(), buffer.take(3, Duration.ofMillis(1)), "empty: nothing after the wait");
        assertNull(buffer.takeOne(Duration.ZERO));
    }

    @Test
    void aFullBufferDropsExactlyTheOldestAndSaysSoOnce() throws InterruptedException {
        SendBuffer buffer = new SendBuffer("test", 3, stats, outage);
        IntStream.rangeClosed(1, 7).forEach(n -> buffer.add(metric(n)));
        assertEquals(4, stats.droppedTotal());
        assertEquals(List.of(5L, 6L, 7L), timestamps(buffer.take(10, Duration.ZERO)));
        List<String> warnings = log.lines().stream().map(line -> line.getString("message", "")).toList();
        assertEquals(List.of("buffer full: dropping the oldest metrics"), warnings, "one line, not four");
    }

    @Test
    void undeliveredMetricsGoBackBeforeNewerOnesInTheirOrder() throws InterruptedException {
        SendBuffer buffer = new SendBuffer("test", 10, stats, outage);
        IntStream.rangeClosed(1, 4).forEach(n -> buffer.add(metric(n)));
        List<Metric> taken = buffer.take(2, Duration.ZERO);
        buffer.add(metric(5));
        buffer.putBack(taken);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), timestamps(buffer.take(10, Duration.ZERO)));
        assertEquals(0, stats.droppedTotal());
    }

    @Test
    void metricsPutBackIntoAFullBufferAreTheOldestAndSoTheOnesDropped() throws InterruptedException {
        SendBuffer buffer = new SendBuffer("test", 3, stats, outage);
        buffer.add(metric(1));
        buffer.add(metric(2));
        List<Metric> inFlight = buffer.take(2, Duration.ZERO);
        IntStream.rangeClosed(3, 5).forEach(n -> buffer.add(metric(n)));
        buffer.putBack(inFlight); // the attempt failed while 3..5 arrived
        assertEquals(2, stats.droppedTotal());
        assertEquals(List.of(3L, 4L, 5L), timestamps(buffer.take(10, Duration.ZERO)));
    }

    @Test
    void refusesACapacityBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SendBuffer("test", 0, stats, outage));
        assertEquals("a send buffer holds at least 1 metric, not 0", e.getMessage());
    }
}
