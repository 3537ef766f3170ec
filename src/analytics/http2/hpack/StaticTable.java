package analytics.http2.hpack;

import java.util.HashMap;
import java.util.Map;

/**
 * The 61 header fields every HPACK peer knows without sending them, at indices 1 to 61.
 * Indices above 61 address the dynamic table (§2.3.3), which the caller handles.
 *
 * Pattern: a spec table transcribed as data, with a lookup built once at class load.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 7541 §2.3.1, Appendix A
 * Not here: the dynamic table (DynamicTable) and the choice of what to index (HpackEncoder).
 * Threads: immutable after class initialisation, so share it freely.
 */
final class StaticTable {

    /** RFC 7541 Appendix A, "Static Table Definition", in order: entry i is index i + 1. */
    private static final HeaderField[] ENTRIES = {
        new HeaderField(":authority", ""),                      // 1
        new HeaderField(":method", "GET"),                      // 2
        new HeaderField(":method", "POST"),                     // 3
        new HeaderField(":path", "/"),                          // 4
        new HeaderField(":path", "/index.html"),                // 5
        new HeaderField(":scheme", "http"),                     // 6
        new HeaderField(":scheme", "https"),                    // 7
        new HeaderField(":status", "200"),                      // 8
        new HeaderField(":status", "204"),                      // 9
        new HeaderField(":status", "206"),                      // 10
        new HeaderField(":status", "304"),                      // 11
        new HeaderField(":status", "400"),                      // 12
        new HeaderField(":status", "404"),                      // 13
        new HeaderField(":status", "500"),                      // 14
        new HeaderField("accept-charset", ""),                  // 15
        new HeaderField("accept-encoding", "gzip, deflate"),    // 16
        new HeaderField("accept-language", ""),                 // 17
        new HeaderField("accept-ranges", ""),                   // 18
        new HeaderField("accept", ""),                          // 19
        new HeaderField("access-control-allow-origin", ""),     // 20
        new HeaderField("age", ""),                             // 21
        new HeaderField("allow", ""),                           // 22
        new HeaderField("authorization", ""),                   // 23
        new HeaderField("cache-control", ""),                   // 24
        new HeaderField("content-disposition", ""),             // 25
        new HeaderField("content-encoding", ""),                // 26
        new HeaderField("content-language", ""),                // 27
        new HeaderField("content-length", ""),                  // 28
        new HeaderField("content-location", ""),                // 29
        new HeaderField("content-range", ""),                   // 30
        new HeaderField("content-type", ""),                    // 31
        new HeaderField("cookie", ""),                          // 32
        new HeaderField("date", ""),                            // 33
        new HeaderField("etag", ""),                            // 34
        new HeaderField("expect", ""),                          // 35
        new HeaderField("expires", ""),                         // 36
        new HeaderField("from", ""),                            // 37
        new HeaderField("host", ""),                            // 38
        new HeaderField("if-match", ""),                        // 39
        new HeaderField("if-modified-since", ""),               // 40
        new HeaderField("if-none-match", ""),                   // 41
        new HeaderField("if-range", ""),                        // 42
        new HeaderField("if-unmodified-since", ""),             // 43
        new HeaderField("last-modified", ""),                   // 44
        new HeaderField("link", ""),                            // 45
        new HeaderField("location", ""),                        // 46
        new HeaderField("max-forwards", ""),                    // 47
        new HeaderField("proxy-authenticate", ""),              // 48
        new HeaderField("proxy-authorization", ""),             // 49
        new HeaderField("range", ""),                           // 50
        new HeaderField("referer", ""),                         // 51
        new HeaderField("refresh", ""),                         // 52
        new HeaderField("retry-after", ""),                     // 53
        new HeaderField("server", ""),                          // 54
        new HeaderField("set-cookie", ""),                      // 55
        new HeaderField("strict-transport-security", ""),       // 56
        new HeaderField("transfer-encoding", ""),               // 57
        new HeaderField("user-agent", ""),                      // 58
        new HeaderField("vary", ""),                            // 59
        new HeaderField("via", ""),                             // 60
        new HeaderField("www-authenticate", ""),                // 61
    };

    /** Number of entries; the first dynamic-table index is LENGTH + 1 (§2.3.3). */
    static final int LENGTH = ENTRIES.length;

    /**
     * Name to its lowest index. Entries with the same name are adjacent in Appendix A, so a
     * full match is found by walking on from there. The Integers are all under 128 and so
     * come from the boxing cache: a lookup allocates nothing.
     */
    private static final Map<String, Integer> FIRST_INDEX_BY_NAME = new HashMap<>();

    static {
        for (int i = LENGTH; i >= 1; i--) {
            FIRST_INDEX_BY_NAME.put(ENTRIES[i - 1].name(), i);
        }
    }

    private StaticTable() {
    }

    /** The field at {@code index}, 1 to {@link #LENGTH}. */
    static HeaderField get(int index) {
        return ENTRIES[index - 1];
    }

    /** The lowest index whose name is {@code name}, or 0 when none is. */
    static int indexOfName(String name) {
        Integer first = FIRST_INDEX_BY_NAME.get(name);
        return first == null ? 0 : first;
    }

    /** The index whose name and value both match, or 0 when none does. */
    static int indexOf(String name, String value) {
        int index = indexOfName(name);
        if (index == 0) {
            return 0;
        }
        for (int i = index; i <= LENGTH && ENTRIES[i - 1].name().equals(name); i++) {
            if (ENTRIES[i - 1].value().equals(value)) {
                return i;
            }
        }
        return 0;
    }
}
