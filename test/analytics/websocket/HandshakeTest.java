package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Headers;
import analytics.http.RequestHead;
import analytics.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {

    /** The §1.3 request's fields; each test removes or changes one. */
    private static Map<String, String> validFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Host", "server.example.com");
        fields.put("Upgrade", "websocket");
        fields.put("Connection", "Upgrade");
        fields.put("Sec-WebSocket-Key", RawWebSocketClient.RFC_KEY);
        fields.put("Origin", "http://example.com");
        fields.put("Sec-WebSocket-Version", "13");
        return fields;
    }

    private static RequestHead request(String method, String version, Map<String, String> fields) {
        Headers headers = Headers.EMPTY;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            headers = headers.with(field.getKey(), field.getValue());
        }
        return new RequestHead(method, "/chat", version, headers);
    }

    private static Handshake.Outcome evaluate(Map<String, String> fields) {
        return Handshake.evaluate(request("GET", "HTTP/1.1", fields), List.of());
    }

    private static Response rejected(Handshake.Outcome outcome) {
        return assertInstanceOf(Handshake.Reject.class, outcome).response();
    }

    @Test
    void acceptKeyMatchesRfcExample() {
        assertEquals(RawWebSocketClient.RFC_ACCEPT, Handshake.acceptKey(RawWebSocketClient.RFC_KEY));
    }

    /** Every handshake copies one shared SHA-1; copies on many threads at once stay independent. */
    @Test
    void acceptKeyIsRightOnManyThreadsAtOnce() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<String>> keys = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                keys.add(threads.submit(() -> Handshake.acceptKey(RawWebSocketClient.RFC_KEY)));
            }
            for (Future<String> key : keys) {
                assertEquals(RawWebSocketClient.RFC_ACCEPT, key.get());
            }
        }
    }

    @Test
    void acceptsTheRfcExampleRequest() {
        Handshake.Accept accept = assertInstanceOf(Handshake.Accept.class, evaluate(validFields()));
        assertEquals(RawWebSocketClient.RFC_ACCEPT, accept.acceptKey());
        String response = new String(accept.response(), StandardCharsets.ISO_8859_1);
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Accept: " + RawWebSocketClient.RFC_ACCEPT + "\r\n"));
        assertTrue(response.endsWith("\r\n\r\n"));
    }

    /** Browsers send "Connection: keep-alive, Upgrade" and any letter case. */
    @Test
    void acceptsTokenListsInAnyCase() {
        Map<String, String> fields = validFields();
        fields.put("Connection", "keep-alive, UPGRADE");
        fields.put("Upgrade", "WebSocket");
        assertInstanceOf(Handshake.Accept.class, evaluate(fields));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade", "Connection", "Host", "Sec-WebSocket-Key"})
    void rejectsMissingRequiredField(String field) {
        Map<String, String> fields = validFields();
        fields.remove(field);
        assertEquals(400, rejected(evaluate(fields)).status());
    }

    /** 15 and 17 bytes of base64, and text that is not base64 at all. */
    @ParameterizedTest
    @ValueSource(strings = {"AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA=", "not base64 at all!!!!!=="})
    void rejectsKeyThatIsNot16BytesOfBase64(String key) {
        Map<String, String> fields = validFields();
        fields.put("Sec-WebSocket-Key", key);
        assertEquals(400, rejected(evaluate(fields)).status());
    }

    @Test
    void rejectsPost() {
        assertEquals(400, rejected(Handshake.evaluate(request("POST", "HTTP/1.1", validFields()), List.of())).status());
    }

    @Test
    void rejectsHttp10() {
        assertEquals(400, rejected(Handshake.evaluate(request("GET", "HTTP/1.0", validFields()), List.of())).status());
    }

    /** §4.4: a version we do not speak gets 426 and the version we do. */
    @Test
    void answers426WithSupportedVersionForVersion8() {
        Map<String, String> fields = validFields();
        fields.put("Sec-WebSocket-Version", "8");
        Response response = rejected(evaluate(fields));
        assertEquals(426, response.status());
        assertEquals("13", response.headers().first("Sec-WebSocket-Version"));
    }

    @Test
    void answers426WhenVersionIsMissing() {
        Map<String, String> fields = validFields();
        fields.remove("Sec-WebSocket-Version");
        assertEquals(426, rejected(evaluate(fields)).status());
    }

    @Test
    void rejectsOriginNotOnTheAllowList() {
        List<String> allowed = List.of("http://dashboard.example");
        RequestHead fromElsewhere = request("GET", "HTTP/1.1", validFields());
        assertEquals(403, rejected(Handshake.evaluate(fromElsewhere, allowed)).status());
        Map<String, String> noOrigin = validFields();
        noOrigin.remove("Origin");
        assertEquals(403, rejected(Handshake.evaluate(request("GET", "HTTP/1.1", noOrigin), allowed)).status());
        Map<String, String> fromDashboard = validFields();
        fromDashboard.put("Origin", "http://dashboard.example");
        assertInstanceOf(Handshake.Accept.class,
                Handshake.evaluate(request("GET", "HTTP/1.1", fromDashboard), allowed));
    }

    @Test
    void anEmptyAllowListAcceptsAnyOriginOrNone() {
        Map<String, String> fields = validFields();
        fields.remove("Origin");
        assertInstanceOf(Handshake.Accept.class, evaluate(fields));
    }

    @Test
    void recognisesAnUpgradeRequestByItsUpgradeField() {
        assertTrue(Handshake.isUpgradeRequest(request("GET", "HTTP/1.1", validFields())));
        assertFalse(Handshake.isUpgradeRequest(request("GET", "HTTP/1.1", Map.of("Host", "x"))));
    }
}
