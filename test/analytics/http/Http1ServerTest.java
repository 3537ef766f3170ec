package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.ConfigException;
import analytics.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 adapter over real sockets: raw bytes where framing matters, the JDK client elsewhere. */
class Http1ServerTest {

    private static final int LIMIT = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http1Server server;

    /** Answers what it saw: method, path, the X-Probe field, the body's length - or 413. */
    private static Response echo(Request request) {
        if (request.bodyTooLarge()) {
            return Response.json(413, "{\"error\":\"Payload too large\"}");
        }
        if (request.path().equals("/bug")) {
            throw new IllegalStateException("a bug in the handler");
        }
        return Response.text(200, "text/plain", request.method() + " " + request.path() + " "
                + request.header("x-probe") + " " + request.body().length);
    }

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.WARN);
        server = Http1Server.start("127.0.0.1", 0, LIMIT, Http1ServerTest::echo);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("X-Probe", "seen").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void handsTheHandlerMethodPathHeadersAndBody() throws Exception {
        HttpResponse<String> response = post("/some/path?query=ignored", "x".repeat(LIMIT));
        assertEquals(200, response.statusCode());
        assertEquals("POST /some/path seen " + LIMIT, response.body());
    }

    @Test
    void keepsTheConnectionOpenBetweenRequests() throws IOException {
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                send(socket, "GET /again HTTP/1.1\r\nHost: test\r\n\r\n");
                RawResponse response = RawResponse.read(socket.getInputStream());
                assertEquals(200, response.status());
                assertEquals("GET /again null 0", response.body());
            }
        }
    }

    @Test
    void refusesADeclaredLengthOverTheLimitBeforeReadingTheBody() throws IOException {
        try (Socket socket = connect()) {
            // Ten megabytes announced, not one byte sent: the answer must come anyway.
            send(socket, "POST /big HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\n\r\n");
            RawResponse response = RawResponse.read(socket.getInputStream());
            assertEquals(413, response.status());
            assertEquals("{\"error\":\"Payload too large\"}", response.body());
        }
    }

    @Test
    void stopsReadingAChunkedBodyAtTheLimit() throws IOException {
        try (Socket socket = connect()) {
            String chunk = "y".repeat(60);
            send(socket, "POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3c\r\n" + chunk + "\r\n" + "3c\r\n" + chunk + "\r\n" + "0\r\n\r\n");
            assertEquals(413, RawResponse.read(socket.getInputStream()).status());
            // The rest was drained: the same connection serves the next request.
            send(socket, "GET /next HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("GET /next null 0", RawResponse.read(socket.getInputStream()).body());
        }
    }

    @Test
    void acceptsAChunkedBodyWithinTheLimit() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
            assertEquals("POST /chunked null 5", RawResponse.read(socket.getInputStream()).body());
        }
    }

    @Test
    void aBodyOneByteOverTheLimitIsRefusedAndTheClientStillReadsTheAnswer() throws Exception {
        HttpResponse<String> response = post("/over", "x".repeat(LIMIT + 1));
        assertEquals(413, response.statusCode());
        assertEquals("{\"error\":\"Payload too large\"}", response.body());
    }

    @Test
    void aHandlerBugIsA500AndTheServerKeepsServing() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream old = Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = post("/bug", "");
            assertEquals(500, response.statusCode());
            assertEquals("{\"error\":\"Internal Server Error\"}", response.body());
        } finally {
            Log.redirect(old);
        }
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("\"message\":\"handler failed\""));
        assertEquals(200, post("/fine", "").statusCode());
    }

    @Test
    void aHeadAnswerHasHeadersButNoBody() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "HEAD /head HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse response = RawResponse.read(socket.getInputStream());
            assertEquals(200, response.status());
            assertEquals("", response.body());
            send(socket, "GET /after HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("GET /after null 0", RawResponse.read(socket.getInputStream()).body());
        }
    }

    @Test
    void aTakenPortIsAConfigurationErrorNamingTheVariable() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ConfigException error = assertThrows(ConfigException.class, () -> ConfigException.bindOrFail(
                    "SYSTEM1_HTTP_PORT", port, () -> Http1Server.start("127.0.0.1", port, LIMIT, Http1ServerTest::echo)));
            assertEquals("SYSTEM1_HTTP_PORT " + port + " is already in use", error.getMessage());
        }
    }

    @Test
    void turnsNagleOffForTheServersSockets() {
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** An HTTP/1.1 response read byte by byte: enough framing for these tests (Content-Length only). */
    private record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse read(InputStream raw) throws IOException {
            InputStream in = raw; // unbuffered: never reads past this response
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
