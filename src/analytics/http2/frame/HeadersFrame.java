package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * HEADERS: opens a stream (or carries trailers) with the first fragment of an HPACK block.
 *
 * <pre>
 *  +---------------+
 *  |Pad Length? (8)|
 *  +-+-------------+-----------------------------------------------+
 *  |E|                 Stream Dependency? (31)                     |
 *  +-+-------------+-----------------------------------------------+
 *  |  Weight? (8)  |
 *  +-+-------------+-----------------------------------------------+
 *  |                   Header Block Fragment (*)                 ...
 *  +---------------------------------------------------------------+
 *  |                           Padding (*)                       ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.2 (diagram as in RFC 7540)
 * Not here: HPACK decoding and CONTINUATION assembly (the connection's).
 * Threads: immutable.
 *
 * @param dependency the priority's stream dependency, 0 without the PRIORITY flag; kept
 *                   only so the connection can refuse a stream that depends on itself
 */
public record HeadersFrame(int streamId, boolean endStream, boolean endHeaders, int dependency,
                           byte[] fragment) implements Frame {

    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int PADDED = 0x8;
    public static final int PRIORITY = 0x20;
    /** Exclusive bit, dependency and weight. */
    private static final int PRIORITY_FIELDS_LENGTH = 5;

    static HeadersFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.HEADERS);
        int padLength = FrameDecoder.readPadLength(payload, flags, PADDED, FrameType.HEADERS);
        int dependency = 0;
        if ((flags & PRIORITY) != 0) {
            if (payload.remaining() < PRIORITY_FIELDS_LENGTH) {
                throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                        "HEADERS with the PRIORITY flag is too short for its priority fields");
            }
            dependency = payload.getInt() & 0x7FFF_FFFF; // §5.3 is deprecated: weight skipped too
            payload.get();
        }
        FrameDecoder.dropPadding(payload, padLength, FrameType.HEADERS);
        return new HeadersFrame(streamId, (flags & END_STREAM) != 0, (flags & END_HEADERS) != 0,
                dependency, FrameDecoder.bytes(payload));
    }

    @Override
    public String toString() {
        return "HEADERS stream=" + streamId + " block=" + fragment.length
                + (endStream ? " END_STREAM" : "") + (endHeaders ? " END_HEADERS" : "");
    }
}
