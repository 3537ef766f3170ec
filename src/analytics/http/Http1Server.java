package analytics.http;

import analytics.http.RequestHead.BadRequestException;
import analytics.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a Handler on the JDK's own HTTP/1.1 server (com.sun.net.httpserver): a virtual
 * thread per request, persistent connections, Nagle off, a hard cap on request bodies, and
 * the request head bounded as on the WebSocket ports (RequestHead's limits).
 *
 * Pattern: adapter - the protocol on one side (HttpExchange), the application on the
 *          other (Handler), and nothing of either leaks across.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Spec:    RFC 9112 §6 (body length), §7.1 (chunked), §9.3 (persistence); RFC 6585 §5 (431)
 * Not here: TLS, HTTP/2 (a server of its own, same Handler), routing (the handler's).
 * Threads: the JDK's dispatcher thread accepts and watches idle connections; each exchange,
 *          head parsing included, runs on a virtual thread of its own, where the handler may block.
 */
public final class Http1Server implements AutoCloseable {

    /** The contract's limit for POST bodies: 256 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    /** Pending connections the kernel queues before accept; the JDK's default of 50 is small for a load test. */
    private static final int BACKLOG = 1024;
    /**
     * What the JDK's parser adds to each line of the head when it measures one: 32 bytes on
     * top of the characters, the per-field overhead of RFC 9113 §6.5.2.
     */
    private static final int JDK_LINE_OVERHEAD = 32;
    /**
     * The JDK's head limits, set to twice the largest head we accept in the JDK's own measure
     * (the request line and MAX_HEADER_COUNT fields, each with its overhead). A head between
     * RequestHead's limits and these reaches {@link #exchange} and is answered 431; a head
     * over these is dropped by the JDK's parser while it reads, without an answer. The JDK
     * counts distinct field names, not lines, so a repeated name passes its count and ours
     * catches it.
     */
    static final int JDK_MAX_HEAD_SIZE =
            2 * (RequestHead.MAX_HEAD_BYTES
                    + JDK_LINE_OVERHEAD * (1 + RequestHead.MAX_HEADER_COUNT));
    static final int JDK_MAX_FIELD_NAMES = 2 * RequestHead.MAX_HEADER_COUNT;
    /** A request's head and body must arrive within this (checked by the JDK once a second). */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

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
        // The head limits (see JDK_MAX_HEAD_SIZE). The JDK's defaults: 200 field names, and
        // 380 KiB since JDK 21.0.5; older 21 updates ignore the size property and hold any
        // head in full, and then only our 431 bounds it.
        setIfAbsent("sun.net.httpserver.maxReqHeaders", Integer.toString(JDK_MAX_FIELD_NAMES));
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(JDK_MAX_HEAD_SIZE));
        // Slowloris: the JDK's default is no time limit at all for reading a request, so a
        // client sending half a head (or half a body) and then nothing held its connection
        // and its thread for ever - 1,000 such clients, 1,000 connections. maxReqTime closes
        // a connection whose request (head and body) has not arrived within this many
        // seconds, the same deadline the WebSocket and h2c ports give a handshake.
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_DEADLINE.toSeconds()));
    }

    /**
     * For code that creates a com.sun.net.httpserver.HttpServer of its own in a JVM that
     * also runs Http1Server (a test's stand-in server): call this first, so the JDK reads
     * the settings above rather than its defaults - it reads them only once per JVM.
     */
    public static void applyJdkServerSettings() {
        // Nothing to do: calling any static method runs the static initializer above, once.
    }

    private static final Log LOG = Log.get(Http1Server.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Handler handler;
    private final int maxBodyBytes;

    private Http1Server(HttpServer server, ExecutorService executor, Handler handler, int maxBodyBytes) {
        this.server = server;
        this.executor = executor;
        this.handler = new SafeHandler(handler); // a bug in it is a 500, not a dead exchange
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

    /**
     * One request: check the head, let the handler refuse on the head alone, read the body
     * within the limit, hand it to the handler, write what it answers. A request refused
     * here never reaches the handler.
     */
    private void exchange(HttpExchange exchange) throws IOException {
        Request request;
        Response early;
        try {
            Request head = readHead(exchange);
            early = handler.beforeBody(head);
            // Answered on its head: closing the exchange throws the unread body away, as for a 413.
            request = early == null ? readBody(exchange, head) : head;
        } catch (BadRequestException refused) {
            answerUnread(exchange, refused);
            // Thrown out of the handler, this makes the JDK close the connection at once.
            throw new IOException("closed after " + refused.status() + ": " + refused.getMessage());
        }
        try (exchange) { // closing the exchange finishes the response and frees the connection
            write(exchange, early != null ? early : handler.handle(request));
        } catch (IOException e) {
            // The peer went away while the answer was written: nobody is left to answer.
            LOG.debug("exchange ended early", "error", e.getMessage());
        }
    }

    /**
     * Answers a request the handler never saw, leaving the rest of it unread; the caller then
     * throws, so the JDK drops the connection (RFC 9112 §6.3: once a body's length cannot be
     * known, 400 and close).
     *
     * The one way the JDK's API ends an exchange is to close it, and closing first reads the
     * unread rest of the body (its "drain") - which, after a broken chunk, waits for bytes a
     * client that has sent everything will never send: that wait was the 10 s hang. A handler
     * that throws instead gets its connection closed with no drain. The price: a client still
     * sending a large body may see a reset rather than the answer (servers that care read on
     * for a while before closing, RFC 9112 §9.6).
     */
    private static void answerUnread(HttpExchange exchange, BadRequestException refused)
            throws IOException {
        LOG.debug("request refused", "status", refused.status(), "reason", refused.getMessage());
        // {"error":"<reason phrase>"}, as the WebSocket ports answer the same refusals.
        byte[] body = Response.error(refused.status()).body();
        com.sun.net.httpserver.Headers out = exchange.getResponseHeaders();
        out.set("Content-Type", Response.JSON);
        out.set("Connection", "close");
        // A HEAD answer has no body, and the JDK ends a body-less exchange itself, draining.
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(refused.status(), head ? -1 : body.length);
        if (!head) {
            OutputStream os = exchange.getResponseBody();
            os.write(body);
            os.flush(); // not close(): that would drain
        }
    }

    /**
     * The request line and header fields, as a Request with no body yet.
     *
     * @throws BadRequestException 431 for a head over the limits
     */
    private static Request readHead(HttpExchange exchange) throws BadRequestException {
        checkHead(exchange);
        String path = exchange.getRequestURI().getRawPath();
        if (path == null) {
            path = ""; // an authority-form or opaque target: matches no route
        }
        return Request.of(Protocol.HTTP_1_1, exchange.getRequestMethod(), path,
                Headers.from(exchange.getRequestHeaders()));
    }

    /**
     * The body is read only when it fits: a Content-Length over the limit is refused
     * before one byte of the body is read; a chunked body (no length up front) is read up
     * to one byte past the limit and then abandoned.
     * Either way at most limit + 1 bytes in memory.
     *
     * With a Content-Length, exactly that many bytes are asked for: readNBytes then fills
     * one array of the right size. Asking for "up to the limit" instead makes it start with
     * an 8 KiB buffer, copy the few hundred bytes out, and try one more read to see the end
     * - per request, which was a third of the ingest's allocation under load.
     *
     * Memory follows the bytes received, not the length announced: a client may announce
     * 256 KiB and send three bytes, on hundreds of connections. readNBytes never allocates
     * what it is asked for; it reads into arrays of at most 16 KiB (InputStream's buffer
     * size since JDK 21), one more only when the last is full, and joins them at the end. A
     * {@code new byte[declared]} filled by read() would be simpler - and would hand every
     * client 256 KiB of heap for a header line. Http1AnnouncedBodyWireTest holds the JDK to it.
     *
     * @throws BadRequestException 400 for a body that does not follow its framing
     */
    private Request readBody(HttpExchange exchange, Request head) throws BadRequestException {
        Headers headers = head.headers();
        String method = head.method();
        String path = head.path();
        long declared = declaredLength(headers);
        if (declared > maxBodyBytes) {
            return Request.bodyTooLarge(Protocol.HTTP_1_1, method, path, headers);
        }
        InputStream in = exchange.getRequestBody(); // closed with the exchange, which drains it
        byte[] body;
        try {
            body = in.readNBytes(declared >= 0 ? (int) declared : maxBodyBytes + 1);
        } catch (IOException e) {
            // The JDK decodes the framing as we read: a chunk size that is not hexadecimal,
            // no CRLF after a chunk, a trailer field, the peer closing mid-body.
            throw new BadRequestException(400, "malformed body: " + e.getMessage());
        } catch (IndexOutOfBoundsException e) {
            // The JDK's chunk size is an int with no overflow check: eight hex digits with
            // the top bit set make a negative length, which the read it is passed to refuses.
            throw new BadRequestException(400, "malformed body: chunk size over 2^31 - 1");
        }
        if (body.length > maxBodyBytes) {
            return Request.bodyTooLarge(Protocol.HTTP_1_1, method, path, headers);
        }
        return Request.of(Protocol.HTTP_1_1, method, path, headers, body);
    }

    /**
     * The head as RequestHead measures it on the WebSocket ports: bytes of the request line
     * and of every field line with their CRLFs, and the number of field lines. Rebuilt from
     * what the JDK parsed, so optional whitespace around values is not counted.
     */
    private static void checkHead(HttpExchange exchange) throws BadRequestException {
        // method SP target SP version CRLF, and the empty line that ends the head
        int bytes = exchange.getRequestMethod().length() + 1
                + exchange.getRequestURI().toString().length() + 1
                + exchange.getProtocol().length() + 2 + 2;
        int fields = 0;
        for (Map.Entry<String, List<String>> field : exchange.getRequestHeaders().entrySet()) {
            if (field.getKey() == null) {
                continue; // not a field; Headers.from skips it too
            }
            for (String value : field.getValue()) {
                fields++;
                bytes += field.getKey().length() + 2 + value.length() + 2; // name ": " value CRLF
            }
        }
        if (bytes > RequestHead.MAX_HEAD_BYTES) {
            throw new BadRequestException(431,
                    "request head over " + RequestHead.MAX_HEAD_BYTES + " bytes");
        }
        if (fields > RequestHead.MAX_HEADER_COUNT) {
            throw new BadRequestException(431,
                    "more than " + RequestHead.MAX_HEADER_COUNT + " header fields");
        }
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
