package analytics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** make run-behind-nginx's and make run-cluster's plan, read without starting anything (the live run: lesson 21). */
class BehindNginxPlanTest {

    private static final Pattern UPSTREAM_PORT = Pattern.compile("server 127\\.0\\.0\\.1:(\\d+);");

    private static BehindNginxPlan plan(Map<String, String> settings) {
        return new BehindNginxPlan(Config.from(settings), Path.of("/usr/bin/redis-server"), 6379,
                Path.of("/usr/sbin/nginx"), Path.of("build", "behind-nginx-plan-test"));
    }

    @Test
    void startsRedisThenSystem1ThenNginxAndTheDashboardThenTheSenders() {
        List<List<String>> names = plan(Map.of()).layers().stream()
                .map(layer -> layer.stream().map(ChildProcess::name).toList()).toList();
        assertEquals(List.of(List.of("redis"), List.of("ingest-1", "ingest-2", "workers-1", "workers-2", "broadcaster"),
                List.of("nginx", "dashboard"), List.of("senders-http")), names);
    }

    @Test
    void onARedisClusterNoPrivateRedisIsStartedAndTheBannerShowsTheShards() {
        BehindNginxPlan plan = plan(Map.of("SYSTEM1_REDIS_CLUSTER", "127.0.0.1:7000,127.0.0.1:7001",
                "SYSTEM1_STREAM_SHARDS", "4"));
        List<List<String>> names = plan.layers().stream()
                .map(layer -> layer.stream().map(ChildProcess::name).toList()).toList();
        assertEquals(List.of(List.of("ingest-1", "ingest-2", "workers-1", "workers-2", "broadcaster"),
                List.of("nginx", "dashboard"), List.of("senders-http")), names);
        String banner = plan.banner();
        assertTrue(banner.contains("a cluster: 127.0.0.1:7000,127.0.0.1:7001"), banner);
        assertTrue(banner.contains("metrics:stream:{0} .. {3}"), banner);
        assertTrue(banner.contains("redis-cli -p 7000 --cluster info 127.0.0.1:7000"), banner);
    }

    @Test
    void nginxTakesTheContractsPortsAndSendsToBothIngestsAndTheBroadcaster() throws Exception {
        String config = plan(Map.of("SYSTEM1_HTTP_PORT", "5000", "SYSTEM1_HTTP2_PORT", "5001",
                "SYSTEM1_WS_PORT", "5002")).nginxConfig();
        for (String listen : List.of("listen 127.0.0.1:5000;", "listen 127.0.0.1:5001;", "listen 127.0.0.1:5002;")) {
            assertTrue(config.contains(listen), listen + " in\n" + config);
        }
        Matcher upstream = UPSTREAM_PORT.matcher(config);
        List<String> ports = upstream.results().map(found -> found.group(1)).toList();
        // Two ingests on HTTP/1.1, the broadcaster, two ingests on h2c: five distinct free ports.
        assertEquals(5, ports.size(), config);
        assertEquals(5, ports.stream().distinct().count(), "each process its own port: " + ports);
        for (String port : ports) {
            assertNotEquals("5000", port, "nginx does not send to itself");
        }
    }
}
