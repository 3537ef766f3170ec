package analytics.http2;

/**
 * The life of one stream as §5.1 draws it, seen from the server, with one method per
 * arrow of the diagram that a server can travel.
 *
 * <pre>
 *                    +--------+
 *                    |  idle  |
 *                    +--------+
 *            recv H   |      |  recv H + ES
 *                     v      v
 *             +--------+  recv ES  +----------------------+
 *             |  open  |---------->| half-closed (remote) |
 *             +--------+           +----------------------+
 *                 | send ES                   | send ES
 *                 v                           v
 *   +---------------------+  recv ES     +--------+
 *   | half-closed (local) |------------->| closed |
 *   +---------------------+              +--------+
 *
 *   H: HEADERS   ES: the END_STREAM flag   send R / recv R (RST_STREAM): closed from any state
 * </pre>
 *
 * Pattern: state machine as an enum whose transitions are arrow switches; an arrow the
 *          RFC does not draw throws, so a bug in the connection cannot invent one.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §5.1, §5.1.2
 * Not here: which frames are errors in which state (the connection decides, naming §5.1).
 * Threads: immutable.
 */
enum StreamState {
    IDLE,
    /** Only a server that pushes reserves streams; this one never does. */
    RESERVED_LOCAL,
    /** A client cannot push to a server (§8.4): never entered here. */
    RESERVED_REMOTE,
    OPEN,
    HALF_CLOSED_LOCAL,
    HALF_CLOSED_REMOTE,
    CLOSED;

    /** The client's HEADERS opens the stream; with END_STREAM the request is already whole. */
    StreamState onReceiveHeaders(boolean endStream) {
        return switch (this) {
            case IDLE -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            default -> throw illegal("recv HEADERS (opening)");
        };
    }

    /** The client's last frame of the request (END_STREAM on DATA or trailers). */
    StreamState onReceiveEndStream() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_REMOTE;
            case HALF_CLOSED_LOCAL -> CLOSED;
            default -> throw illegal("recv END_STREAM");
        };
    }

    /** Our last frame of the response. */
    StreamState onSendEndStream() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE -> CLOSED;
            default -> throw illegal("send END_STREAM");
        };
    }

    /** RST_STREAM sent or received: closed at once, from any state but idle. */
    StreamState onReset() {
        return switch (this) {
            case IDLE -> throw illegal("RST_STREAM"); // §6.4: never on an idle stream
            default -> CLOSED;
        };
    }


    /** Whether the client may still send DATA and trailers on the stream. */
    boolean isReceiving() {
        return switch (this) {
            case OPEN, HALF_CLOSED_LOCAL -> true;
            case IDLE, RESERVED_LOCAL, RESERVED_REMOTE, HALF_CLOSED_REMOTE, CLOSED -> false;
        };
    }

    private IllegalStateException illegal(String event) {
        return new IllegalStateException("§5.1 has no arrow for " + event + " from " + this);
    }
}
