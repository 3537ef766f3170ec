package analytics.websocket;

/**
 * A violation of RFC 6455 by the peer, carrying the close code to send back.
 *
 * Pattern: one exception per protocol, carrying its wire error code; caught only at
 *          the connection boundary, which sends the close frame.
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §7.1.7 (fail the connection)
 */
public final class WebSocketException extends Exception {

    private static final long serialVersionUID = 1L;

    private final CloseCode closeCode;

    public WebSocketException(CloseCode closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public CloseCode closeCode() {
        return closeCode;
    }

    static WebSocketException protocolError(String message) {
        return new WebSocketException(CloseCode.PROTOCOL_ERROR, message);
    }
}
