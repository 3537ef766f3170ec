package analytics.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.ConfigMain;
import analytics.testing.Await;
import analytics.testing.FreePorts;
import analytics.testing.JavaProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of a *Main program as a real process: signals, exit codes, the supervisor watch. */
class StartupTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static boolean healthy(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    void aProgramStopsWhenItsSupervisorIsGoneEvenAfterKillMinus9(@TempDir Path dir) throws Exception {
        Process supervisor = new ProcessBuilder("sleep", "60").start();
        int port = FreePorts.any();
        try (JavaProcess system2 = JavaProcess.start("analytics.system2.System2Main",
                Map.of("SYSTEM2_WS_PORT", String.valueOf(port)), dir,
                "-D" + Startup.SUPERVISOR_PID + "=" + supervisor.pid())) {
            Await.until("System 2 is serving", Duration.ofSeconds(20), () -> healthy(port));

            supervisor.destroyForcibly().waitFor();

            assertEquals(0, system2.awaitExit(Duration.ofSeconds(15)),
                    "stopped through its shutdown hook, not killed; output:\n" + system2.output());
            assertTrue(system2.output().contains("the demo supervisor is gone"), system2.output());
        } finally {
            supervisor.destroyForcibly();
        }
    }

    @Test
    void sigintRunsTheGracefulShutdown(@TempDir Path dir) throws Exception {
        int port = FreePorts.any();
        try (JavaProcess system2 = JavaProcess.start("analytics.system2.System2Main",
                Map.of("SYSTEM2_WS_PORT", String.valueOf(port)), dir)) {
            Await.until("System 2 is serving", Duration.ofSeconds(20), () -> healthy(port));

            system2.signal("INT");

            // 130 = 128 + SIGINT: the JVM ran its hooks and exited because of the signal.
            assertEquals(130, system2.awaitExit(Duration.ofSeconds(15)), system2.output());
            assertTrue(system2.output().contains("shutting down"), system2.output());
        }
    }

    @Test
    void aSignalThatArrivesMidStartStillClosesWhatWasStarted(@TempDir Path dir) throws Exception {
        // The start has 2 s left when the signal comes: a budget that covers it, whatever .env says.
        try (JavaProcess program = JavaProcess.start(SlowStartProgram.class.getName(),
                Map.of("SHUTDOWN_TIMEOUT_MS", "10000"), dir)) {
            Await.until("the program is half started", Duration.ofSeconds(20),
                    () -> program.output().contains("listening"));

            program.signal("TERM");

            // 143 = 128 + SIGTERM; the hook waited for start() and closed its result.
            assertEquals(143, program.awaitExit(Duration.ofSeconds(15)), program.output());
            assertTrue(program.output().contains("closed"), program.output());
        }
    }

    @Test
    void aBusyPortEndsTheProgramWithOneLineAndStatus78(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             JavaProcess system2 = JavaProcess.start("analytics.system2.System2Main",
                     Map.of("SYSTEM2_WS_PORT", String.valueOf(taken.getLocalPort())), dir)) {

            assertEquals(ConfigMain.EXIT_BAD_CONFIG, system2.awaitExit(Duration.ofSeconds(15)));
            assertEquals("system2: SYSTEM2_WS_PORT " + taken.getLocalPort() + " is already in use",
                    system2.output().strip());
        }
    }
}
