package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ResponseEncoderTest {

    private static String encode(Response response, boolean head, boolean close) {
        return new String(Http1ResponseEncoder.encode(response, head, close), StandardCharsets.UTF_8);
    }

    @Test
    void writesStatusLineFieldsLengthAndBody() {
        Response response = Response.json(404, "{\"error\":\"Not Found\"}").withHeader("X-A", "1");
        assertEquals("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "X-A: 1\r\n"
                + "Content-Length: 21\r\n"
                + "Connection: close\r\n\r\n"
                + "{\"error\":\"Not Found\"}", encode(response, false, true));
    }

    @Test
    void countsBytesNotCharacters() {
        Response response = Response.text(200, "text/plain; charset=utf-8", "é");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\né",
                encode(response, false, false));
    }

    /** RFC 9110 §9.3.2: HEAD gets the length GET would have had, and no body. */
    @Test
    void headGetsTheLengthButNoBody() {
        String bytes = encode(Response.text(200, "text/plain", "hello"), true, true);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n",
                bytes);
    }

    @Test
    void repeatedFieldsAreWrittenOnePerLine() {
        Response response = new Response(204, Headers.of("Vary", "a", "Vary", "b"), new byte[0]);
        assertEquals("HTTP/1.1 204 No Content\r\nVary: a\r\nVary: b\r\n\r\n", encode(response, false, false));
    }
}
