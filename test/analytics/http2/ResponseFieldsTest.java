package analytics.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Headers;
import analytics.http.Response;
import analytics.http2.hpack.HeaderField;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response's header list: its order, and a Date made once per second (RFC 9110 §6.6.1). */
class ResponseFieldsTest {

    /** RFC 9110 §5.6.7's own example: 784111777 seconds after the epoch. */
    private static final long RFC_EXAMPLE_MILLIS = 784_111_777_000L;

    @Test
    void dateIsTheRfcsImfFixdate() {
        HeaderField date = new ResponseFields.DateCache().at(RFC_EXAMPLE_MILLIS);
        assertEquals(new HeaderField("date", "Sun, 06 Nov 1994 08:49:37 GMT"), date);
    }

    @Test
    void dateKeepsATwoDigitDayAndEnglishNames() {
        // 2024-03-05T07:08:09Z: a one-digit day and hour, which RFC 1123's JDK formatter
        // would print as "5 Mar" - not IMF-fixdate.
        HeaderField date = new ResponseFields.DateCache().at(1_709_622_489_000L);
        assertEquals("Tue, 05 Mar 2024 07:08:09 GMT", date.value());
    }

    @Test
    void dateIsMadeOncePerSecondAndSharedWithinIt() {
        ResponseFields.DateCache cache = new ResponseFields.DateCache();
        HeaderField first = cache.at(RFC_EXAMPLE_MILLIS);
        assertSame(first, cache.at(RFC_EXAMPLE_MILLIS + 999), "the same second: the same field");
        HeaderField next = cache.at(RFC_EXAMPLE_MILLIS + 1000);
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", next.value());
        assertNotEquals(first, next);
    }

    @Test
    void fieldsAreStatusDateTheHandlersThenContentLength() {
        Response response = Response.text(200, "text/plain", "hi");
        List<HeaderField> fields = ResponseFields.of(response);
        assertEquals(List.of(":status", "date", "content-type", "content-length"),
                fields.stream().map(HeaderField::name).toList());
        Instant sent = ResponseFields.IMF_FIXDATE.parse(fields.get(1).value(), Instant::from);
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
