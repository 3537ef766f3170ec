package analytics.http;

import analytics.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a Handler on the JDK's own HTTP/1.1 server (com.sun.net.httpserver): a virtual
 * thread per request, persistent connections, Nagle off, and a hard cap on request bodies.
 *
 * Pattern: adapter - the protocol on one side (HttpExchange), the application on the
 *          other (Handler), and nothing of either leaks across.
 * Lesson:  lessons/10-stateless-http-ingest.md   Spec: RFC 9112 §6 (body length), §9.3 (persistence)
 * Not here: TLS, HTTP/2 (a server of its own, same Handler), routing (the handler's).
 * Threads: the JDK's dispatcher thread accepts and parses heads; each exchange then runs on
 *          a virtual thread of its own, where the handler may block.
 */
public final class Http1Server implements AutoCloseable {

    /** The contract's limit for POST bodies: 256 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    /** Pending connections the kernel queues before accept; the JDK's default of 50 is small for a load test. */
    private static final int BACKLOG = 1024;

    static {
        // The JDK server reads its tuning once, when its ServerConfig class is first used in
        // this JVM - so these lines must run before any HttpServer exists, which a static
        // initializer of the only class that creates one guarantees. A -D on the command
        // line wins. A program that used com.sun.net.httpserver before touching this class
        // would silently get the JDK's defaults instead.
        //
        // nodelay: a response goes out as soon as it is written. With Nagle on, a small
        // response can wait for the ACK of the previous one (up to 40 ms of delayed ACK).
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        // After an early answer (413) the server reads and throws away up to this much of
        // the unread body, so the client can finish sending, read the answer and keep the
        // connection; a longer body closes the connection instead. Default: 64 KiB.
        setIfAbsent("sun.net.httpserver.drainAmount", Integer.toString(1024 * 1024));
    }

    private static final Log LOG = Log.get(Http1Server.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Handler handler;
    private final int maxBodyBytes;

    private Http1Server(HttpServer server, ExecutorService executor, Handler handler, int maxBodyBytes) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Binds {@code bindHost:port} (0 = any free port) and starts serving.
     *
     * @throws java.net.BindException when the port is already in use
     */
    public static Http1Server start(String bindHost, int port, int maxBodyBytes, Handler handler)
            throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(bindHost), port), BACKLOG);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Http1Server http = new Http1Server(server, executor, handler, maxBodyBytes);
        server.createContext("/", http::exchange);
        server.setExecutor(executor);
        server.start();
        return http;
    }

    /** The port actually bound; useful when 0 was asked for. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** One request: read within the limit, hand to the handler, write what it answers. */
    private void exchange(HttpExchange exchange) {
        try (exchange) { // closing the exchange finishes the response and frees the connection
            Request request = read(exchange);
            write(exchange, call(request));
        } catch (IOException e) {
            // The peer went away or sent broken chunked framing: nobody is left to answer.
            LOG.debug("exchange ended early", "error", e.getMessage());
        }
    }

    private Response call(Request request) {
        try {
            return handler.handle(request);
        } catch (RuntimeException e) {
            // A bug, not bad input: the handler answers every expected failure itself.
            LOG.error("handler failed", e, "method", request.method(), "path", request.path());
            return Response.error(500);
        }
    }

    /**
     * The body is read only when it fits: a Content-Length over the limit is refused before
     * one byte of the body is read; a chunked body (no length up front) is read up to one
     * byte past the limit and then abandoned. Either way at most limit + 1 bytes in memory.
     *
     * With a Content-Length, exactly that many bytes are asked for: readNBytes then fills
     * one array of the right size. Asking for "up to the limit" instead makes it start with
     * an 8 KiB buffer, copy the few hundred bytes out, and try one more read to see the end
     * - per request, which was a third of the ingest's allocation under load.
     */
    private Request read(HttpExchange exchange) throws IOException {
        Headers headers = Headers.from(exchange.getRequestHeaders());
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (path == null) {
            path = ""; // an authority-form or opaque target: matches no route
        }
        long declared = declaredLength(headers);
        if (declared > maxBodyBytes) {
            return Request.bodyTooLarge(Protocol.HTTP_1_1, method, path, headers);
        }
        InputStream in = exchange.getRequestBody(); // closed with the exchange, which drains it
        byte[] body = in.readNBytes(declared >= 0 ? (int) declared : maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            return Request.bodyTooLarge(Protocol.HTTP_1_1, method, path, headers);
        }
        return Request.of(Protocol.HTTP_1_1, method, path, headers, body);
    }

    /** Content-Length, or -1 without one (chunked or no body); the JDK server rejected a malformed one. */
    private static long declaredLength(Headers headers) {
        String value = headers.first("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(HttpExchange exchange, Response response) throws IOException {
        com.sun.net.httpserver.Headers out = exchange.getResponseHeaders();
        response.headers().asMap().forEach(out::put);
        byte[] body = response.body();
        // -1 means "no body" to the JDK server (0 would mean chunked); a HEAD answer has none.
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /**
     * Stops accepting, gives requests in flight a second to finish, closes every connection,
     * then waits for the handlers' virtual threads (each bounded by its own timeouts).
     */
    @Override
    public void close() {
        server.stop(1);
        executor.close();
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
