package analytics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Headers;
import analytics.http.Protocol;
import analytics.http.Request;
import analytics.http.Response;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatsRoutesTest {

    /** A snapshot whose two renderings come from one field, as every system's do. */
    private record Counted(long total) implements StatsSnapshot {
        @Override
        public JsonObject toJson() {
            return new JsonObject().add("total", total);
        }

        @Override
        public String toPrometheus() {
            return new PrometheusText("test").counter("things_total", "Things.", total).toString();
        }
    }

    private final AtomicInteger snapshots = new AtomicInteger();
    private final StatsRoutes routes = new StatsRoutes(StatsRoutes::healthy,
            () -> new Counted(snapshots.incrementAndGet()));

    private static Request get(String method, String path) {
        return Request.of(Protocol.HTTP_1_1, method, path, Headers.EMPTY);
    }

    @Test
    void statsAndPrometheusRenderAFreshSnapshotEachTime() {
        Response stats = routes.handle(get("GET", "/stats"));
        assertEquals(200, stats.status());
        assertEquals(Response.JSON, stats.headers().first("Content-Type"));
        assertEquals(Json.parse("{\"total\":1}"), Json.parse(stats.bodyText()));
        Response prometheus = routes.handle(get("GET", "/metrics/prometheus"));
        assertEquals(PrometheusText.CONTENT_TYPE, prometheus.headers().first("Content-Type"));
        assertEquals("# HELP test_things_total Things.\n# TYPE test_things_total counter\ntest_things_total 2\n",
                prometheus.bodyText());
    }

    @Test
    void everyRouteIsOpenToOtherOrigins() {
        for (String path : new String[] {"/healthz", "/stats", "/metrics/prometheus"}) {
            assertEquals("*", routes.handle(get("GET", path)).headers().first("Access-Control-Allow-Origin"), path);
        }
    }

    @Test
    void headIsAnsweredLikeGet() {
        assertEquals(200, routes.handle(get("HEAD", "/healthz")).status());
    }

    @Test
    void anotherMethodGets405WithAllowAndNoSnapshotIsTaken() {
        Response response = routes.handle(get("POST", "/stats"));
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.headers().first("Allow"));
        assertEquals(Json.parse("{\"error\":\"Method Not Allowed\"}"), Json.parse(response.bodyText()));
        assertEquals(0, snapshots.get());
    }

    @Test
    void anyOtherPathGets404() {
        Response response = routes.handle(get("GET", "/statsx"));
        assertEquals(404, response.status());
        assertEquals(Json.parse("{\"error\":\"Not Found\"}"), Json.parse(response.bodyText()));
    }

    @Test
    void dependencyHealthIs200WhenUpAnd503WithTheReasonWhenDown() {
        Response up = StatsRoutes.dependencyHealth("redis", null);
        assertEquals(200, up.status());
        assertEquals(Json.parse("{\"status\":\"ok\",\"redis\":\"ready\"}"), Json.parse(up.bodyText()));
        Response down = StatsRoutes.dependencyHealth("redis", "Connection refused");
        assertEquals(503, down.status());
        assertEquals(Json.parse("{\"status\":\"unavailable\",\"redis\":\"Connection refused\"}"),
                Json.parse(down.bodyText()));
    }

    @Test
    void aLabelledCounterWritesOneEscapedLinePerValue() {
        Map<String, Long> byProtocol = new LinkedHashMap<>();
        byProtocol.put("h2", 3L);
        byProtocol.put("a\"b\\c", 1L);
        String text = new PrometheusText("system1").counter("requests_total", "Requests.", "protocol", byProtocol)
                .toString();
        assertEquals("# HELP system1_requests_total Requests.\n# TYPE system1_requests_total counter\n"
                + "system1_requests_total{protocol=\"h2\"} 3\n"
                + "system1_requests_total{protocol=\"a\\\"b\\\\c\"} 1\n", text);
    }

    @Test
    void theJvmBlockHasTheSameFiguresInBothRenderings() {
        JvmFigures jvm = new JvmFigures(100, 40, 200, 3, 7);
        assertEquals(Json.parse("{\"heapUsedBytes\":100,\"heapRetainedBytes\":40,\"heapMaxBytes\":200,"
                + "\"collections\":3,\"threads\":7}"), jvm.toJson());
        String text = jvm.addTo(new PrometheusText("x")).toString();
        assertTrue(text.contains("\nx_jvm_heap_used_bytes 100\n"), text);
        assertTrue(text.contains("\nx_jvm_heap_retained_bytes 40\n"), text);
        assertTrue(text.contains("\nx_jvm_heap_max_bytes 200\n"), text);
        assertTrue(text.contains(
                "\n# TYPE x_jvm_collections_total counter\nx_jvm_collections_total 3\n"), text);
        assertTrue(text.contains("\nx_jvm_threads 7\n"), text);
    }
}
