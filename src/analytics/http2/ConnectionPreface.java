package analytics.http2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The client connection preface, and how the server tells it from an HTTP/1.1 request on
 * the same port by its first bytes.
 *
 * The preface was chosen to look like an HTTP/1.1 request no server would accept (method
 * PRI, version HTTP/2.0), so an old server fails fast. Here it lets one port speak both:
 * the whole preface means HTTP/2 with prior knowledge; a request that starts like any
 * other is HTTP/1.1 (plain, or asking for the h2c upgrade); a peer that sent the PRI
 * request line and then something else, or binary bytes from the start, meant HTTP/2 and
 * got it wrong - a PROTOCOL_ERROR.
 *
 * Pattern: protocol detection by peeking (mark/reset), so the chosen parser reads the
 *          bytes from the start as if nobody had looked.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §3.4; RFC 9112 §2.2, §3
 * Not here: the server preface (the SETTINGS frame the connection sends first).
 * Threads: stateless.
 */
final class ConnectionPreface {

    /** §3.4: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24 octets. */
    static final byte[] CLIENT_PREFACE =
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** "PRI * HTTP/2.0\r\n": a peer that sent this much meant HTTP/2. */
    static final int REQUEST_LINE_LENGTH = 16;

    enum Kind {
        /** The whole preface: HTTP/2 with prior knowledge. */
        HTTP2,
        /** Anything that starts like an HTTP/1.1 request line. */
        HTTP1,
        /** Neither: an HTTP/2 peer with a broken preface, or not HTTP at all. */
        INVALID,
        /** The peer closed without sending a byte (a port probe). */
        EMPTY
    }

    private ConnectionPreface() {
    }

    /**
     * Looks at up to 24 bytes and puts them back: the caller reads them again, from the
     * start, with the parser this chooses. {@code in} must support mark (BufferedInputStream).
     */
    static Kind sniff(InputStream in) throws IOException {
        in.mark(CLIENT_PREFACE.length);
        int first = -1;
        int matched = 0;
        try {
            while (matched < CLIENT_PREFACE.length) {
                int b = in.read();
                if (first < 0) {
                    first = b;
                }
                if (b < 0 || b != (CLIENT_PREFACE[matched] & 0xFF)) {
                    break;
                }
                matched++;
            }
        } finally {
            in.reset();
        }
        if (matched == CLIENT_PREFACE.length) {
            return Kind.HTTP2;
        }
        if (first < 0) {
            return Kind.EMPTY;
        }
        if (matched >= REQUEST_LINE_LENGTH) {
            return Kind.INVALID;
        }
        return startsLikeHttp1(first) ? Kind.HTTP1 : Kind.INVALID;
    }

    /** RFC 9112 §3: a request line starts with a method token; §2.2 allows empty lines first. */
    private static boolean startsLikeHttp1(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '\r' || b == '\n';
    }
}
