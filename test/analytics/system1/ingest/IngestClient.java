package analytics.system1.ingest;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's HTTP client pointed at one ingest port, over HTTP/1.1 or HTTP/2 (h2c, through
 * the upgrade, as java.net.http does it), plus a raw socket for requests whose body is
 * never sent. For the wire tests of admission, the token and Redis credentials.
 *
 * Pattern: test client around a real client - requests as a producer sends them.
 * Lesson:  lessons/10-stateless-http-ingest.md
 * Threads: one test thread; sendAsync's futures complete on the client's threads.
 */
final class IngestClient {

    static final String JSON = "application/json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10); // never a hang

    private final int port;
    private final HttpClient client;

    private IngestClient(int port, HttpClient.Version version) {
        this.port = port;
        this.client = HttpClient.newBuilder().version(version).connectTimeout(TIMEOUT).build();
    }

    static IngestClient http1(int port) {
        return new IngestClient(port, HttpClient.Version.HTTP_1_1);
    }

    /**
     * HTTP/2 on the h2c port. java.net.http upgrades with its first request; a GET to
     * /healthz here does it, so the POSTs that follow travel as HTTP/2 streams.
     */
    static IngestClient http2(int port) throws Exception {
        IngestClient h2 = new IngestClient(port, HttpClient.Version.HTTP_2);
        h2.get("/healthz");
        HttpResponse<String> second = h2.get("/stats");
        if (second.version() != HttpClient.Version.HTTP_2) {
            throw new AssertionError("no HTTP/2 after the upgrade: " + second.version());
        }
        return h2;
    }

    HttpRequest postRequest(String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder.build();
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return client.send(postRequest(path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String body, String... headers) {
        return client.sendAsync(postRequest(path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonObject stats() throws Exception {
        return Json.parse(get("/stats").body()).asObject();
    }

    /**
     * Sends an HTTP/1.1 POST head announcing a body of {@code contentLength} bytes and none
     * of the body, and returns the status line of the answer: an answer at all proves the
     * server decided on the head alone.
     */
    String statusLineForHeadOnly(String path, int contentLength, String... extraLines) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n");
            for (String line : extraLines) {
                head.append(line).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }
}
