package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadTest {

    private static RequestHead read(String text) throws IOException, RequestHead.BadRequestException {
        return RequestHead.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static int rejection(String text) {
        return assertThrows(RequestHead.BadRequestException.class, () -> read(text)).status();
    }

    @Test
    void parsesRequestLineAndFields() throws Exception {
        RequestHead head = read("GET /chat?room=1 HTTP/1.1\r\nHost: example.com\r\nX-Thing:   padded value  \r\n\r\n");
        assertEquals("GET", head.method());
        assertEquals("/chat?room=1", head.target());
        assertEquals("/chat", head.path());
        assertEquals("HTTP/1.1", head.version());
        assertEquals(2, head.headers().asMap().size());
        assertEquals("padded value", head.header("X-Thing"), "optional whitespace is not part of the value");
    }

    @Test
    void stopsAtTheBlankLineAndLeavesTheRest() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\nFRAME".getBytes(StandardCharsets.ISO_8859_1));
        RequestHead.read(in);
        assertEquals("FRAME", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    /** A bad request line is refused as soon as it ends: nothing after it is read. */
    @Test
    void refusesABadRequestLineBeforeReadingTheFields() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(
                "hello world\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        RequestHead.BadRequestException bad = assertThrows(RequestHead.BadRequestException.class,
                () -> RequestHead.read(in));
        assertEquals(400, bad.status());
        assertEquals("malformed request line", bad.getMessage());
        assertEquals("Host: x\r\n\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    /** RFC 9110 §5.5: OWS (spaces and tabs) around a value is not part of it; other bytes are. */
    @Test
    void trimsSpacesAndTabsAroundAValueAndNothingElse() throws Exception {
        RequestHead head = read("GET / HTTP/1.1\r\nX-Tabs:\t a b \t\r\nX-Empty:  \r\n"
                + "X-Vt: \u000bv\r\n\r\n");
        assertEquals("a b", head.header("X-Tabs"));
        assertEquals("", head.header("X-Empty"));
        assertEquals("\u000bv", head.header("X-Vt"), "a vertical tab is not optional whitespace");
    }

    @Test
    void looksUpFieldNamesIgnoringCase() throws Exception {
        RequestHead head = read("GET / HTTP/1.1\r\nsec-websocket-KEY: abc\r\n\r\n");
        assertEquals("abc", head.header("Sec-WebSocket-Key"));
        assertNull(head.header("Origin"));
    }

    @Test
    void joinsRepeatedFieldsWithComma() throws Exception {
        RequestHead head = read("GET / HTTP/1.1\r\nConnection: keep-alive\r\nconnection: Upgrade\r\n\r\n");
        assertEquals("keep-alive, Upgrade", head.header("Connection"));
    }

    @Test
    void findsTokensInCommaSeparatedLists() throws Exception {
        RequestHead head = read("GET / HTTP/1.1\r\nConnection: keep-alive ,  UPGRADE\r\nUpgrade: websocket\r\n\r\n");
        assertTrue(head.headerHasToken("connection", "upgrade"));
        assertTrue(head.headerHasToken("Upgrade", "WebSocket"));
        assertFalse(head.headerHasToken("Connection", "close"));
        assertFalse(head.headerHasToken("Connection", "keep"), "a token, not a substring");
        assertFalse(head.headerHasToken("Missing", "x"));
    }

    @Test
    void findsTokensAcrossRepeatedFieldsTabsAndEmptyItems() throws Exception {
        RequestHead head = read("GET / HTTP/1.1\r\nConnection: ,keep-alive,,\r\n"
                + "Connection:\tUpgrade\t,\r\n\r\n");
        assertTrue(head.headerHasToken("Connection", "upgrade"),
                "in the second field, between tabs");
        assertTrue(head.headerHasToken("Connection", "keep-alive"), "between empty items");
        assertFalse(head.headerHasToken("Connection", ""), "an empty item is not a token");
        assertFalse(head.headerHasToken("Connection", "Upgrade,"),
                "commas separate items, they are not part of one");
    }

    @Test
    void acceptsBareLineFeedsAndLeadingEmptyLines() throws Exception {
        RequestHead head = read("\r\n\nGET / HTTP/1.1\nHost: x\n\n");
        assertEquals("x", head.header("Host"));
    }

    @Test
    void answersNullWhenThePeerClosesBeforeSendingAnything() throws Exception {
        assertNull(read(""));
    }

    @Test
    void rejectsAHeadCutOffByEndOfStream() {
        assertEquals(400, rejection("GET / HTTP/1.1\r\nHost: x\r\n"));
    }

    @Test
    void rejectsAHeadOver8KiBWith431() {
        assertEquals(431, rejection("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(RequestHead.MAX_HEAD_BYTES) + "\r\n\r\n"));
        // no line end at all must not be buffered without limit either
        assertEquals(431, rejection("G".repeat(RequestHead.MAX_HEAD_BYTES + 1)));
    }

    @Test
    void acceptsAHeadOfExactly8KiB() throws Exception {
        String start = "GET / HTTP/1.1\r\nX-Big: ";
        String end = "\r\n\r\n";
        String filler = "a".repeat(RequestHead.MAX_HEAD_BYTES - start.length() - end.length());
        assertEquals(filler, read(start + filler + end).header("X-Big"));
    }

    @Test
    void rejectsMoreThan100FieldsWith431() throws Exception {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < RequestHead.MAX_HEADER_COUNT; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        assertEquals(RequestHead.MAX_HEADER_COUNT, read(head + "\r\n").headers().asMap().size());
        assertEquals(431, rejection(head + "X-One-Too-Many: v\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET / HTTP/x\r\n\r\n",
        "hello world\r\n\r\n",
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n",
    })
    void rejectsAMalformedRequestLineWith400(String text) {
        assertEquals(400, rejection(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoColon", ": no name", "Bad Name: v", "Bad\"Name: v"})
    void rejectsAMalformedFieldWith400(String field) {
        assertEquals(400, rejection("GET / HTTP/1.1\r\n" + field + "\r\n\r\n"));
    }

    /** RFC 9112 §5.2: a server may reject obsolete line folding with 400. */
    @Test
    void rejectsObsoleteLineFoldingWith400() {
        assertEquals(400, rejection("GET / HTTP/1.1\r\nX-Long: first\r\n  second\r\n\r\n"));
        assertEquals(400, rejection("GET / HTTP/1.1\r\nX-Long: first\r\n\tsecond\r\n\r\n"));
    }
}
