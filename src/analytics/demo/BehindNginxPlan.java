package analytics.demo;

import analytics.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What `make run-behind-nginx` starts: System 1 scaled out on one machine - a private
 * Redis; two ingest processes, two worker processes and the broadcaster on free loopback
 * ports; nginx on the contract's ports (4000, 4001, 4002) in front of them; the dashboard
 * and fake servers posting through nginx. Built like DemoPlan (and from its parts), so it
 * can be read and tested without starting anything. With SYSTEM1_REDIS_CLUSTER set - as
 * `make run-cluster` sets it, after scripts/redis-cluster.sh has made a cluster - there is
 * no private Redis: every part reaches the cluster's nodes from its own environment.
 *
 * Pattern: configuration as data, a second plan for the same Supervisor.
 * Lesson:  lessons/21-scaling-system1-out.md
 * Not here: System 2 (make run has it); several hosts (docker-compose.yml).
 * Threads: immutable once built.
 */
final class BehindNginxPlan {

    static final int INGEST_COUNT = 2;
    /** Worker processes in the one consumer group, as on two hosts: they share every shard's entries. */
    static final int WORKER_PROCESSES = 2;

    private final Config config;
    private final DemoPlan parts;
    private final Path nginx;
    private final Path runDir;
    /** Each ingest's HTTP/1.1 and HTTP/2 ports, then the broadcaster's: behind nginx, any free ones. */
    private final int[] ingestHttpPorts = new int[INGEST_COUNT];
    private final int[] ingestHttp2Ports = new int[INGEST_COUNT];
    private final int broadcasterPort;

