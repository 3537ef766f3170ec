package analytics.http2;

import analytics.http.Response;
import analytics.http2.hpack.HeaderField;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header list of an HTTP/2 response, made from an analytics.http.Response: :status
 * first, date, the handler's fields with lower-case names, then content-length.
 *
 * Pattern: adapter from the transport-neutral Response to the protocol's form; built on
 *          the handler's thread, so the connection's one writer only encodes and writes.
 * Lesson:  lessons/17-http2-on-the-wire.md
 * Spec:    RFC 9113 §8.3.2, §8.2.2, §8.2; RFC 9110 §8.6, §6.6.1 and §5.6.7 (Date)
 * Not here: HPACK (FrameWriter encodes the list), 1xx interim responses (never sent).
 * Threads: any handler thread; the one shared state, the date of the current second, is
 *          safe without a lock (DateCache).
 */
final class ResponseFields {

    /** §8.2.2: never sent over HTTP/2, even if a handler set one for HTTP/1.1. */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

    /** One shared :status field per status code, made once: every response starts with one. */
    private static final HeaderField[] STATUS_FIELDS = new HeaderField[600];

    static {
        for (int status = 100; status < STATUS_FIELDS.length; status++) {
            STATUS_FIELDS[status] = new HeaderField(":status", Integer.toString(status));
        }
    }

    /** RFC 9110 §5.6.7: IMF-fixdate, always in GMT and in English - "Sun, 06 Nov 1994 08:49:37 GMT". */
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The date field the responses of this second share. */
    private static final DateCache DATE = new DateCache();

    private ResponseFields() {
    }

    static List<HeaderField> of(Response response) {
        List<HeaderField> fields = new ArrayList<>(8);
        int status = response.status();
        fields.add(STATUS_FIELDS[status]); // Response allows 100..599 only
        if (response.headers().first("date") == null) { // a handler's own date stands
            // RFC 9110 §6.6.1: an origin server with a clock sends Date, as the JDK's
            // HTTP/1.1 server does on the other port.
            fields.add(date());
        }
        for (Map.Entry<String, List<String>> field : response.headers().asMap().entrySet()) {
            // §8.2: field names are lower case in HTTP/2; toLowerCase returns the same
            // string when it already is, so the common case allocates nothing.
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (CONNECTION_SPECIFIC.contains(name) || name.equals("content-length")) {
                continue;
            }
            for (String value : field.getValue()) {
                fields.add(new HeaderField(name, value));
            }
        }
        if (hasBody(status)) {
            // For HEAD too: the length the GET would have had (RFC 9110 §8.6).
            fields.add(new HeaderField("content-length", Integer.toString(response.body().length)));
        }
        return fields;
    }

    /** The date field of the current second. */
    static HeaderField date() {
        return DATE.at(System.currentTimeMillis());
    }

    /**
     * Date has a resolution of one second, so formatting it per response would redo the
     * same work thousands of times a second on the handlers' threads: it is made once per
     * second and shared. Two threads that cross into a new second together may both
     * format it; the same text either way, so no lock.
     */
    static final class DateCache {

        private record Dated(long epochSecond, HeaderField field) {
        }

        private volatile Dated current = new Dated(Long.MIN_VALUE, null);

        HeaderField at(long epochMillis) {
            long second = Math.floorDiv(epochMillis, 1000);
            Dated dated = current;
            if (dated.epochSecond != second) {
                dated = new Dated(second,
                        new HeaderField("date", IMF_FIXDATE.format(Instant.ofEpochSecond(second))));
                current = dated;
            }
            return dated.field;
        }
    }

    /** RFC 9110 §6.4.1: 1xx, 204 and 304 answers never have content. */
    static boolean hasBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }
}
