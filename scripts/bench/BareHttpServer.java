import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The reference System 1's HTTP/1.1 ingest is measured against: the JDK's own server with
 * Http1Server's settings (a virtual thread per exchange, Nagle off, a backlog of 1024), which
 * reads each request's body and answers 202 with a small JSON body - and does nothing else.
 * What System 1 reaches of this server's rate, in the same run with the same client, is the
 * share of the bare transport its own work (validation, Redis, workers, broadcaster) leaves.
 *
 * Pattern: a benchmark reference written to be fair, not weak - the body is read in one
 *          array of its announced length, as Http1Server reads it.
 * Lesson:  lessons/18-http1-vs-http2-ingest.md (scripts/bench-vs-peers.sh runs it)
 * Not here: routing, validation, head limits, HEAD: every request is "accepted". Never on
 *          src/'s classpath: it is run alone, `java scripts/bench/BareHttpServer.java PORT`.
 * Threads: the JDK's dispatcher thread accepts; each exchange runs on a virtual thread.
 */
public final class BareHttpServer {

    /** Pending connections the kernel queues before accept, as Http1Server's BACKLOG. */
    private static final int BACKLOG = 1024;
    /** The ingest's 202 body is {"status":"accepted","id":"..."}; this is as small. */
    private static final byte[] ACCEPTED =
            "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
    /** The content type the project's Response.JSON names. */
    private static final String JSON = "application/json; charset=utf-8";

    static {
        // As in Http1Server: the JDK server reads this once, before its first HttpServer;
        // a -D on the command line wins. Without it a response can wait for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private BareHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !args[0].matches("\\d{1,5}")) {
            System.err.println("usage: java scripts/bench/BareHttpServer.java PORT");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        server.createContext("/", BareHttpServer::exchange);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("BareHttpServer: listening on 127.0.0.1:" + port);
        stopWithSupervisor();
    }

    private static void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            readBody(exchange);
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(202, ACCEPTED.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(ACCEPTED);
            }
        }
    }

    /**
     * With a Content-Length, exactly that many bytes in one array (readNBytes(n) allocates
     * it once); without one, to the end of the chunked body.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.strip().matches("\\d{1,9}")) {
            return in.readNBytes(Integer.parseInt(length.strip()));
        }
        return in.readAllBytes();
    }

    /**
     * Exits once the script that started it is gone, as every program of the project does
     * (analytics.lifecycle.Startup, -Danalytics.supervisor.pid): a benchmark killed with
     * SIGKILL leaves no server behind. The JVM stays up on the server's dispatcher thread.
     */
    private static void stopWithSupervisor() {
        String pid = System.getProperty("analytics.supervisor.pid");
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresentOrElse(
                supervisor -> supervisor.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }
}
