package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.system2.System2;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The WebSocket sender against a real System 2: acks matched by id, a lost server counted. */
class WebSocketMetricSenderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void everyMetricIsAcknowledgedByItsOwnAck() throws Exception {
        try (System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
             WebSocketMetricSender sender = new WebSocketMetricSender(
                     URI.create("ws://127.0.0.1:" + system2.port()), 3, new MetricPayload(20), TIMEOUT)) {
            sender.open();
            long from = System.nanoTime();
            LevelMeter meter = new LevelMeter(from, from + TimeUnit.SECONDS.toNanos(2));
            OpenLoad.run(sender, 300, from, from + TimeUnit.SECONDS.toNanos(1), TIMEOUT,
                    new AtomicLong(), meter, new GeneratorWatch(meter));
            assertEquals(Map.of(), meter.errorsByKind());
            assertEquals(300, meter.latencies().count());
        }
    }

    @Test
    void aServerThatIsGoneIsCountedAsConnectionErrorsNotAsSilence() throws Exception {
        System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
        try (WebSocketMetricSender sender = new WebSocketMetricSender(
                URI.create("ws://127.0.0.1:" + system2.port()), 2, new MetricPayload(20), TIMEOUT)) {
            sender.open();
            assertTrue(sender.send(1, System.currentTimeMillis(), deadline()).accepted());
            system2.close();
            Outcome afterClose = sender.send(2, System.currentTimeMillis(), deadline());
            Outcome nextOnOtherLink = sender.send(3, System.currentTimeMillis(), deadline());
            assertTrue(afterClose.errorKind().equals("connection") || afterClose.errorKind().startsWith("close-"),
                    afterClose.toString());
            assertTrue(nextOnOtherLink.errorKind().equals("connection")
                    || nextOnOtherLink.errorKind().startsWith("close-"), nextOnOtherLink.toString());
        }
    }

    private static long deadline() {
        return System.nanoTime() + TIMEOUT.toNanos();
    }

    @Test
    void opensOnlyWhenSomethingAnswers() {
        WebSocketMetricSender sender = new WebSocketMetricSender(URI.create("ws://127.0.0.1:1"), 1,
                new MetricPayload(1), TIMEOUT);
        IOException error = assertThrows(IOException.class, sender::open);
        assertTrue(error.getMessage().startsWith("cannot open a WebSocket to ws://127.0.0.1:1"), error.getMessage());
        sender.close();
    }
}
