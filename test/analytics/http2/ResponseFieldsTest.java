package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Headers;
import analytics.http.HttpDate;
import analytics.http.Response;
import analytics.http2.hpack.HeaderField;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response's header list: its order, and a Date made once per second (RFC 9110 §6.6.1). */
class ResponseFieldsTest {

    @Test
    void theDateFieldIsSharedByTheResponsesOfOneSecond() {
        // Two calls in a row fall in one second, unless they straddle a boundary: then the
        // next pair does not.
        for (int pair = 0; pair < 3; pair++) {
            HeaderField first = ResponseFields.date();
            HeaderField second = ResponseFields.date();
            if (first.value().equals(second.value())) {
                assertSame(first, second, "made once per second, not per response");
                return;
            }
        }
        throw new AssertionError("three pairs of calls each straddled a second boundary");
    }

    @Test
    void fieldsAreStatusDateTheHandlersThenContentLength() {
        Response response = Response.text(200, "text/plain", "hi");
        List<HeaderField> fields = ResponseFields.of(response);
        assertEquals(List.of(":status", "date", "content-type", "content-length"),
                fields.stream().map(HeaderField::name).toList());
        Instant sent = HttpDate.IMF_FIXDATE.parse(fields.get(1).value(), Instant::from);
        assertTrue(Duration.between(sent, Instant.now()).abs().toSeconds() <= 2, fields.get(1).value());
    }

    @Test
    void aDateTheHandlerSetIsKeptAndNotDoubled() {
        Response response = new Response(200, Headers.of("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), new byte[0]);
        List<HeaderField> dates = ResponseFields.of(response).stream()
                .filter(field -> field.name().equals("date")).toList();
        assertEquals(List.of(new HeaderField("date", "Sun, 06 Nov 1994 08:49:37 GMT")), dates);
    }
}
