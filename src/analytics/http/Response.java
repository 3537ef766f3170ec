package analytics.http;

import com.eclipsesource.json.JsonObject;
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

    /** {"error":"<reason phrase>"}: the shape of every plain error body of the contract. */
    public static Response error(int status) {
        return json(status, new JsonObject().add("error", reasonPhrase(status)));
    }

    public static Response text(int status, String contentType, String text) {
        return new Response(status, Headers.of("Content-Type", contentType), text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header field. */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body);
    }

    /** RFC 9110 §15's reason phrase for the statuses this project sends. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    /** The body as UTF-8 text; for tests and logs. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
