package analytics.http2.frame;

/**
 * The frame types of HTTP/2, each with the 8-bit code it has on the wire.
 *
 * Pattern: enum that carries its wire value; a code with no constant is an extension
 *          frame, which §5.5 says to ignore (the decoder turns it into an UnknownFrame).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6, §11.2 (frame type registry)
 * Threads: immutable.
 */
public enum FrameType {
    DATA(0x0),
    HEADERS(0x1),
    PRIORITY(0x2),
    RST_STREAM(0x3),
    SETTINGS(0x4),
    PUSH_PROMISE(0x5),
    PING(0x6),
    GOAWAY(0x7),
    WINDOW_UPDATE(0x8),
    CONTINUATION(0x9);

    /** Indexed by wire code: the decoder looks a type up once per frame, without a loop. */
    private static final FrameType[] BY_CODE = values();

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null for a type this endpoint does not know. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
