package analytics.demo;

import analytics.config.Config;
import analytics.lifecycle.Startup;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What `make run` starts, in which order, and what it tells the user: three layers of
 * programs (Redis; the two systems and the dashboard; the senders) and the short block of
 * URLs printed once everything is ready.
 *
 * Pattern: configuration as data - the plan is built from Config and only then executed,
 *          so it can be read (and tested) without starting anything.
 * Lesson:  lessons/16-one-command-demo.md
 * Threads: immutable once built.
 */
final class DemoPlan {

    private final Config config;
    private final Path redisExecutable;
    private final int redisPort;
    private final Path runDir;
    /** Where the programs are reached from this machine (BIND_HOST 0.0.0.0 is not an address to connect to). */
    private final String host;

    DemoPlan(Config config, Path redisExecutable, int redisPort, Path runDir) {
        this.config = config;
        this.redisExecutable = redisExecutable;
        this.redisPort = redisPort;
        this.runDir = runDir;
        String bind = config.bindHost();
        this.host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    List<List<ChildProcess>> layers() {
        return List.of(
                List.of(redis()),
                List.of(
                        java("system1", "analytics.system1.System1Main", Readiness.all(
                                Readiness.httpOk(http(config.system1().httpPort(), "/healthz")),
                                Readiness.httpOk(http(config.system1().http2Port(), "/healthz")))),
                        java("system2", "analytics.system2.System2Main",
                                Readiness.httpOk(http(config.system2().wsPort(), "/healthz"))),
                        java("dashboard", "analytics.dashboard.DashboardMain",
                                Readiness.httpOk(http(config.dashboardPort(), "/")))),
                List.of(
                        java("senders-http", "analytics.sender.SendersMain", Readiness.started(),
                                "--mode", "http"),
                        // A fleet of its own (server-11..20 by default), so the dashboard
                        // shows both protocols side by side.
                        java("senders-h2", "analytics.sender.SendersMain", Readiness.started(),
                                "--mode", "h2", "--first", String.valueOf(config.fakeServers().count() + 1)),
                        java("senders-ws", "analytics.sender.SendersMain", Readiness.started(),
                                "--mode", "ws")));
    }

    /** Redis's working directory; it must exist before Redis starts. */
    Path redisDirectory() {
        return runDir.resolve("redis");
    }

    ChildProcess redis() {
        return new ChildProcess("redis",
                PrivateRedis.stoppedWithParent(
                        PrivateRedis.command(redisExecutable, redisPort, redisDirectory().toAbsolutePath())),
                Map.of(), runDir.resolve("redis.log"), Readiness.redisPing("127.0.0.1", redisPort));
    }

    /**
     * A program of this project in a JVM of its own, with the same java and class path as
     * the demo itself, pointed at the private Redis, and told the supervisor's pid. The senders need no target: unless
     * FAKE_HTTP_TARGET / FAKE_WS_TARGET are set, Config aims them at the ports started here.
     */
    private ChildProcess java(String name, String mainClass, BooleanSupplier ready,
                              String... args) {
        return java(name, mainClass, ready, Map.of(), args);
    }

    /** The same, with {@code settings} added to its environment (its own ports, say). */
    ChildProcess java(String name, String mainClass, BooleanSupplier ready,
                      Map<String, String> settings, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Startup stops a program whose supervisor is gone, even after a kill -9.
                "-D" + Startup.SUPERVISOR_PID + "=" + ProcessHandle.current().pid(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(settings);
        environment.putAll(Map.of(
                "SYSTEM1_REDIS_HOST", "127.0.0.1",
                "SYSTEM1_REDIS_PORT", String.valueOf(redisPort),
                // The private Redis has no users or passwords, whatever .env says.
                "SYSTEM1_REDIS_USERNAME", "",
                "SYSTEM1_REDIS_PASSWORD", ""));
        return new ChildProcess(name, command, environment, runDir.resolve(name + ".log"), ready);
    }

    URI http(int port, String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    /** run/ rather than /home/you/project/run/: shorter, and what the lessons say. */
    static Path shown(Path directory) {
        Path here = Path.of("").toAbsolutePath();
        return directory.startsWith(here) ? here.relativize(directory) : directory;
    }

    /** The block printed once everything is ready: where to look, and what to try. */
    String banner() {
        int fake = config.fakeServers().count();
        return """

                  Real-Time Analytics Dashboard is running. Ctrl-C stops everything.

                  Dashboard   http://localhost:%1$d/
                  System 1    POST http://localhost:%2$d/metrics   stats http://localhost:%2$d/stats   dashboards ws://localhost:%3$d
                              HTTP/2 (h2c) http://localhost:%9$d/metrics
                  System 2    ws://localhost:%4$d                  stats http://localhost:%4$d/stats
                  Redis       127.0.0.1:%5$d (private, in memory)
                  Senders     %6$d fake servers -> System 1 over HTTP/1.1, %6$d more over HTTP/2,
                              %6$d -> System 2 over WebSocket
                  Logs        %7$s/*.log

                  Try next:
                    open the dashboard, switch between System 1 and System 2, pick one server
                    redis-cli -p %5$d XINFO GROUPS %8$s     (the consumer group at work)
                    curl -s http://localhost:%4$d/stats     (System 2's own figures)
                    curl -s --http2-prior-knowledge http://localhost:%9$d/stats   (requestsByProtocol)
                    tail -f %7$s/system1.log
                """.formatted(config.dashboardPort(), config.system1().httpPort(), config.system1().wsPort(),
                config.system2().wsPort(), redisPort, fake, shown(runDir), config.system1().streamKey(),
                config.system1().http2Port());
    }
}
