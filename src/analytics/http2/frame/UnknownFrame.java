package analytics.http2.frame;

/**
 * A frame of a type this endpoint does not know: an extension it did not negotiate.
 * §5.5 says to ignore it, so only its header is kept, for the log and for the one rule
 * it can still break (nothing may come between a header block's fragments, §6.10).
 *
 * Pattern: the "ignore what you do not understand" rule made a value instead of a skip,
 *          so the connection still sees that something arrived.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §4.1, §5.5
 * Threads: immutable.
 */
public record UnknownFrame(int type, int flags, int streamId, int length) implements Frame {

    @Override
    public String toString() {
        return "UNKNOWN type=0x" + Integer.toHexString(type) + " stream=" + streamId
                + " length=" + length;
    }
}
