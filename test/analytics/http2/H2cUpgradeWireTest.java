package analytics.http2;

import static analytics.http2.RawHttp2Client.SETTINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 side of the h2c port, byte by byte: the upgrade, its refusals, plain requests. */
class H2cUpgradeWireTest {

    /** RFC 7540 §3.2.1: SETTINGS_MAX_CONCURRENT_STREAMS = 100, base64url, no padding. */
    private static final String SETTINGS_100_STREAMS = "AAMAAABk";
    /** RFC 9110 §5.6.7: "Date: Sun, 06 Nov 1994 08:49:37 GMT" as one whole field line. */
    private static final Pattern IMF_FIXDATE_FIELD = Pattern.compile(
            "\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");

    @AutoClose
    private final Http2Server server = Http2EchoHandler.serve();

    /** The response head, up to the blank line, as text. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private String exchange(String request) throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(client.readAll(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void upgradesAPostWithItsBodyAndAnswersOnStreamOne() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write(("POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: " + SETTINGS_100_STREAMS + "\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(client.input());
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("Upgrade: h2c"), head);
            client.write(RawHttp2Client.PREFACE);
            client.settings();
            assertEquals(SETTINGS, client.readFrame().type(), "then the server preface");
            RawHttp2Client.Response response = client.readResponse(1);
            assertEquals("POST /metrics 5 h2c-upgrade", response.text());
            client.request(3, "GET", "/next", true);
            assertEquals("GET /next 0 h2c-upgrade", client.readResponse(3).text(),
                    "every stream of an upgraded connection is h2c-upgrade");
        }
    }

    @Test
    void refusesAnHttp2SettingsThatIsNotBase64Url() throws IOException {
        String answer = exchange("GET / HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AA+/AAB\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
        assertTrue(answer.contains("base64url"), answer);
    }

    @Test
    void refusesAnHttp2SettingsWithAValueOutOfRange() throws IOException {
        // SETTINGS_ENABLE_PUSH (2) = 2
        String answer = exchange("GET / HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAIAAAAC\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
        assertTrue(answer.contains("ENABLE_PUSH"), answer);
    }

    @Test
    void refusesAnUpgradeWithTwoHttp2SettingsFields() throws IOException {
        String answer = exchange("GET / HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\nHTTP2-Settings: AAMAAABk\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request"), answer);
    }

    @Test
    void answersAPlainRequestOverHttp1AndCloses() throws IOException {
        String answer = exchange("GET /plain HTTP/1.1\r\nHost: test\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("Connection: close\r\n"), answer);
        // RFC 9110 §6.6.1 and §5.6.7: dated like the HTTP/2 answers, as an IMF-fixdate.
        assertTrue(IMF_FIXDATE_FIELD.matcher(answer).find(), answer);
        assertTrue(answer.endsWith("\r\n\r\nGET /plain 0 http/1.1"), answer);
    }

    @Test
    void ignoresAnUpgradeInAnHttp10Request() throws IOException {
        String answer = exchange("GET /old HTTP/1.0\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.endsWith("GET /old 0 http/1.1"), answer);
    }

    @Test
    void refusesAChunkedBodyWith411() throws IOException {
        String answer = exchange("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 411 Length Required\r\n"), answer);
    }

    @Test
    void answers413WithoutReadingABodyOverTheLimit() throws IOException {
        String answer = exchange("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 300000\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }
}
