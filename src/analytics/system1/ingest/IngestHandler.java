package analytics.system1.ingest;

import analytics.config.IngestToken;
import analytics.http.Handler;
import analytics.http.Http1Server;
import analytics.http.Request;
import analytics.http.Response;
import analytics.model.Metric;
import analytics.model.MetricValidator;
import analytics.model.UntrustedJson;
import analytics.stats.StatsRoutes;
import analytics.redis.RedisUnavailableException;
import com.eclipsesource.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * System 1's HTTP routes: POST /metrics and /metrics/batch into the Redis stream, GET
 * /healthz, /stats and /metrics/prometheus. It keeps nothing between requests - any number
 * of copies behind a load balancer would answer alike - and says 202 only once Redis has
 * the entry.
 *
 * Pattern: stateless ingest; checks ordered cheapest first (route, method, token, load,
 *          media type, size, syntax, meaning), so bad input costs little and never reaches
 *          Redis; the first four need the head only and run before the body is read.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: the contract's System 1 table; RFC 9110 §15
 * Not here: sockets and HTTP versions (Http1Server and Http2Server run it alike);
 *           the Redis round trip (StreamBatcher); measuring the group lag (GroupLag);
 *           counting what waits for Redis (PendingWrites); the token (IngestToken).
 * Threads: one instance, called on many virtual threads at once; each call blocks at most
 *          StreamBatcher.ANSWER_WITHIN for Redis.
 */
public final class IngestHandler implements Handler {

    public static final int MAX_BODY_BYTES = Http1Server.DEFAULT_MAX_BODY_BYTES;
    static final String JSON_MEDIA_TYPE = "application/json";
    static final String NOT_UTF8 = "body is not valid UTF-8";

    private final ShardedBatcher batcher;
    private final ShardedLag lag;
    private final PendingWrites pending;
    private final IngestToken token;
    private final IngestStats stats;
    private final StatsRoutes statsRoutes;
    /** An HTTP body is exactly a metric: no extra top-level fields (additionalProperties false). */
    private final MetricValidator validator = new MetricValidator(Set.of());

    IngestHandler(ShardedBatcher batcher, ShardedLag lag, PendingWrites pending, IngestToken token,
                  IngestStats stats) {
        this.batcher = batcher;
        this.lag = lag;
        this.pending = pending;
        this.token = token;
        this.stats = stats;
        this.statsRoutes = new StatsRoutes(this::health, stats::snapshot);
    }

    @Override
    public Response handle(Request request) {
        stats.countRequest(request.protocol()); // before the answer: GET /stats counts itself
        Response response = switch (request.path()) {
            case "/metrics" -> post(request) ? ingestOne(request) : IngestResponses.methodNotAllowed("POST");
            case "/metrics/batch" -> post(request) ? ingestBatch(request) : IngestResponses.methodNotAllowed("POST");
            default -> statsRoutes.handle(request); // /healthz, /stats, /metrics/prometheus, else 404
        };
        return counted(response);
    }

    /**
     * The checks a POST's head decides - the token, then the load - made before its body
     * is read; the transport sends a refusal at once and discards the body unread.
     */
    @Override
    public Response beforeBody(Request head) {
        String path = head.path();
        boolean ingestRoute = path.equals("/metrics") || path.equals("/metrics/batch");
        Response refused = ingestRoute && post(head) ? screen(head) : null;
        if (refused == null) {
            return null; // counted by handle(), which this request now goes on to
        }
        stats.countRequest(head.protocol());
        return counted(refused);
    }

    /**
     * 401 without the token; 503 while as many metrics wait for Redis as the limit allows -
     * a look only: tryAdmit decides once the metrics are counted. Null: go on.
     */
    private Response screen(Request request) {
        String authorization = request.header("Authorization");
        if (!token.authorizes(authorization)) {
            return IngestResponses.unauthorized(authorization != null);
        }
        if (pending.full()) {
            pending.countShed();
            return IngestResponses.unavailable(pending.refusal());
        }
        return null;
    }

    /** Every answer is counted once, wherever it was given: before the body or after. */
    private Response counted(Response response) {
        if (response.status() == 503) {
            stats.unavailable().increment();
        } else if (response.status() >= 400) {
            stats.rejected().increment();
        }
        return response;
    }

    private static boolean post(Request request) {
        return request.method().equals("POST");
    }

