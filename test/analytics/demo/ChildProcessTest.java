package analytics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a child's end is told to the user: a crash of its own (an exit status) and a kill from
 * outside (a signal, which leaves no last words in its log) must not read the same, since
 * `make run` says it when a part dies (the fault campaign's demo-kills checks the whole path).
 */
class ChildProcessTest {

    @Test
    void tellsAnExitStatusFromAKillBySignal(@TempDir Path dir) throws Exception {
        ChildProcess exits = new ChildProcess("exits", List.of("sh", "-c", "echo bye; exit 78"), Map.of(),
                dir.resolve("exits.log"), Readiness.started());
        exits.start();
        exits.onExit().get(10, TimeUnit.SECONDS);
        assertEquals("exited with status 78", exits.howItEnded());
        assertEquals("bye", exits.lastLogLine());

        ChildProcess sleeps = new ChildProcess("sleeps", List.of("sleep", "30"), Map.of(),
                dir.resolve("sleeps.log"), Readiness.started());
        sleeps.start();
        assertEquals("is still running", sleeps.howItEnded());
        sleeps.kill();
        sleeps.awaitStop(Duration.ofSeconds(10));
        assertEquals("was killed by SIGKILL", sleeps.howItEnded());
    }
}
