package analytics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import analytics.testing.Await;
import analytics.testing.FreePorts;
import analytics.testing.JavaProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * `make run` as a whole process tree: the supervisor really starts Redis, both systems, the
 * dashboard and two senders; data flows end to end; and a Ctrl-C on its terminal, or even a
 * SIGKILL of the supervisor, leaves no process of the demo behind.
 */
class DemoSupervisionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int SERVERS = 5;

    /** Every port on a free number, so the test never meets a demo someone else runs. */
    private static Map<String, String> demoEnvironment(int redisPort) {
        Map<String, String> environment = new HashMap<>();
        for (String port : List.of("SYSTEM1_HTTP_PORT", "SYSTEM1_HTTP2_PORT", "SYSTEM1_WS_PORT",
                "SYSTEM2_WS_PORT", "DASHBOARD_PORT")) {
            environment.put(port, String.valueOf(FreePorts.any()));
        }
        environment.put("SYSTEM1_REDIS_PORT", String.valueOf(redisPort));
        environment.put("FAKE_SERVER_COUNT", String.valueOf(SERVERS));
        environment.put("FAKE_SERVER_INTERVAL_MS", "200");
        environment.put("SHUTDOWN_TIMEOUT_MS", "3000");
        return environment;
    }

    private static int get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long serversInRedis(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 1_000)) {
            return jedis.scard("metrics:servers");
        }
    }

    /** Every process the demo started before it exited, including those that lived briefly. */
    private static Set<ProcessHandle> everyChildUntilExit(JavaProcess demo) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (demo.handle().isAlive() && System.nanoTime() < deadline) {
            demo.descendants(); // each look is remembered by the fixture
            Thread.sleep(10);
        }
        return demo.descendants();
    }

    /** The order and the kill -9 guarantees rest on util-linux's setsid and setpriv (Linux). */
    private static void assumeUtilLinux() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs util-linux's setsid and setpriv (Linux)");
    }

    @Test
    void startsTheWholeDemoAndCtrlCStopsEveryProcessInOrder(@TempDir Path dir) throws Exception {
        assumeUtilLinux();
        int redisPort = FreePorts.any();
        Map<String, String> environment = demoEnvironment(redisPort);
        try (JavaProcess demo = JavaProcess.startAsJob("analytics.demo.DemoMain", environment, dir,
                "-Danalytics.run.dir=" + dir.resolve("run"))) {
            Await.until("the demo's banner", Duration.ofSeconds(60),
                    () -> demo.output().contains("Ctrl-C stops everything"));
            Set<ProcessHandle> started = demo.descendants();
            assertEquals(6, started.size(), "redis + system1 + system2 + dashboard + 2 senders: " + started);

            int dashboard = Integer.parseInt(environment.get("DASHBOARD_PORT"));
            assertEquals(200, get("http://127.0.0.1:" + dashboard + "/config.json"));
            Await.until("every fake server's metric went through System 1 into Redis",
                    Duration.ofSeconds(20), () -> serversInRedis(redisPort) == SERVERS);
            assertTrue(Files.size(dir.resolve("run/system2.log")) > 0, "each program logs to its own file");

            demo.pressCtrlC();

            assertEquals(130, demo.awaitExit(Duration.ofSeconds(40)), demo.output());
            for (ProcessHandle child : started) {
                assertFalse(child.isAlive(),
                        "left running after SIGINT: " + child.info().commandLine().orElse("pid " + child.pid()));
            }
            // Stopped, not killed: every Java program ran its shutdown hook within its budget.
            for (String program : List.of("system1", "system2", "dashboard", "senders-http", "senders-ws")) {
                String log = Files.readString(dir.resolve("run/" + program + ".log"));
                assertTrue(log.contains("shutting down") && !log.contains("budget exceeded"),
                        program + ".log:\n" + log);
            }
            // The terminal's SIGINT reached the supervisor alone; it stopped the rest in order,
            // so Redis got the supervisor's SIGTERM, and only after System 1 had finished.
            assertTrue(!demo.output().contains("unexpectedly"), demo.output());
            assertTrue(demo.output().contains("make run: stopped"), demo.output());
            assertTrue(Files.readString(dir.resolve("run/redis.log")).contains("Received SIGTERM"),
                    Files.readString(dir.resolve("run/redis.log")));
            String system1 = Files.readString(dir.resolve("run/system1.log"));
            assertFalse(system1.contains("lost the connection to Redis"), system1);
        }
    }

    @Test
    void killMinus9OfTheSupervisorStillLeavesNoProcessBehind(@TempDir Path dir) throws Exception {
        assumeUtilLinux();
        try (JavaProcess demo = JavaProcess.start("analytics.demo.DemoMain", demoEnvironment(FreePorts.any()), dir,
                "-Danalytics.run.dir=" + dir.resolve("run"))) {
            Await.until("the demo's banner", Duration.ofSeconds(60),
                    () -> demo.output().contains("Ctrl-C stops everything"));
            Set<ProcessHandle> started = demo.descendants();
            assertEquals(6, started.size(), "redis + system1 + system2 + dashboard + 2 senders: " + started);

            demo.signal("KILL"); // no shutdown hook runs: each child must notice on its own

            assertEquals(137, demo.awaitExit(Duration.ofSeconds(10)));
            // The JVMs poll for the supervisor's end; Redis gets the kernel's parent-death signal.
            Await.until("every program of the demo has ended", Duration.ofSeconds(30),
                    () -> started.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    void aBusyPortStopsTheDemoWithOneLineAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        Map<String, String> environment = demoEnvironment(FreePorts.any());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            environment.put("SYSTEM2_WS_PORT", String.valueOf(taken.getLocalPort()));
            try (JavaProcess demo = JavaProcess.start("analytics.demo.DemoMain", environment, dir,
                "-Danalytics.run.dir=" + dir.resolve("run"))) {
                Set<ProcessHandle> started = everyChildUntilExit(demo);

                assertEquals(1, demo.awaitExit(Duration.ofSeconds(40)));
                assertTrue(demo.output().contains("system2 exited with status 78: system2: SYSTEM2_WS_PORT "
                        + taken.getLocalPort() + " is already in use"), demo.output());
                assertTrue(started.size() >= 3, "Redis and the second layer were started: " + started);
                for (ProcessHandle child : started) {
                    assertTrue(!child.isAlive(), "left running: " + child.info().commandLine().orElse(""));
                }
            }
        }
    }
}
