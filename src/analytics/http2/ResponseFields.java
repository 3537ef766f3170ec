package analytics.http2;

import analytics.http.HttpDate;
import analytics.http.Response;
import analytics.http2.hpack.HeaderField;
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
 *          safe without a lock (date()).
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

    /** The date field of the current second, shared by the responses of that second. */
    private static volatile HeaderField dateField = new HeaderField("date", "");

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

    /**
     * The date field of the current second. HttpDate makes the text once a second and hands
     * out the same String all that second, so a field is made only when that String changes
     * (the identity check is deliberate: it is the cheap "same second?" test).
     */
    static HeaderField date() {
        String now = HttpDate.now();
        HeaderField field = dateField;
        if (field.value() != now) {
            field = new HeaderField("date", now);
            dateField = field;
        }
        return field;
    }

    /** RFC 9110 §6.4.1: 1xx, 204 and 304 answers never have content. */
    static boolean hasBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }
}
