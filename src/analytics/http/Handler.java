package analytics.http;

/**
 * Application code behind an HTTP endpoint: a request in, a response out, with no trace of
 * the transport. The HTTP/1.1 server (Http1Server) runs it today; an HTTP/2 server can run
 * the very same object, which is the point.
 *
 * Pattern: transport-neutral handler (ports and adapters) - the protocol lives in the
 *          adapter, the rules of the application live here.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9110 §9 (methods), §15 (status codes)
 * Not here: connections, keep-alive, framing, streaming bodies.
 * Threads: called concurrently, one virtual thread per request; it may block. beforeBody
 *          must not block: HTTP/2 calls it on the connection's reader thread.
 */
@FunctionalInterface
public interface Handler {

    /** Never returns null; an exception it throws becomes a 500 in the adapter. */
    Response handle(Request request);

    /**
     * Called with a request's head - method, path, header fields, an empty body - before
     * its body is read. An answer here is sent at once and the body is discarded unread,
     * as for a body over the limit (413), so a request refused on its head alone (401, or
     * 503 when overloaded) costs no body in memory. Null, the default: read the body and
     * call {@link #handle}. Advisory: a transport may skip it (a request whose body came
     * with its head), so handle() must make the same checks again.
     */
    default Response beforeBody(Request head) {
        return null;
    }
}