    BehindNginxPlan(Config config, Path redisExecutable, int redisPort, Path nginx, Path runDir) {
        this.config = config;
        this.parts = new DemoPlan(config, redisExecutable, redisPort, runDir);
        this.nginx = nginx;
        this.runDir = runDir;
        for (int i = 0; i < INGEST_COUNT; i++) {
            ingestHttpPorts[i] = freePort();
            ingestHttp2Ports[i] = freePort();
        }
        this.broadcasterPort = freePort();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    List<List<ChildProcess>> layers() {
        Config.System1 system1 = config.system1();
        List<ChildProcess> behindNginx = new ArrayList<>();
        for (int i = 0; i < INGEST_COUNT; i++) {
            behindNginx.add(parts.java("ingest-" + (i + 1), "analytics.system1.ingest.System1IngestMain",
                    Readiness.all(Readiness.httpOk(parts.http(ingestHttpPorts[i], "/healthz")),
                            Readiness.httpOk(parts.http(ingestHttp2Ports[i], "/healthz"))),
                    Map.of("SYSTEM1_HTTP_PORT", String.valueOf(ingestHttpPorts[i]),
                            "SYSTEM1_HTTP2_PORT", String.valueOf(ingestHttp2Ports[i]))));
        }
        for (int i = 0; i < WORKER_PROCESSES; i++) {
            behindNginx.add(parts.java("workers-" + (i + 1), "analytics.system1.worker.System1WorkersMain",
                    Readiness.started(), Map.of()));
        }
        behindNginx.add(parts.java("broadcaster", "analytics.system1.broadcast.System1BroadcasterMain",
                Readiness.httpOk(parts.http(broadcasterPort, "/healthz")),
                Map.of("SYSTEM1_WS_PORT", String.valueOf(broadcasterPort))));
        List<List<ChildProcess>> layers = new ArrayList<>();
        if (!config.redisCluster().enabled()) {
            layers.add(List.of(parts.redis()));
        }
        layers.add(List.copyOf(behindNginx));
        layers.addAll(List.of(
                List.of(
                        // Ready when a request through nginx reaches an ingest and the broadcaster.
                        new ChildProcess("nginx", PrivateRedis.stoppedWithParent(
                                NginxTemplate.command(nginx, nginxDirectory(), nginxConfigFile())),
                                Map.of(), runDir.resolve("nginx.log"), Readiness.all(
                                        Readiness.httpOk(parts.http(system1.httpPort(), "/healthz")),
                                        Readiness.httpOk(parts.http(system1.wsPort(), "/healthz")))),
                        parts.java("dashboard", "analytics.dashboard.DashboardMain",
                                Readiness.httpOk(parts.http(config.dashboardPort(), "/")), Map.of())),
                // FAKE_HTTP_TARGET defaults to port 4000: nginx's, now.
                List.of(parts.java("senders-http", "analytics.sender.SendersMain", Readiness.started(),
                        Map.of(), "--mode", "http"))));
        return List.copyOf(layers);
    }

    /** nginx's prefix: its configuration, pid file, temporary files and error log. */
    Path nginxDirectory() {
        return runDir.resolve("nginx");
    }

    private Path nginxConfigFile() {
        return nginxDirectory().resolve("nginx.conf");
    }

    /** scripts/nginx/nginx.conf.template for these ports. */
    String nginxConfig() throws IOException {
        Config.System1 system1 = config.system1();
        String bind = config.bindHost();
        return NginxTemplate.render(Files.readString(NginxTemplate.TEMPLATE), Map.of(
                "NGINX_HTTP_LISTEN", bind + ":" + system1.httpPort(),
                "NGINX_HTTP2_LISTEN", bind + ":" + system1.http2Port(),
                "NGINX_WS_LISTEN", bind + ":" + system1.wsPort(),
                "NGINX_INGEST_HTTP_SERVERS", NginxTemplate.servers(ingestHttpPorts),
                "NGINX_INGEST_HTTP2_SERVERS", NginxTemplate.servers(ingestHttp2Ports),
                "NGINX_BROADCASTER_SERVERS", NginxTemplate.servers(broadcasterPort)));
    }

    /** Writes nginx's configuration into its directory, before nginx starts. */
    void writeNginxConfig() throws IOException {
        Files.createDirectories(nginxDirectory());
        Files.writeString(nginxConfigFile(), nginxConfig());
    }

    Path redisDirectory() {
        return parts.redisDirectory();
    }

    String banner() {
        return config.redisCluster().enabled() ? bannerText() + clusterLines() : bannerText();
    }

    /** What the cluster adds to the banner: where its nodes are, and how to watch the shards. */
    private String clusterLines() {
        String first = config.redisCluster().nodes().getFirst();
        String port = first.substring(first.lastIndexOf(':') + 1);
        return """
                  Redis       a cluster: %1$s
                              the stream in %2$d shards, metrics:stream:{0} .. {%3$d}
                    redis-cli -p %4$s --cluster info %5$s
                    redis-cli -c -p %4$s XINFO GROUPS 'metrics:stream:{0}'
                """.formatted(String.join(",", config.redisCluster().nodes()), config.system1().streamShards(),
                config.system1().streamShards() - 1, port, first);
    }

    private String bannerText() {
        Config.System1 system1 = config.system1();
        return """

                  System 1 behind nginx is running. Ctrl-C stops everything.

                  nginx       POST http://localhost:%1$d/metrics (balanced per request)
                              h2c http://localhost:%2$d/metrics (balanced per connection)
                              dashboards ws://localhost:%3$d
                  ingest-1    http://127.0.0.1:%4$d/stats   h2c port %5$d
                  ingest-2    http://127.0.0.1:%6$d/stats   h2c port %7$d
                  broadcaster ws://127.0.0.1:%8$d
                  Dashboard   http://localhost:%9$d/   (System 1 only: System 2 is not started)
                  Senders     %10$d fake servers -> nginx over HTTP/1.1
                  Logs        %11$s/*.log   nginx's own files in %11$s/nginx/

                  Try next:
                    tail -f %11$s/nginx.log      (which ingest took each request: -> 127.0.0.1:port)
                    curl -s http://127.0.0.1:%4$d/stats ; echo ; curl -s http://127.0.0.1:%6$d/stats
                    curl -s --http2-prior-knowledge http://localhost:%2$d/healthz
                """.formatted(system1.httpPort(), system1.http2Port(), system1.wsPort(),
                ingestHttpPorts[0], ingestHttp2Ports[0], ingestHttpPorts[1], ingestHttp2Ports[1],
                broadcasterPort, config.dashboardPort(), config.fakeServers().count(),
                DemoPlan.shown(runDir));
    }
}
