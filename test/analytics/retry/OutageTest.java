package analytics.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.CapturedLog;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Outage alone: its log lines, its reason, its pause - no Redis needed. */
class OutageTest {

    private static final Log LOG = Log.get("OutageTest");
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @AutoClose
    private final CapturedLog captured = CapturedLog.at(Log.Level.INFO);
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Each line as "level message". */
    private List<String> levelsAndMessages() {
        return captured.lines().stream()
                .map(line -> line.getString("level", "") + " " + line.getString("message", ""))
                .toList();
    }

    /** Waits of 15 to 30 s: a pause that ends within DEADLINE was cut short. */
    private static Backoff longBackoff() {
        return new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private Outage startingUp() {
        return Outage.startingUp(LOG, "lost", "back", stopping::get);
    }

    @Test
    void logsOneWarningPerOutageAndOneInfoWhenItEnds() {
        Outage outage = startingUp();
        outage.down("refused", "consumer", "c1");
        outage.down("refused again", "consumer", "c1");
        outage.down("timed out", "consumer", "c1");
        outage.up("address", "127.0.0.1:6379");
        outage.up("address", "127.0.0.1:6379");
        outage.down("reset", "consumer", "c1");

        List<JsonObject> lines = captured.lines();
        assertEquals(List.of("warn lost", "info back", "warn lost"), levelsAndMessages());
        assertEquals("refused", lines.get(0).getString("reason", ""), "the outage's first reason");
        assertEquals("c1", lines.get(0).getString("consumer", ""));
        assertEquals("127.0.0.1:6379", lines.get(1).getString("address", ""));
        assertEquals("reset", lines.get(2).getString("reason", ""));
    }

    @Test
    void reasonIsTheLatestFailureAndClearedOnRecovery() {
        Outage outage = startingUp();
        assertNull(outage.reason());
        outage.down("refused");
        outage.down("timed out");
        assertEquals("timed out", outage.reason());
        outage.up();
        assertNull(outage.reason());
    }

    @Test
    void startingDownIsNotConnectedYetAndItsFirstFailureIsNoNews() {
        Outage outage = Outage.startingDown(LOG, "lost", "back", stopping::get);
        assertEquals(Outage.NOT_CONNECTED_YET, outage.reason());
        outage.down("refused");
        assertEquals("refused", outage.reason());
        assertEquals(List.of(), captured.lines(), "the owner's start line reports it");
        outage.up();
        assertEquals(List.of("info back"), levelsAndMessages());
    }

    @Test
    void failuresWhileTheOwnerStopsAreNoOutage() {
        Outage outage = startingUp();
        stopping.set(true);
        outage.down("socket closed");
        assertNull(outage.reason());
        assertEquals(List.of(), captured.lines());
    }

    @Test
    void atDebugLogsBothLinesAtDebug() {
        Log.setThreshold(Log.Level.DEBUG);
        Outage outage = startingUp().atDebug();
        outage.down("refused");
        outage.up();
        assertEquals(List.of("debug lost", "debug back"), levelsAndMessages());
    }

    @Test
    void pausesGrowUntilARecoveryStartsThemOver() {
        Outage outage = startingUp().with(new Backoff(Duration.ofMillis(8), Duration.ofMillis(32)));
        List<Duration> asked = new ArrayList<>();
        // Sleeps all it is asked for, so each pause calls it once, with the whole wait.
        Outage.Waiter recording = atMost -> {
            asked.add(atMost);
            Thread.sleep(atMost);
        };
        for (int i = 0; i < 4; i++) {
            assertTrue(outage.pause(recording));
        }
        outage.up();
        assertTrue(outage.pause(recording));

        long[] ceilings = {8, 16, 32, 32, 8};
        assertEquals(ceilings.length, asked.size());
        for (int i = 0; i < ceilings.length; i++) {
            long wait = asked.get(i).toMillis();
            assertTrue(wait >= ceilings[i] / 2 && wait <= ceilings[i], "pause " + (i + 1) + ": "
                    + wait + " ms is not in [" + ceilings[i] / 2 + ", " + ceilings[i] + "]");
        }
    }

    @Test
    void theDefaultBackoffStartsAtAHundredMilliseconds() {
        Outage outage = startingUp();
        AtomicReference<Duration> asked = new AtomicReference<>();
        assertTrue(outage.pause(atMost -> {
            asked.set(atMost);
            Thread.sleep(atMost);
        }));
        long wait = asked.get().toMillis();
        assertTrue(wait >= 50 && wait <= 100, wait + " ms is not in [50, 100]");
    }

    @Test
    void anInterruptEndsAPauseAndKeepsTheFlag() throws Exception {
        Outage outage = startingUp().with(longBackoff());
        AtomicReference<Boolean> result = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread pausing = Thread.ofPlatform().start(() -> {
            result.set(outage.pause());
            flagKept.set(Thread.currentThread().isInterrupted());
        });
        Await.until("the pause sleeps", DEADLINE,
                () -> pausing.getState() == Thread.State.TIMED_WAITING);
        pausing.interrupt();
        assertTrue(pausing.join(DEADLINE), "a 30 s pause outlived its interrupt");
        assertFalse(result.get(), "an interrupted pause says: stop");
        assertTrue(flagKept.get());
    }

    @Test
    void anOwnerThatStopsEndsAPauseWithoutAnInterrupt() throws Exception {
        Outage outage = startingUp().with(longBackoff());
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread pausing = Thread.ofVirtual().start(() -> result.set(outage.pause()));
        Await.until("the pause sleeps", DEADLINE,
                () -> pausing.getState() == Thread.State.TIMED_WAITING);
        stopping.set(true);
        assertTrue(pausing.join(DEADLINE), "a 30 s pause did not see its owner stop");
        assertFalse(result.get());
    }

    @Test
    void aPauseOfAStoppingOwnerReturnsAtOnce() {
        Outage outage = startingUp().with(longBackoff());
        stopping.set(true);
        assertFalse(outage.pause());
        assertFalse(outage.pauseFor(Duration.ofSeconds(30)));
    }
}
