package analytics.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The request line and header fields of an HTTP/1.1 request, read from a socket with
 * limits, so a stranger cannot make us buffer without end.
 *
 * Pattern: a parser with explicit limits that rejects at the edge with a status code.
 * Lesson:  lessons/04-websocket-handshake.md   Spec: RFC 9112 §2.2, §3, §5
 * Not here: bodies, chunked encoding, obsolete line folding (refused). The read deadline
 *           is the socket's (Socket.setSoTimeout), set by the caller.
 * Threads: an immutable value once read.
 *
 * @param headers every field, found by name whatever its case; a repeated field's values
 *                in arrival order
 */
public record RequestHead(String method, String target, String version, Headers headers) {

    /** Limits like a web server's defaults (nginx: 8 KiB of headers, here 100 fields). */
    public static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final int FIRST_LINE_BYTES = 256;
    public static final int MAX_HEADER_COUNT = 100;
    /** RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name = "HTTP". */
    private static final byte[] HTTP_NAME = "HTTP/".getBytes(StandardCharsets.ISO_8859_1);

    /** The request cannot be served; {@code status} is the HTTP status to answer with. */
    public static final class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadRequestException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The field's value, several fields of one name joined by ", " (RFC 9110 §5.3); null if absent. */
    public String header(String name) {
        List<String> values = headers.all(name);
        return switch (values.size()) {
            case 0 -> null;
            case 1 -> values.get(0);
            default -> String.join(", ", values);
        };
    }

    /**
     * Whether a comma-separated field (Connection, Upgrade) lists {@code token}, ignoring case
     * and the optional whitespace around each item (RFC 9110 §5.6.1). No strings are made:
     * every WebSocket handshake asks this twice.
     */
    public boolean headerHasToken(String name, String token) {
        for (String value : headers.all(name)) {
            int from = 0;
            while (from <= value.length()) {
                int comma = value.indexOf(',', from);
                int to = comma < 0 ? value.length() : comma;
                int start = from;
                int end = to;
                while (start < end && isOptionalWhitespace(value.charAt(start))) {
                    start++;
                }
                while (end > start && isOptionalWhitespace(value.charAt(end - 1))) {
                    end--;
                }
                boolean empty = start == end; // §5.6.1: empty list elements are ignored
                if (!empty && end - start == token.length()
                        && value.regionMatches(true, start, token, 0, end - start)) {
                    return true;
                }
                from = to + 1;
            }
        }
        return false;
    }

    /** The target without its query string. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The application's view of this head, with the body the server read (empty for a GET). */
    public Request toRequest(Protocol protocol, byte[] body) {
        return Request.of(protocol, method, path(), headers, body);
    }

    /**
     * Reads up to the blank line that ends the head. Returns null when the peer closed
     * the connection before sending anything (not an error: a port scan, a health probe).
     * Each line is parsed as it ends, from its bytes: the only strings made are the parts
     * kept (method, target, version, each field's name and value), since every WebSocket
     * handshake passes through here.
     */
    public static RequestHead read(InputStream in) throws IOException, BadRequestException {
        // Sized for a typical line and doubled as needed; the total is still bounded by
        // MAX_HEAD_BYTES below.
        byte[] line = new byte[FIRST_LINE_BYTES];
        int lineLength = 0;
        int total = 0;
        RequestLine requestLine = null;
        Headers.Builder fields = new Headers.Builder();
        int fieldCount = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (total == 0) {
                    return null;
                }
                throw new BadRequestException(400, "connection closed in the middle of the request head");
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new BadRequestException(431, "request head over " + MAX_HEAD_BYTES + " bytes");
            }
            if (b != '\n') {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_HEAD_BYTES));
                }
                line[lineLength++] = (byte) b;
                continue;
            }
            // RFC 9112 §2.2: a line ends with CRLF; a bare LF is accepted, as most servers do.
            int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            if (requestLine == null) {
                if (end > 0) { // §2.2: empty lines before the request line are ignored
                    requestLine = requestLine(line, end);
                }
            } else if (end == 0) {
                return new RequestHead(requestLine.method(), requestLine.target(),
                        requestLine.version(), fields.build());
            } else if (fieldCount++ == MAX_HEADER_COUNT) {
                throw new BadRequestException(431, "more than " + MAX_HEADER_COUNT + " header fields");
            } else {
                addField(fields, line, end);
            }
        }
    }

    /** §3: request-line = method SP request-target SP HTTP-version. */
    private record RequestLine(String method, String target, String version) {
    }

    private static RequestLine requestLine(byte[] line, int end) throws BadRequestException {
        int firstSpace = indexOf(line, (byte) ' ', 0, end);
        int secondSpace = firstSpace < 0 ? -1 : indexOf(line, (byte) ' ', firstSpace + 1, end);
        if (firstSpace <= 0 || secondSpace <= firstSpace + 1
                || indexOf(line, (byte) ' ', secondSpace + 1, end) >= 0) {
            throw new BadRequestException(400, "malformed request line");
        }
        if (!isHttpVersion(line, secondSpace + 1, end)) {
            throw new BadRequestException(400, "malformed HTTP version");
        }
        return new RequestLine(text(line, 0, firstSpace), text(line, firstSpace + 1, secondSpace),
                text(line, secondSpace + 1, end));
    }

    /** §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT. */
    private static boolean isHttpVersion(byte[] line, int from, int end) {
        if (end - from != HTTP_NAME.length + 3) {
            return false;
        }
        for (int i = 0; i < HTTP_NAME.length; i++) {
            if (line[from + i] != HTTP_NAME[i]) {
                return false;
            }
        }
        int at = from + HTTP_NAME.length;
        return isDigit(line[at]) && line[at + 1] == '.' && isDigit(line[at + 2]);
    }

    /** §5: field-line = field-name ":" OWS field-value OWS. */
    private static void addField(Headers.Builder fields, byte[] line, int end)
            throws BadRequestException {
        if (isOptionalWhitespace(line[0])) {
            throw new BadRequestException(400, "obsolete line folding is not accepted");
        }
        int colon = indexOf(line, (byte) ':', 0, end);
        if (colon <= 0 || !isToken(line, colon)) {
            throw new BadRequestException(400, "malformed header field");
        }
        int from = colon + 1;
        int to = end;
        while (from < to && isOptionalWhitespace(line[from])) {
            from++;
        }
        while (to > from && isOptionalWhitespace(line[to - 1])) {
            to--;
        }
        fields.add(text(line, 0, colon), text(line, from, to));
    }

    /** RFC 9110 §5.6.2: a field name is a token - no spaces, no separators. */
    private static boolean isToken(byte[] line, int end) {
        for (int i = 0; i < end; i++) {
            int c = line[i] & 0xFF;
            boolean ok = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 §5.6.3: OWS = *( SP / HTAB ). */
    private static boolean isOptionalWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] line, byte wanted, int from, int end) {
        for (int i = from; i < end; i++) {
            if (line[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** ISO-8859-1: one byte, one char, so any byte sequence decodes. */
    private static String text(byte[] line, int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
