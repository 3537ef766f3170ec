package analytics.http2.frame;

/**
 * The error codes of RST_STREAM and GOAWAY frames, with their 32-bit wire values.
 *
 * Pattern: protocol constants as an enum with their wire value and meaning.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §7
 * Threads: immutable.
 */
public enum ErrorCode {
    /** Not an error: a graceful GOAWAY, or "stop sending, I have my answer" on a stream. */
    NO_ERROR(0x0),
    /** The peer broke a rule of the protocol that no more specific code covers. */
    PROTOCOL_ERROR(0x1),
    /** Something went wrong on our side. */
    INTERNAL_ERROR(0x2),
    /** The peer sent more than a flow-control window allowed, or overflowed a window. */
    FLOW_CONTROL_ERROR(0x3),
    /** A SETTINGS frame was not acknowledged in time (we never time out: not sent). */
    SETTINGS_TIMEOUT(0x4),
    /** A frame arrived on a stream that was already half-closed or closed. */
    STREAM_CLOSED(0x5),
    /** A frame had the wrong length, or was longer than SETTINGS_MAX_FRAME_SIZE. */
    FRAME_SIZE_ERROR(0x6),
    /** The stream was refused before any processing: the client may safely retry it. */
    REFUSED_STREAM(0x7),
    /** The stream is no longer needed. */
    CANCEL(0x8),
    /** The HPACK state could not be kept; the connection cannot go on. */
    COMPRESSION_ERROR(0x9),
    /** A CONNECT tunnel failed (this server does not do CONNECT). */
    CONNECT_ERROR(0xa),
    /** The peer is generating excessive load: floods, rapid resets. */
    ENHANCE_YOUR_CALM(0xb),
    /** TLS too weak (cleartext here: never sent). */
    INADEQUATE_SECURITY(0xc),
    /** The request should be retried over HTTP/1.1. */
    HTTP_1_1_REQUIRED(0xd);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The constant for a wire value. §7: an unknown code "MUST NOT trigger any special
     * behavior" and may be treated as INTERNAL_ERROR, which is what this returns for one.
     */
    public static ErrorCode fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : INTERNAL_ERROR;
    }
}
