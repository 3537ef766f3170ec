package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import analytics.http2.hpack.HeaderField;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** §8.2 and §8.3.1 field by field: each malformed request refused with its reason. */
class RequestFieldsTest {

    private static List<HeaderField> fields(String... namesAndValues) {
        List<HeaderField> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new HeaderField(namesAndValues[i], namesAndValues[i + 1]));
        }
        return fields;
    }

    private static List<HeaderField> request(String... extra) {
        List<HeaderField> fields = fields(":method", "POST", ":scheme", "http", ":path", "/metrics?x=1",
                ":authority", "example.test");
        fields.addAll(fields(extra));
        return fields;
    }

    @Test
    void splitsAValidRequestIntoWhatTheHandlerReads() throws Exception {
        RequestFields parsed = RequestFields.parse(1, request("content-type", "application/json",
                "content-length", "42", "cookie", "a=1", "cookie", "b=2"));
        assertEquals("POST", parsed.method());
        assertEquals("/metrics", parsed.path(), "without the query string");
        assertEquals(42, parsed.contentLength());
        assertEquals("application/json", parsed.headers().first("Content-Type"));
        assertEquals("example.test", parsed.headers().first("Host"), ":authority stands in for Host");
        assertEquals(List.of("a=1", "b=2"), parsed.headers().all("cookie"));
        assertEquals(-1, RequestFields.parse(1, request()).contentLength());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            upper-case name         | X-Probe          | 1          | upper-case
            space in a name         | x probe          | 1          | character 0x20
            connection field        | connection       | close      | connection-specific
            keep-alive field        | keep-alive       | 5          | connection-specific
            transfer-encoding       | transfer-encoding| chunked    | connection-specific
            upgrade field           | upgrade          | h2c        | connection-specific
            te other than trailers  | te               | gzip       | te other
            unknown pseudo-header   | :protocol        | websocket  | pseudo-header
            content-length letters  | content-length   | 4x         | content-length
            value with white space  | x-probe          | ' padded'  | white space
            """)
    void refusesAMalformedField(String what, String name, String value, String reason) {
        Http2Exception e = assertThrows(Http2Exception.class, () -> RequestFields.parse(3, request(name, value)));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.errorCode(), what);
        assertEquals(3, e.streamId(), "a stream error");
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void refusesARequestWithoutItsPseudoHeaders() {
        assertThrows(Http2Exception.class, () -> RequestFields.parse(1, fields(":method", "GET", ":scheme", "http")));
        assertThrows(Http2Exception.class, () -> RequestFields.parse(1, fields(":method", "GET", ":path", "/")));
        assertThrows(Http2Exception.class, () -> RequestFields.parse(1, fields(":scheme", "http", ":path", "/")));
        assertThrows(Http2Exception.class,
                () -> RequestFields.parse(1, fields(":method", "GET", ":scheme", "http", ":path", "")));
    }

    @Test
    void refusesAPseudoHeaderAfterARegularField() {
        Http2Exception e = assertThrows(Http2Exception.class, () -> RequestFields.parse(1,
                fields(":method", "GET", "accept", "*/*", ":scheme", "http", ":path", "/")));
        assertTrue(e.getMessage().contains("after a regular field"), e.getMessage());
    }

    @Test
    void refusesAPseudoHeaderTwice() {
        assertThrows(Http2Exception.class, () -> RequestFields.parse(1,
                fields(":method", "GET", ":scheme", "http", ":path", "/", ":path", "/again")));
    }

    @Test
    void refusesAValueWithALineBreak() {
        assertThrows(Http2Exception.class, () -> RequestFields.parse(1, request("x-probe", "a\r\nb: c")));
    }

    @Test
    void refusesTwoDifferentContentLengths() {
        assertThrows(Http2Exception.class,
                () -> RequestFields.parse(1, request("content-length", "4", "content-length", "5")));
    }

    @Test
    void acceptsTeTrailersAndChecksTrailers() throws Exception {
        RequestFields.parse(1, request("te", "trailers"));
        RequestFields.checkTrailers(1, fields("x-checksum", "abc"));
        assertThrows(Http2Exception.class, () -> RequestFields.checkTrailers(1, fields(":path", "/")));
        assertThrows(Http2Exception.class, () -> RequestFields.checkTrailers(1, fields("Upper", "x")));
    }
}
