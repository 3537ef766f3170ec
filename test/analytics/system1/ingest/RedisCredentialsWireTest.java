package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.CapturedLog;
import analytics.testing.Closer;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SYSTEM1_REDIS_USERNAME and SYSTEM1_REDIS_PASSWORD against a private redis-server that
 * only ACL users may use: the right pair writes as that user; a wrong password makes
 * /healthz and ingest answer 503 with Redis's reason - and neither an answer nor a log line
 * carries the password.
 */
class RedisCredentialsWireTest {

    private static final String USER = "ingest";
    private static final String PASSWORD = "pw-4f9c2e71b8";
    private static final String WRONG_PASSWORD = "pw-wrong-93d1a";
    private static final String ADMIN_PASSWORD = "admin-pw-5e22";

    @AutoClose
    private final CapturedLog log = CapturedLog.at(Log.Level.DEBUG);
    @AutoClose
    private final Closer closer = new Closer();
    private RedisProcess redis;

    @BeforeEach
    void start() {
        redis = closer.add(RedisProcess.startPrivate());
        redis.requireAcl(USER, PASSWORD, ADMIN_PASSWORD);
    }

    private System1Ingest ingestAs(String user, String password) throws Exception {
        return closer.add(System1Ingest.start(redis.system1Config("test:acl",
                "SYSTEM1_REDIS_USERNAME", user, "SYSTEM1_REDIS_PASSWORD", password)));
    }

    @Test
    void theRightUserAndPasswordWriteAsThatUser() throws Exception {
        System1Ingest ingest = ingestAs(USER, PASSWORD);
        IngestClient client = IngestClient.http1(ingest.port());
        assertEquals(200, client.get("/healthz").statusCode());
        HttpResponse<String> accepted = client.post("/metrics", IngestWireTest.metric("acl-1"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        try (Jedis admin = redis.jedis("default", ADMIN_PASSWORD)) {
            assertEquals(1, admin.xlen("test:acl:stream"));
            String clients = admin.clientList();
            assertTrue(clients.lines().anyMatch(line -> line.contains("name=system1-ingest ")
                    && line.contains("user=" + USER + " ")), clients);
        }
        assertNoLineCarries(PASSWORD);
    }

    @Test
    void aWrongPasswordIs503WithRedisReasonButNeverThePassword() throws Exception {
        System1Ingest ingest = ingestAs(USER, WRONG_PASSWORD);
        IngestClient client = IngestClient.http1(ingest.port());
        HttpResponse<String> health = client.get("/healthz");
        assertEquals(503, health.statusCode(), health.body());
        JsonObject body = Json.parse(health.body()).asObject();
        assertEquals("unavailable", body.getString("status", ""));
        String reason = body.getString("redis", "");
        assertTrue(reason.contains("WRONGPASS"), reason);
        assertFalse(reason.contains(WRONG_PASSWORD), reason);
        HttpResponse<String> refused = client.post("/metrics", IngestWireTest.metric("acl-2"));
        assertEquals(503, refused.statusCode());
        assertFalse(refused.body().contains(WRONG_PASSWORD), refused.body());
        assertFalse(client.get("/stats").body().contains(WRONG_PASSWORD));
        assertNoLineCarries(WRONG_PASSWORD);
        assertTrue(log.lines().stream().anyMatch(line -> line.toString().contains("WRONGPASS")),
                "the outage is logged, with Redis's reason: " + log.lines());
    }

    @Test
    void noCredentialsAgainstAnAclOnlyRedisIs503() throws Exception {
        System1Ingest ingest = ingestAs("", "");
        HttpResponse<String> health = IngestClient.http1(ingest.port()).get("/healthz");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("NOAUTH"), health.body());
    }

    private void assertNoLineCarries(String secret) {
        assertTrue(log.lines().stream().noneMatch(line -> line.toString().contains(secret)),
                "a log line carries the password: " + log.lines());
    }
}
