package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Headers;
import analytics.http.RequestHead;
import analytics.http2.frame.Setting;
import analytics.http2.frame.SettingsFrame;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure decision of RFC 7540 §3.2: upgrade, refuse, or answer as HTTP/1.1. */
class H2cUpgradeTest {

    private static RequestHead head(String... fields) throws Exception {
        StringBuilder text = new StringBuilder("POST /metrics HTTP/1.1\r\nHost: test\r\n");
        for (String field : fields) {
            text.append(field).append("\r\n");
        }
        return RequestHead.read(new ByteArrayInputStream(text.append("\r\n").toString()
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static H2cUpgrade.Outcome evaluate(String... fields) throws Exception {
        return H2cUpgrade.evaluate(head(fields));
    }

    @Test
    void acceptsWhatJavaNetHttpSendsAndDecodesItsSettings() throws Exception {
        // HEADER_TABLE_SIZE 4096, ENABLE_PUSH 0, INITIAL_WINDOW_SIZE 2^31-1; base64url without padding.
        H2cUpgrade.Accept accept = assertInstanceOf(H2cUpgrade.Accept.class, evaluate(
                "Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAEAABAAAAIAAAAAAAR_____"));
        assertEquals(List.of(new SettingsFrame.Entry(Setting.HEADER_TABLE_SIZE, 4096),
                new SettingsFrame.Entry(Setting.ENABLE_PUSH, 0),
                new SettingsFrame.Entry(Setting.INITIAL_WINDOW_SIZE, Integer.MAX_VALUE)), accept.clientSettings());
        String response = new String(accept.response(), StandardCharsets.ISO_8859_1);
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
        assertTrue(response.contains("Upgrade: h2c\r\n") && response.endsWith("\r\n\r\n"), response);
    }

    @Test
    void acceptsAnEmptySettingsPayloadAndPadding() throws Exception {
        assertInstanceOf(H2cUpgrade.Accept.class,
                evaluate("Connection: HTTP2-Settings, upgrade", "Upgrade: h2c", "HTTP2-Settings: "));
        assertInstanceOf(H2cUpgrade.Accept.class,
                evaluate("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABk"));
    }

    @Test
    void answersWithoutUpgradeWhenNoH2cIsAskedFor() throws Exception {
        assertInstanceOf(H2cUpgrade.NotRequested.class, evaluate());
        assertInstanceOf(H2cUpgrade.NotRequested.class, evaluate("Connection: Upgrade", "Upgrade: websocket"));
    }

    @Test
    void refusesAnUpgradeWithoutTheConnectionOptions() throws Exception {
        H2cUpgrade.Reject reject = assertInstanceOf(H2cUpgrade.Reject.class,
                evaluate("Connection: Upgrade", "Upgrade: h2c", "HTTP2-Settings: AAMAAABk"));
        assertEquals(400, reject.response().status());
        assertTrue(reject.response().bodyText().contains("HTTP2-Settings"), reject.response().bodyText());
    }

    @Test
    void refusesAnUpgradeWithoutExactlyOneSettingsField() throws Exception {
        assertInstanceOf(H2cUpgrade.Reject.class, evaluate("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c"));
        assertInstanceOf(H2cUpgrade.Reject.class, evaluate("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                "HTTP2-Settings: AAMAAABk", "HTTP2-Settings: AAMAAABk"));
    }

    @Test
    void refusesSettingsThatAreNotAWholeNumberOfEntries() throws Exception {
        H2cUpgrade.Reject reject = assertInstanceOf(H2cUpgrade.Reject.class,
                evaluate("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAA"));
        assertTrue(reject.response().bodyText().contains("multiple of 6"), reject.response().bodyText());
    }

    @Test
    void dropsHopByHopFieldsFromStreamOnesRequest() throws Exception {
        Headers headers = H2cUpgrade.requestHeaders(head("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c",
                "HTTP2-Settings: AAMAAABk", "Content-Type: application/json"));
        assertEquals("application/json", headers.first("content-type"));
        assertEquals("test", headers.first("host"));
        assertFalse(headers.asMap().containsKey("Connection"));
        assertFalse(headers.asMap().containsKey("Upgrade"));
        assertFalse(headers.asMap().containsKey("HTTP2-Settings"));
    }
}
