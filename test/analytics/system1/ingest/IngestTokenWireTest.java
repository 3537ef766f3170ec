package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.log.Log;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * INGEST_TOKEN on System 1, with the JDK's client over HTTP/1.1 and HTTP/2 and a raw
 * socket: no token or a wrong one is 401 with the challenge and writes nothing; the right
 * one is 202; the GET routes stay open.
 */
@ExtendWith(RedisExtension.class)
class IngestTokenWireTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final String MISSING = "{\"error\":\"Unauthorized\",\"reason\":\"missing bearer token\"}";
    private static final String WRONG = "{\"error\":\"Unauthorized\",\"reason\":\"wrong bearer token\"}";

    @AutoClose
    private final Closer closer = new Closer();
    private final String prefix = "test:token:" + System.nanoTime();
    private RedisProcess redis;
    private System1Ingest ingest;

    @BeforeEach
    void start(RedisProcess shared) throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = shared;
        ingest = closer.add(System1Ingest.start(redis.system1Config(prefix, "INGEST_TOKEN", TOKEN)));
    }

    private long streamLength() {
        try (Jedis jedis = redis.jedis()) {
            return jedis.xlen(prefix + ":stream");
        }
    }

    private static void assertRefused(HttpResponse<String> response, String body, String challenge) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(Json.parse(body), Json.parse(response.body()));
        assertEquals(challenge, response.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void postsWithoutTheRightBearerTokenAre401AndWriteNothing() throws Exception {
        String one = IngestWireTest.metric("token-1");
        String batch = "[" + one + "," + IngestWireTest.metric("token-2") + "]";
        IngestClient h2 = IngestClient.http2(ingest.http2Port());
        for (IngestClient client : List.of(IngestClient.http1(ingest.port()), h2)) {
            for (String path : List.of("/metrics", "/metrics/batch")) {
                String body = path.endsWith("batch") ? batch : one;
                HttpResponse<String> missing = client.post(path, body);
                assertRefused(missing, MISSING, "Bearer realm=\"ingest\"");
                assertEquals(client == h2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1,
                        missing.version());
                assertRefused(client.post(path, body, "Authorization", "Bearer " + TOKEN + "x"),
                        WRONG, "Bearer realm=\"ingest\", error=\"invalid_token\"");
                assertRefused(client.post(path, body, "Authorization", "Basic " + TOKEN),
                        WRONG, "Bearer realm=\"ingest\", error=\"invalid_token\"");
            }
        }
        assertEquals(0, streamLength(), "a refused request writes nothing");
        assertEquals(12, IngestClient.http1(ingest.port()).stats().get("metrics").asObject()
                .getLong("rejectedTotal", -1), "2 protocols x 2 routes x 3 refusals, each counted once");
    }

    @Test
    void theRightTokenIsAcceptedOverBothProtocols() throws Exception {
        String auth = "Bearer " + TOKEN;
        IngestClient http1 = IngestClient.http1(ingest.port());
        IngestClient h2 = IngestClient.http2(ingest.http2Port());
        assertEquals(202, http1.post("/metrics", IngestWireTest.metric("ok-1"), "Authorization", auth).statusCode());
        HttpResponse<String> overH2 = h2.post("/metrics/batch",
                "[" + IngestWireTest.metric("ok-2") + "," + IngestWireTest.metric("ok-3") + "]",
                "Authorization", "bearer " + TOKEN);
        assertEquals(202, overH2.statusCode(), overH2.body());
        assertEquals(HttpClient.Version.HTTP_2, overH2.version());
        assertEquals(3, streamLength());
    }

    @Test
    void readOnlyRoutesStayOpen() throws Exception {
        IngestClient http1 = IngestClient.http1(ingest.port());
        for (String path : List.of("/healthz", "/stats", "/metrics/prometheus")) {
            assertEquals(200, http1.get(path).statusCode(), path);
        }
    }

    /** The token is checked on the head: the 401 comes while the announced body is unsent. */
    @Test
    void refusesOnTheHeadBeforeTheBodyOnBothPorts() throws Exception {
        assertEquals("HTTP/1.1 401 Unauthorized",
                IngestClient.http1(ingest.port()).statusLineForHeadOnly("/metrics", 200_000));
        assertEquals("HTTP/1.1 401 Unauthorized",
                IngestClient.http1(ingest.http2Port()).statusLineForHeadOnly("/metrics/batch", 200_000,
                        "Authorization: Bearer wrong-token-0123456789"));
        assertEquals(0, streamLength());
    }
}
