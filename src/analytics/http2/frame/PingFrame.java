package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * PING: eight opaque bytes the receiver sends back in a PING with the ACK flag - a
 * round-trip probe and a liveness check.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                                                               |
 *  |                      Opaque Data (64)                         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.7 (diagram as in RFC 7540)
 * Threads: immutable.
 *
 * @param opaqueData the eight bytes as one big-endian number, echoed unchanged
 */
public record PingFrame(boolean ack, long opaqueData) implements Frame {

    public static final int ACK = 0x1;
    static final int LENGTH = 8;

    static PingFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireConnection(streamId, FrameType.PING);
        FrameDecoder.requireLength(payload, LENGTH, FrameType.PING);
        return new PingFrame((flags & ACK) != 0, payload.getLong());
    }

    @Override
    public int streamId() {
        return 0;
    }

    @Override
    public String toString() {
        return "PING" + (ack ? " ACK" : "") + " data=0x" + Long.toHexString(opaqueData);
    }
}
