package analytics.stats;

import analytics.http.Handler;
import analytics.http.Request;
import analytics.http.Response;
import com.eclipsesource.json.JsonObject;
import java.util.function.Supplier;

/**
 * The three read-only routes every server of the project answers - GET /healthz,
 * /stats and /metrics/prometheus - written once, served by the HTTP/1.1 port, the h2c
 * port and the plain-HTTP path of both WebSocket ports alike.
 *
 * Pattern: a reusable Handler composed into each system's routes; CORS open, because the
 *          dashboard page is served from another port and its scripts read these.
 * Lesson:  lessons/09-system2-fan-out.md   Spec: RFC 9110 §9.3.1-2 (GET, HEAD), §15.5.6 (405)
 * Not here: what a system counts (its StatsSnapshot) or how it checks its health.
 * Threads: called concurrently; the suppliers must be thread-safe.
 */
public final class StatsRoutes implements Handler {

    public static final String HEALTHZ = "/healthz";
    public static final String STATS = "/stats";
    public static final String PROMETHEUS = "/metrics/prometheus";

    private final Supplier<Response> health;
    private final Supplier<? extends StatsSnapshot> snapshot;

    /**
     * @param health   the /healthz answer, computed per request (see {@link #healthy} and
     *                 {@link #dependencyHealth})
     * @param snapshot the system's figures now
     */
    public StatsRoutes(Supplier<Response> health, Supplier<? extends StatsSnapshot> snapshot) {
        this.health = health;
        this.snapshot = snapshot;
    }

    /** Whether {@code path} is one of these routes (for a system's own route switch). */
    public static boolean serves(String path) {
        return path.equals(HEALTHZ) || path.equals(STATS) || path.equals(PROMETHEUS);
    }

    /** The three routes; 404 for any other path, 405 for a method other than GET or HEAD. */
    @Override
    public Response handle(Request request) {
        if (!serves(request.path())) {
            return Response.error(404);
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.error(405).withHeader("Allow", "GET, HEAD");
        }
        Response response = switch (request.path()) {
            case HEALTHZ -> health.get();
            case STATS -> Response.json(200, snapshot.get().toJson());
            default -> Response.text(200, PrometheusText.CONTENT_TYPE, snapshot.get().toPrometheus());
        };
        return response.withHeader("Access-Control-Allow-Origin", "*");
    }

    /** 200 {"status":"ok"}: a system that depends on nothing outside its process. */
    public static Response healthy() {
        return Response.json(200, new JsonObject().add("status", "ok"));
    }

    /**
     * 200 {"status":"ok","redis":"ready"} while the dependency is up, else
     * 503 {"status":"unavailable","redis":"<why>"} - the contract's shape for System 1.
     *
     * @param downReason null while the dependency is up
     */
    public static Response dependencyHealth(String dependency, String downReason) {
        if (downReason == null) {
            return Response.json(200, new JsonObject().add("status", "ok").add(dependency, "ready"));
        }
        return Response.json(503, new JsonObject().add("status", "unavailable").add(dependency, downReason));
    }
}
