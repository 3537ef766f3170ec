package analytics.http2.frame;

/**
 * A violation of HTTP/2 by the peer, carrying the error code to put on the wire and the
 * scope of the damage: stream 0 means the whole connection (answered with GOAWAY), any
 * other stream id means only that stream (answered with RST_STREAM; the connection lives).
 *
 * Pattern: one exception per protocol, carrying its wire error code; built by two small
 *          factories named after §5.4's two kinds of error; caught only where the peer's
 *          bytes meet a boundary that answers them: the connection's reader (RST_STREAM or
 *          GOAWAY) and H2cUpgrade (the upgrade's HTTP2-Settings, refused with a 400).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §5.4.1, §5.4.2
 * Threads: immutable.
 */
public final class Http2Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final int streamId;

    private Http2Exception(ErrorCode errorCode, int streamId, String message) {
        // No stack trace: these are thrown for a stranger's bad bytes, often on purpose and
        // in bulk (a flood), and the message says everything the log needs.
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.streamId = streamId;
    }

    /** §5.4.1: the connection cannot go on; GOAWAY with this code, then close. */
    public static Http2Exception connectionError(ErrorCode errorCode, String message) {
        return new Http2Exception(errorCode, 0, message);
    }

    /** §5.4.2: only this stream is broken; RST_STREAM with this code. */
    public static Http2Exception streamError(ErrorCode errorCode, int streamId, String message) {
        if (streamId == 0) {
            throw new IllegalArgumentException("a stream error needs a stream id; use connectionError");
        }
        return new Http2Exception(errorCode, streamId, message);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The stream to reset; 0 for a connection error. */
    public int streamId() {
        return streamId;
    }

    public boolean isConnectionError() {
        return streamId == 0;
    }
}
