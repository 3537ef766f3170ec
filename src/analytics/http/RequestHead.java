package analytics.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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
    /** RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; compiled once, not per request. */
    private static final Pattern HTTP_VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    public static final int MAX_HEADER_COUNT = 100;

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
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /** Whether a comma-separated field (Connection, Upgrade) lists {@code token}, ignoring case. */
    public boolean headerHasToken(String name, String token) {
        String value = header(name);
        if (value == null) {
            return false;
        }
        for (String item : value.split(",")) {
            if (item.strip().equalsIgnoreCase(token)) {
                return true;
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
     */
    public static RequestHead read(InputStream in) throws IOException, BadRequestException {
        List<String> lines = new ArrayList<>();
        // Sized for a typical line and doubled as needed: every connection's head passes
        // through here, and an 8 KiB array each was a third of what a WebSocket handshake
        // allocated. The total is still bounded by MAX_HEAD_BYTES below.
        byte[] line = new byte[FIRST_LINE_BYTES];
        int lineLength = 0;
        int total = 0;
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
            String text = new String(line, 0, end, StandardCharsets.ISO_8859_1);
            lineLength = 0;
            if (text.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // §2.2: ignore empty lines before the request line
                }
                return parse(lines);
            }
            if (lines.size() > MAX_HEADER_COUNT) {
                throw new BadRequestException(431, "more than " + MAX_HEADER_COUNT + " header fields");
            }
            lines.add(text);
        }
    }

    static RequestHead parse(List<String> lines) throws BadRequestException {
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()) {
            throw new BadRequestException(400, "malformed request line");
        }
        String version = requestLine[2];
        if (!HTTP_VERSION.matcher(version).matches()) {
            throw new BadRequestException(400, "malformed HTTP version");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(" ") || line.startsWith("\t")) {
                throw new BadRequestException(400, "obsolete line folding is not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new BadRequestException(400, "malformed header field");
            }
            fields.computeIfAbsent(line.substring(0, colon), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        return new RequestHead(requestLine[0], requestLine[1], version.toUpperCase(Locale.ROOT),
                Headers.from(fields));
    }

    /** RFC 9110 §5.6.2: a field name is a token - no spaces, no separators. */
    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
