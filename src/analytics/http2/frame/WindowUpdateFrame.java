package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * WINDOW_UPDATE: the receiver lets the sender send {@code increment} more bytes of DATA,
 * on one stream or (stream 0) on the whole connection.
 *
 * <pre>
 *  +-+-------------------------------------------------------------+
 *  |R|              Window Size Increment (31)                     |
 *  +-+-------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.9 (diagram as in RFC 7540)
 * Not here: window arithmetic and overflow (the connection's writer).
 * Threads: immutable.
 */
public record WindowUpdateFrame(int streamId, int increment) implements Frame {

    static final int LENGTH = 4;

    static WindowUpdateFrame parse(int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireLength(payload, LENGTH, FrameType.WINDOW_UPDATE);
        int increment = payload.getInt() & 0x7FFF_FFFF; // the reserved bit is ignored (§6.9)
        if (increment == 0) {
            String message = "WINDOW_UPDATE with an increment of 0";
            throw streamId == 0
                    ? Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, message)
                    : Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId, message);
        }
        return new WindowUpdateFrame(streamId, increment);
    }

    @Override
    public String toString() {
        return "WINDOW_UPDATE stream=" + streamId + " increment=" + increment;
    }
}
