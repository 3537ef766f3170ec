package analytics.http;

import analytics.log.Log;
import analytics.log.Untrusted;

/**
 * The application's handler as a transport calls it: a bug in it - an exception, or null
 * where a response was due - becomes a 500 and one log line, never a dead connection or
 * an unanswered stream. Both transports (Http1Server, Http2Server) wrap their handler in
 * one, so the rule is written once.
 *
 * Pattern: decorator - the same interface, one concern added around every call.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Not here: expected failures (bad input, Redis down): the handler answers those itself.
 * Threads: as the handler it wraps; holds nothing of its own.
 */
public final class SafeHandler implements Handler {

    private static final Log LOG = Log.get(SafeHandler.class);

    private final Handler handler;

    public SafeHandler(Handler handler) {
        this.handler = handler;
    }

    @Override
    public Response handle(Request request) {
        try {
            Response response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler returned null");
            }
            return response;
        } catch (RuntimeException e) {
            LOG.error("handler failed", e, "method", Untrusted.text(request.method()),
                    "path", Untrusted.text(request.path()));
            return Response.error(500);
        }
    }

    @Override
    public Response beforeBody(Request head) {
        try {
            return handler.beforeBody(head);
        } catch (RuntimeException e) {
            LOG.error("handler failed on a request head", e,
                    "method", Untrusted.text(head.method()), "path", Untrusted.text(head.path()));
            return Response.error(500);
        }
    }
}
