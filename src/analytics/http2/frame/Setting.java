package analytics.http2.frame;

/**
 * The SETTINGS parameters of HTTP/2: wire identifier, initial value, and the range a peer
 * may send, with the error code the RFC names for a value outside it.
 *
 * Pattern: enum that carries its wire value and validates at the edge - an out-of-range
 *          value never gets past the decoder.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.5.2, §6.5.3
 * Not here: the values in effect for one side (Settings).
 * Threads: immutable.
 */
public enum Setting {
    /** Bytes of the HPACK dynamic table the sender's decoder allows the encoder to use. */
    HEADER_TABLE_SIZE(0x1, 4096, 0, Setting.UNSIGNED_32_MAX, null),
    /** 0 or 1; only a server may push, so a client's 1 means nothing to us. */
    ENABLE_PUSH(0x2, 1, 0, 1, ErrorCode.PROTOCOL_ERROR),
    /** Streams the sender lets its peer open at once; initially no limit. */
    MAX_CONCURRENT_STREAMS(0x3, Setting.UNSIGNED_32_MAX, 0, Setting.UNSIGNED_32_MAX, null),
    /** Every new stream's flow-control window, in bytes. */
    INITIAL_WINDOW_SIZE(0x4, 65_535, 0, Setting.MAX_WINDOW_SIZE, ErrorCode.FLOW_CONTROL_ERROR),
    /** The largest frame payload the sender is willing to receive. */
    MAX_FRAME_SIZE(0x5, 16_384, 16_384, 16_777_215, ErrorCode.PROTOCOL_ERROR),
    /** Advisory: the largest header list (names + values + 32 per field) the sender accepts. */
    MAX_HEADER_LIST_SIZE(0x6, Setting.UNSIGNED_32_MAX, 0, Setting.UNSIGNED_32_MAX, null);

    /** §6.9.1: a flow-control window never exceeds 2^31-1 bytes. */
    public static final long MAX_WINDOW_SIZE = (1L << 31) - 1;
    /** Values are unsigned 32-bit: "no limit" is the largest of them. */
    static final long UNSIGNED_32_MAX = 0xFFFF_FFFFL;

    private static final Setting[] BY_ID = {null, HEADER_TABLE_SIZE, ENABLE_PUSH,
        MAX_CONCURRENT_STREAMS, INITIAL_WINDOW_SIZE, MAX_FRAME_SIZE, MAX_HEADER_LIST_SIZE};

    private final int id;
    private final long initialValue;
    private final long min;
    private final long max;
    private final ErrorCode outOfRange;

    Setting(int id, long initialValue, long min, long max, ErrorCode outOfRange) {
        this.id = id;
        this.initialValue = initialValue;
        this.min = min;
        this.max = max;
        this.outOfRange = outOfRange;
    }

    public int id() {
        return id;
    }

    /** The value in effect before any SETTINGS frame (§6.5.2). */
    public long initialValue() {
        return initialValue;
    }

    /** The parameter for a wire identifier, or null: §6.5.2 says unknown ones are ignored. */
    public static Setting fromId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** Refuses a value outside the RFC's range as a connection error with the RFC's code. */
    public long validate(long value) throws Http2Exception {
        if (value < min || value > max) {
            throw Http2Exception.connectionError(outOfRange == null ? ErrorCode.PROTOCOL_ERROR : outOfRange,
                    "SETTINGS_" + name() + " = " + value + " is outside " + min + ".." + max);
        }
        return value;
    }
}
