package analytics.websocket;

/**
 * The frame types of RFC 6455, each with the 4-bit code it has on the wire.
 *
 * Pattern: enum that carries its wire value; unknown codes have no constant, so they
 *          cannot travel past the decoder.
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §5.2, §11.8
 */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Control frames (close, ping, pong) have the high bit of the opcode set (§5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** The opcode for a wire code, or null for the reserved codes 0x3-0x7 and 0xB-0xF. */
    public static Opcode fromCode(int code) {
        for (Opcode opcode : values()) {
            if (opcode.code == code) {
                return opcode;
            }
        }
        return null;
    }
}
