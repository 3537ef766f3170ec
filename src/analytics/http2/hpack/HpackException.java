package analytics.http2.hpack;

/**
 * A header block HPACK cannot decode. The peer's encoder and our decoder no longer agree
 * on the dynamic table, so no later block on the connection can be trusted either.
 *
 * Pattern: one exception per protocol failure; the connection maps it to its wire code.
 * Lesson:  lessons/17-http2-on-the-wire.md
 * Spec:    RFC 7541 §2.3.3, §4.2, §5.1, §5.2, §6; RFC 9113 §4.3 ("a decoding error in a field
 *          block MUST be treated as a connection error of type COMPRESSION_ERROR")
 * Not here: the GOAWAY frame itself; the HTTP/2 connection sends it.
 */
public final class HpackException extends Exception {

    private static final long serialVersionUID = 1L;

    HpackException(String message) {
        super(message);
    }
}
