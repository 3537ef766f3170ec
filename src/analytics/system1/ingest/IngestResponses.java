package analytics.system1.ingest;

import analytics.http.Response;
import analytics.model.FieldError;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.util.List;

/**
 * Every answer of System 1's ingest, spelled as the contract's System 1 table spells it,
 * so the table and this file can be held side by side.
 *
 * Pattern: the wire vocabulary in one place.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: the contract's System 1 table
 * Not here: deciding which answer applies (IngestHandler).
 * Threads: stateless; the constant responses are immutable and shared.
 */
final class IngestResponses {

    /** Seconds a client should wait after a 503: about one reconnect attempt of the batcher. */
    static final int RETRY_AFTER_SECONDS = 1;

    static final Response PAYLOAD_TOO_LARGE = error(413, "Payload too large");
    static final Response UNSUPPORTED_MEDIA_TYPE = error(415, "Unsupported Media Type");

    private IngestResponses() {
    }

    /** 405 with the methods the path does take (RFC 9110 §15.5.6 requires Allow). */
    static Response methodNotAllowed(String allow) {
        return error(405, "Method Not Allowed").withHeader("Allow", allow);
    }

    /** The body is not JSON, or not the JSON type the route takes; the parser's reason, field "". */
    static Response invalidJson(String reason) {
        return Response.json(400, new JsonObject()
                .add("error", "Invalid JSON")
                .add("details", new JsonArray().add(new FieldError("", reason).toJson())));
    }

    static Response invalidPayload(List<FieldError> errors) {
        return Response.json(400, new JsonObject()
                .add("error", "Invalid payload")
                .add("details", FieldError.toJson(errors)));
    }

    /** Beyond the original: the stream entry id, so a client can find its metric with XRANGE. */
    static Response accepted(String entryId) {
        return Response.json(202, new JsonObject().add("status", "accepted").add("id", entryId));
    }

    static Response acceptedBatch(int count) {
        return Response.json(202, new JsonObject().add("status", "accepted").add("count", count));
    }

    /**
     * 401 with the challenge RFC 9110 §11.6.1 requires. RFC 6750 §3.1: no error attribute
     * when no token came, {@code invalid_token} when a wrong one did.
     */
    static Response unauthorized(boolean tokenPresented) {
        String reason = tokenPresented ? "wrong bearer token" : "missing bearer token";
        String challenge = tokenPresented ? "Bearer realm=\"ingest\", error=\"invalid_token\""
                : "Bearer realm=\"ingest\"";
        return Response.json(401,
                        new JsonObject().add("error", "Unauthorized").add("reason", reason))
                .withHeader("WWW-Authenticate", challenge);
    }

    static Response unavailable(String reason) {
        return Response.json(503, new JsonObject().add("error", "Service Unavailable").add("reason", reason))
                .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }

    private static Response error(int status, String error) {
        return Response.json(status, new JsonObject().add("error", error));
    }
}
