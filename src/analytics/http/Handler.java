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
 * Threads: called concurrently, one virtual thread per request; it may block.
 */
@FunctionalInterface
public interface Handler {

    /** Never returns null; an exception it throws becomes a 500 in the adapter. */
    Response handle(Request request);
}
