package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ResponseEncoderTest {

    /** RFC 9110 §5.6.7's own example; a response that carries a Date keeps it. */
    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static String encode(Response response, boolean head, boolean close) {
        return new String(Http1ResponseEncoder.encode(response.withHeader("Date", DATE), head, close),
                StandardCharsets.UTF_8);
    }

    @Test
    void writesStatusLineFieldsLengthAndBody() {
        Response response = Response.json(404, "{\"error\":\"Not Found\"}").withHeader("X-A", "1");
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Date: " + DATE + "\r\n"
                + "X-A: 1\r\n"
                + "Content-Length: 21\r\n"
                + "Connection: close\r\n\r\n"
                + "{\"error\":\"Not Found\"}", encode(response, false, true));
    }

    @Test
    void countsBytesNotCharacters() {
        Response response = Response.text(200, "text/plain; charset=utf-8", "é");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: " + DATE
                + "\r\nContent-Length: 2\r\n\r\né",
                encode(response, false, false));
    }

    /** RFC 9110 §9.3.2: HEAD gets the length GET would have had, and no body. */
    @Test
    void headGetsTheLengthButNoBody() {
        String bytes = encode(Response.text(200, "text/plain", "hello"), true, true);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: " + DATE
                + "\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
                bytes);
    }

    @Test
    void repeatedFieldsAreWrittenOnePerLine() {
        Response response = new Response(204, Headers.of("Vary", "a", "Vary", "b"), new byte[0]);
        assertEquals("HTTP/1.1 204 No Content\r\nDate: " + DATE + "\r\nVary: a\r\nVary: b\r\n\r\n", encode(response, false, false));
    }

    /** RFC 9110 §6.6.1: an origin server with a clock sends Date; this second's, from HttpDate. */
    @Test
    void addsTheDateOfThisSecondWhenTheResponseHasNone() {
        long before = System.currentTimeMillis();
        String bytes = new String(Http1ResponseEncoder.encode(Response.error(404), false, true),
                StandardCharsets.UTF_8);
        long after = System.currentTimeMillis();
        String date = bytes.substring(bytes.indexOf("\r\nDate: ") + 8, bytes.indexOf("\r\n", bytes.indexOf("\r\nDate: ") + 2));
        assertTrue(date.equals(HttpDate.at(before)) || date.equals(HttpDate.at(after)), date);
    }

    @Test
    void formatsTheRfcExampleDate() {
        assertEquals(DATE, HttpDate.at(784_111_777_000L));
        assertEquals(DATE, HttpDate.at(784_111_777_999L), "one value for the whole second");
        assertSame(HttpDate.at(784_111_777_000L), HttpDate.at(784_111_777_500L), "made once per second");
        // 2024-03-05T07:08:09Z: a one-digit day and hour, which RFC 1123's JDK formatter
        // would print as "5 Mar" - not IMF-fixdate.
        assertEquals("Tue, 05 Mar 2024 07:08:09 GMT", HttpDate.at(1_709_622_489_000L));
    }
}
