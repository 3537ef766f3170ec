package analytics.http2;

import analytics.http.Handler;
import analytics.http.Headers;
import analytics.http.Request;
import analytics.http.Response;
import analytics.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Handler for the HTTP/2 tests, so they need no Redis: it answers what it saw, and a few
 * paths do what a test needs.
 *
 * <ul>
 *   <li>any path: 200 "METHOD /path body-length protocol", or 413 for a body over the limit;</li>
 *   <li>{@code /sleep/MS}: the same (413 included), after sleeping MS milliseconds;</li>
 *   <li>{@code /bytes/N}: N bytes of body (a response larger than a window or a frame);</li>
 *   <li>{@code /bug}: throws, as a handler with a bug would;</li>
 *   <li>{@code /euro}: a header value HPACK cannot carry (a char above U+00FF).</li>
 * </ul>
 *
 * Pattern: a test double that is a real implementation of the port, not a mock.
 * Lesson:  lessons/17-http2-on-the-wire.md
 * Threads: called concurrently; the counters are atomic.
 */
final class Http2EchoHandler implements Handler {

    /**
     * A server on a free loopback port running {@code handler}, logging warnings only: what
     * every HTTP/2 test starts from. Declare it {@code @AutoClose} and JUnit closes it.
     */
    static Http2Server serve(Http2Server.Limits limits, Http2EchoHandler handler) {
        Log.setThreshold(Log.Level.WARN);
        try {
            return Http2Server.start("127.0.0.1", 0, limits, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for a test server", e);
        }
    }

    static Http2Server serve() {
        return serve(Http2Server.Limits.defaults(), new Http2EchoHandler());
    }

    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger handled = new AtomicInteger();

    @Override
    public Response handle(Request request) {
        started.incrementAndGet();
        running.incrementAndGet();
        try {
            String path = request.path();
            if (path.startsWith("/sleep/")) {
                sleep(Long.parseLong(path.substring("/sleep/".length())));
            }
            if (request.bodyTooLarge()) {
                return Response.json(413, "{\"error\":\"Payload too large\"}");
            }
            if (path.equals("/bug")) {
                throw new IllegalStateException("a bug in the handler");
            }
            if (path.equals("/euro")) {
                return new Response(200, Headers.of("X-Price", "5 \u20ac"), new byte[0]);
            }
            if (path.startsWith("/bytes/")) {
                byte[] body = new byte[Integer.parseInt(path.substring("/bytes/".length()))];
                Arrays.fill(body, (byte) 'x');
                return new Response(200, Headers.of("Content-Type", "text/plain"), body);
            }
            return Response.text(200, "text/plain", request.method() + " " + path + " " + request.body().length
                    + " " + request.protocol().label());
        } finally {
            running.decrementAndGet();
            handled.incrementAndGet();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
