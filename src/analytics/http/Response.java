package analytics.http;

import com.eclipsesource.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HTTP response as the application builds it: status, header fields, body bytes. The
 * transport adds what is its own (Content-Length, Date, Connection; HTTP/2's lower-case
 * names and :status).
 *
 * Pattern: transport-neutral value with small factory methods for the common shapes.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9110 §15, §8.3 (Content-Type)
 * Not here: streaming and trailers - every answer of the contract is a small JSON body.
 * Threads: treat as immutable; the body array is not copied, so never change it.
 */
public record Response(int status, Headers headers, byte[] body) {

    /** What the original's Express sent: JSON, explicitly UTF-8 (RFC 8259 §8.1). */
    public static final String JSON = "application/json; charset=utf-8";

    public Response {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not 100..599");
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    public static Response json(int status, JsonValue json) {
        return json(status, json.toString());
    }

    public static Response json(int status, String json) {
        return new Response(status, Headers.of("Content-Type", JSON), json.getBytes(StandardCharsets.UTF_8));
    }

    public static Response text(int status, String contentType, String text) {
        return new Response(status, Headers.of("Content-Type", contentType), text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header field. */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body);
    }

    /** The body as UTF-8 text; for tests and logs. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
