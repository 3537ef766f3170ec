package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * PUSH_PROMISE: a server announcing a response it will push. Only servers push, so the
 * connection refuses one from a client (§8.4); it is parsed all the same, so the error
 * says what arrived rather than "unknown bytes".
 *
 * <pre>
 *  +---------------+
 *  |Pad Length? (8)|
 *  +-+-------------+-----------------------------------------------+
 *  |R|                  Promised Stream ID (31)                    |
 *  +-+-----------------------------+-------------------------------+
 *  |                   Header Block Fragment (*)                 ...
 *  +---------------------------------------------------------------+
 *  |                           Padding (*)                       ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.6 (diagram as in RFC 7540)
 * Threads: immutable.
 */
public record PushPromiseFrame(int streamId, boolean endHeaders, int promisedStreamId, byte[] fragment)
        implements Frame {

    public static final int END_HEADERS = 0x4;
    public static final int PADDED = 0x8;
    private static final int PROMISED_ID_LENGTH = 4;

    static PushPromiseFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.PUSH_PROMISE);
        int padLength = FrameDecoder.readPadLength(payload, flags, PADDED, FrameType.PUSH_PROMISE);
        if (payload.remaining() < PROMISED_ID_LENGTH) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    "PUSH_PROMISE too short for its promised stream id");
        }
        int promised = payload.getInt() & 0x7FFF_FFFF;
        FrameDecoder.dropPadding(payload, padLength, FrameType.PUSH_PROMISE);
        return new PushPromiseFrame(streamId, (flags & END_HEADERS) != 0, promised,
                FrameDecoder.bytes(payload));
    }

    @Override
    public String toString() {
        return "PUSH_PROMISE stream=" + streamId + " promised=" + promisedStreamId;
    }
}
