package analytics.http2;

import analytics.http.Headers;
import analytics.http2.frame.ErrorCode;
import analytics.http2.frame.Http2Exception;
import analytics.http2.hpack.HeaderField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A decoded request header list, checked against HTTP/2's rules for requests and split
 * into what an analytics.http.Request needs: method, path, header fields, content-length.
 * Anything malformed is a stream error PROTOCOL_ERROR (§8.1.1): that request is refused,
 * the connection lives on.
 *
 * Pattern: validate at the edge - one pass over the fields, every rule named after its
 *          section, a precise reason in the exception.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §8.2 (fields), §8.2.2, §8.3.1
 * Not here: CONNECT (§8.5, not supported: it lacks :scheme and :path, so it is malformed).
 * Threads: immutable values, stateless parsing.
 *
 * @param contentLength the content-length field, or -1 without one
 */
record RequestFields(String method, String path, Headers headers, long contentLength) {

    /** §8.2.2: fields that only make sense on one HTTP/1.1 connection are malformed here. */
    private static final Set<String> CONNECTION_SPECIFIC =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");
    /** content-length values above 18 digits could not fit a long; no body is that large. */
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    boolean isHead() {
        return method.equals("HEAD");
    }

    /** The fields of a HEADERS block that opens a stream (§8.3.1). */
    static RequestFields parse(int streamId, List<HeaderField> fields) throws Http2Exception {
        String method = null;
        String scheme = null;
        String path = null;
        String authority = null;
        boolean regularSeen = false;
        Map<String, List<String>> regular = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HeaderField field : fields) {
            String name = field.name();
            String value = field.value();
            if (name.startsWith(":")) {
                if (regularSeen) {
                    throw malformed(streamId, "pseudo-header " + name + " after a regular field");
                }
                switch (name) {
                    case ":method" -> method = once(streamId, name, method, value);
                    case ":scheme" -> scheme = once(streamId, name, scheme, value);
                    case ":path" -> path = once(streamId, name, path, value);
                    case ":authority" -> authority = once(streamId, name, authority, value);
                    default -> throw malformed(streamId, "unknown request pseudo-header " + name);
                }
                checkValue(streamId, name, value);
                continue;
            }
            regularSeen = true;
            checkRegular(streamId, name, value);
            regular.computeIfAbsent(name, key -> new ArrayList<>(1)).add(value);
        }
        if (method == null || scheme == null || path == null) {
            throw malformed(streamId, "a request needs :method, :scheme and :path");
        }
        if (path.isEmpty()) {
            throw malformed(streamId, ":path is empty");
        }
        if (authority != null && !regular.containsKey("host")) {
            // The application reads Host whichever protocol carried the request (RFC 9110 §7.2).
            regular.put("host", List.of(authority));
        }
        long contentLength = contentLength(streamId, regular.get("content-length"));
        int query = path.indexOf('?');
        return new RequestFields(method, query < 0 ? path : path.substring(0, query),
                Headers.from(regular), contentLength);
    }

    /** Trailers (§8.1): regular fields only, under the same rules; their values are dropped. */
    static void checkTrailers(int streamId, List<HeaderField> fields) throws Http2Exception {
        for (HeaderField field : fields) {
            if (field.name().startsWith(":")) {
                throw malformed(streamId, "pseudo-header " + field.name() + " in trailers");
            }
            checkRegular(streamId, field.name(), field.value());
        }
    }

    private static void checkRegular(int streamId, String name, String value) throws Http2Exception {
        checkName(streamId, name);
        if (CONNECTION_SPECIFIC.contains(name)) {
            throw malformed(streamId, "connection-specific field " + name);
        }
        if (name.equals("te") && !value.equalsIgnoreCase("trailers")) {
            throw malformed(streamId, "te other than \"trailers\"");
        }
        checkValue(streamId, name, value);
    }

    private static String once(int streamId, String name, String previous, String value)
            throws Http2Exception {
        if (previous != null) {
            throw malformed(streamId, "pseudo-header " + name + " twice");
        }
        return value;
    }

    /** §8.2.1: no control characters, no space, no upper case, no colon in a field name. */
    private static void checkName(int streamId, String name) throws Http2Exception {
        if (name.isEmpty()) {
            throw malformed(streamId, "empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ':') {
                throw malformed(streamId, "field name with character 0x" + Integer.toHexString(c));
            }
            if (c >= 'A' && c <= 'Z') {
                throw malformed(streamId, "upper-case field name " + name);
            }
        }
    }

    /** §8.2.1: no NUL, CR or LF anywhere; no space or tab at either end. */
    private static void checkValue(int streamId, String name, String value) throws Http2Exception {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw malformed(streamId, "value of " + name + " contains NUL, CR or LF");
            }
        }
        if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
            throw malformed(streamId, "value of " + name + " starts or ends with white space");
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static long contentLength(int streamId, List<String> values) throws Http2Exception {
        if (values == null) {
            return -1;
        }
        long length = -1;
        for (String value : values) {
            if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
                throw malformed(streamId, "content-length is not a number of bytes");
            }
            long parsed = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    throw malformed(streamId, "content-length is not a number of bytes");
                }
                parsed = parsed * 10 + (c - '0');
            }
            if (length >= 0 && parsed != length) {
                throw malformed(streamId, "content-length given twice with different values");
            }
            length = parsed;
        }
        return length;
    }

    private static Http2Exception malformed(int streamId, String reason) {
        return Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId,
                "malformed request: " + reason);
    }
}
