package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * RST_STREAM: ends one stream at once, with an error code saying why.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                        Error Code (32)                        |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.4 (diagram as in RFC 7540)
 * Threads: immutable.
 */
public record RstStreamFrame(int streamId, ErrorCode errorCode) implements Frame {

    static final int LENGTH = 4;

    static RstStreamFrame parse(int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.RST_STREAM);
        FrameDecoder.requireLength(payload, LENGTH, FrameType.RST_STREAM);
        return new RstStreamFrame(streamId, ErrorCode.fromCode(Integer.toUnsignedLong(payload.getInt())));
    }

    @Override
    public String toString() {
        return "RST_STREAM stream=" + streamId + " " + errorCode;
    }
}
