package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * java.net.http against our server. For an http:// URL the JDK's client can only reach
 * HTTP/2 through the HTTP/1.1 upgrade (it has no prior-knowledge mode), so these tests
 * are the upgrade path, end to end, with an independent implementation on the other side.
 */
class JdkHttp2InteropTest {

    private Http2Server server;
    private HttpClient client;

    @BeforeEach
    void start() {
        server = Http2EchoHandler.serve();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void upgradesAPostWithABodyAndAnswersItOnStreamOne() throws Exception {
        HttpResponse<String> response = post("/metrics", "{\"cpu\":1}".getBytes());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(200, response.statusCode());
        assertEquals("POST /metrics 9 h2c-upgrade", response.body());
    }

    @Test
    void keepsUsingTheUpgradedConnectionForLaterRequests() throws Exception {
        post("/first", new byte[1]);
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri("/second")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, second.version());
        assertEquals("GET /second 0 h2c-upgrade", second.body());
        assertEquals(1, server.connectionCount(), "one connection, two streams");
    }

    @Test
    void completesManyConcurrentUploadsUnderFlowControl() throws Exception {
        post("/warm-up", new byte[0]); // the upgrade first, so the rest share its connection
        byte[] body = new byte[200 * 1024];
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            uploads.add(client.sendAsync(HttpRequest.newBuilder(uri("/upload/" + i)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < uploads.size(); i++) {
            HttpResponse<String> response = uploads.get(i).join();
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertEquals("POST /upload/" + i + " " + body.length + " h2c-upgrade", response.body());
        }
    }

    @Test
    void answers413ToAnUploadOverTheLimit() throws Exception {
        post("/warm-up", new byte[0]);
        HttpResponse<String> response = post("/big", new byte[256 * 1024 + 1]);
        assertEquals(413, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
    }

    @Test
    void answersAnUpgradeWhoseBodyIsTooLargeOverHttp1() throws Exception {
        HttpResponse<String> response = post("/big", new byte[256 * 1024 + 1]);
        assertEquals(413, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version(), "not upgraded: the body was never read");
    }
}
