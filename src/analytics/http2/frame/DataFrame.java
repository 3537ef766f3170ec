package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * DATA: a piece of a request or response body.
 *
 * <pre>
 *  +---------------+
 *  |Pad Length? (8)|
 *  +---------------+-----------------------------------------------+
 *  |                            Data (*)                         ...
 *  +---------------------------------------------------------------+
 *  |                           Padding (*)                       ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.1 (diagram as in RFC 7540)
 * Not here: stream states and flow control (the connection's rules).
 * Threads: immutable.
 *
 * @param flowControlledLength the whole payload, padding included: §6.9 counts it all
 */
public record DataFrame(int streamId, boolean endStream, byte[] data, int flowControlledLength)
        implements Frame {

    public static final int END_STREAM = 0x1;
    public static final int PADDED = 0x8;

    static DataFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.DATA);
        int length = payload.remaining();
        int padLength = FrameDecoder.readPadLength(payload, flags, PADDED, FrameType.DATA);
        FrameDecoder.dropPadding(payload, padLength, FrameType.DATA);
        return new DataFrame(streamId, (flags & END_STREAM) != 0, FrameDecoder.bytes(payload), length);
    }

    @Override
    public String toString() {
        return "DATA stream=" + streamId + " length=" + data.length + (endStream ? " END_STREAM" : "");
    }
}
