package analytics.http;

import java.util.Objects;

/**
 * One HTTP request as the application sees it, whichever protocol carried it: method,
 * path, header fields and the whole body, already read within the server's limit. Every
 * server of the project - HTTP/1.1, HTTP/2, the plain-HTTP path of the WebSocket ports -
 * hands the same record to the same Handler.
 *
 * Pattern: transport-neutral value; the adapter fills it, the handler reads it.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9110 §6 (message abstraction)
 * Not here: the query string (no route of the contract needs one) and streaming bodies.
 * Threads: treat as immutable; the body array is not copied, so never change it.
 *
 * @param path         the target's path, without the query string
 * @param body         the bytes read; empty when {@code bodyTooLarge}
 * @param bodyTooLarge the body was over the server's limit and was not read: the handler
 *                     decides the answer (413 after its other checks)
 * @param protocol     which protocol carried it (for figures; routes never depend on it)
 */
public record Request(String method, String path, Headers headers, byte[] body, boolean bodyTooLarge,
                      Protocol protocol) {

    private static final byte[] NO_BODY = new byte[0];

    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** A request whose body was read in full. */
    public static Request of(Protocol protocol, String method, String path, Headers headers, byte[] body) {
        return new Request(method, path, headers, body, false, protocol);
    }

    /** A request without a body (a GET), as tests and the WebSocket ports' plain path build it. */
    public static Request of(Protocol protocol, String method, String path, Headers headers) {
        return new Request(method, path, headers, NO_BODY, false, protocol);
    }

    /** A request whose body was over the limit and was left unread. */
    public static Request bodyTooLarge(Protocol protocol, String method, String path, Headers headers) {
        return new Request(method, path, headers, NO_BODY, true, protocol);
    }

    /** The first value of the header field, any case; null when absent. */
    public String header(String name) {
        return headers.first(name);
    }
}
