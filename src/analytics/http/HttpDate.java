package analytics.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date field's value for this second, in RFC 9110's IMF-fixdate ("Sun, 06 Nov 1994
 * 08:49:37 GMT"), made at most once a second and shared by every answer of that second.
 *
 * Pattern: cache a value whose resolution is coarser than its use - Date has one-second
 *          resolution, so formatting it per response would redo the same work thousands of
 *          times a second.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 9110 §6.6.1 (Date), §5.6.7 (IMF-fixdate)
 * Threads: any; two threads crossing into a new second together may both format it, and
 *          either result is right - cheaper than a lock on every response.
 */
public final class HttpDate {

    /** Always GMT, always English day and month names, whatever the JVM's locale. */
    public static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Dated(long epochSecond, String value) {
    }

    private static volatile Dated current = new Dated(Long.MIN_VALUE, "");

    private HttpDate() {
    }

    /** The value for now. */
    public static String now() {
        return at(System.currentTimeMillis());
    }

    /** The value for the second that holds {@code epochMillis}. */
    public static String at(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Dated dated = current;
        if (dated.epochSecond() != second) {
            dated = new Dated(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            current = dated;
        }
        return dated.value();
    }
}