    private Response ingestOne(Request request) {
        Response refused = screen(request); // again: the transport may not have asked beforeBody
        if (refused != null) {
            return refused;
        }
        return withJsonBody(request, json -> {
            if (!json.isObject()) {
                return IngestResponses.invalidJson("expected a JSON object, got " + UntrustedJson.kindOf(json));
            }
            return switch (validator.validate(json.asObject())) {
                case MetricValidator.Invalid invalid -> IngestResponses.invalidPayload(invalid.errors());
                case MetricValidator.Valid valid -> {
                    String backlog = lag.refusal();
                    if (backlog != null) {
                        yield IngestResponses.unavailable(backlog); // before any write
                    }
                    if (!pending.tryAdmit(1)) {
                        yield IngestResponses.unavailable(pending.refusal()); // before any write
                    }
                    try {
                        String id = await(batcher.append(valid.metric()));
                        stats.accepted().increment();
                        yield IngestResponses.accepted(id);
                    } catch (RedisUnavailableException e) {
                        yield IngestResponses.unavailable(e.getMessage());
                    } finally {
                        pending.release(1);
                    }
                }
            };
        });
    }

    /** Beyond the original: a JSON array of metrics, validated all before any is written. */
    private Response ingestBatch(Request request) {
        Response refused = screen(request);
        if (refused != null) {
            return refused;
        }
        return withJsonBody(request, json -> {
            if (!json.isArray()) {
                return IngestResponses.invalidJson("expected a JSON array of metrics, got " + UntrustedJson.kindOf(json));
            }
            return switch (validator.validateBatch(json.asArray())) {
                case MetricValidator.Invalid invalid -> IngestResponses.invalidPayload(invalid.errors());
                case MetricValidator.ValidBatch valid -> writeBatch(valid.metrics());
            };
        });
    }

    /** The checks every POST shares, cheapest first: media type, size, UTF-8, JSON syntax. */
    private static Response withJsonBody(Request request, Function<JsonValue, Response> next) {
        Response refused = refuseBody(request);
        if (refused != null) {
            return refused;
        }
        String text = utf8(request.body());
        if (text == null) {
            return IngestResponses.invalidJson(NOT_UTF8);
        }
        JsonValue json;
        try {
            json = UntrustedJson.parse(text, MAX_BODY_BYTES);
        } catch (UntrustedJson.BadJsonException e) {
            return IngestResponses.invalidJson(e.getMessage());
        }
        return next.apply(json);
    }

    private Response writeBatch(List<Metric> metrics) {
        if (metrics.isEmpty()) {
            return IngestResponses.acceptedBatch(0); // nothing to write, so nothing can fail
        }
        String backlog = lag.refusal();
        if (backlog != null) {
            return IngestResponses.unavailable(backlog); // the whole batch, before any write
        }
        if (!pending.tryAdmit(metrics.size())) { // a batch counts as its metrics (PendingWrites)
            return IngestResponses.unavailable(pending.refusal());
        }
        try {
            await(batcher.appendAll(metrics));
            stats.accepted().add(metrics.size());
            return IngestResponses.acceptedBatch(metrics.size());
        } catch (RedisUnavailableException e) {
            return IngestResponses.unavailable(e.getMessage());
        } finally {
            pending.release(metrics.size());
        }
    }

    /** 415 before 413, as Express's body parser: the type is known before a byte is read. */
    private static Response refuseBody(Request request) {
        if (!isJson(request.header("Content-Type"))) {
            return IngestResponses.UNSUPPORTED_MEDIA_TYPE;
        }
        if (request.bodyTooLarge() || request.body().length > MAX_BODY_BYTES) {
            return IngestResponses.PAYLOAD_TOO_LARGE;
        }
        return null;
    }

    /**
     * The media type is the part before any parameters, compared ignoring case
     * (RFC 9110 §8.3.1): "Application/JSON; charset=utf-8" is JSON.
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().toLowerCase(Locale.ROOT).equals(JSON_MEDIA_TYPE);
    }

    /**
     * Strict UTF-8 (RFC 8259 §8.1), or null: malformed bytes make the body bad JSON, rather
     * than replacement characters that might then pass validation inside a serverId.
     */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Healthy when Redis answers a PING through the batcher now, not when it last did. */
    private Response health() {
        try {
            await(batcher.ping());
            return StatsRoutes.dependencyHealth("redis", null);
        } catch (RedisUnavailableException e) {
            return StatsRoutes.dependencyHealth("redis", e.getMessage());
        }
    }

    /**
     * Waits for the batcher. Bounded, though no timeout is given here: the batcher answers
     * or fails every job within StreamBatcher.ANSWER_WITHIN, so a request never hangs,
     * whatever Redis does. (A timed get() here arms and cancels a timer per request, which
     * cost about a quarter of the JVM's CPU under load; the batcher's one sweeper does not.)
     */
    private static <T> T await(CompletableFuture<T> future) throws RedisUnavailableException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisUnavailableException unavailable) {
                throw unavailable;
            }
            throw new RedisUnavailableException(RedisUnavailableException.reasonOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("shutting down");
        }
    }
}
