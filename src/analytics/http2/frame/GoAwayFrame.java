package analytics.http2.frame;

import analytics.log.Untrusted;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * GOAWAY: the sender will start no stream above {@code lastStreamId}; with an error code
 * other than NO_ERROR it is the last frame before the connection closes.
 *
 * <pre>
 *  +-+-------------------------------------------------------------+
 *  |R|                  Last-Stream-ID (31)                        |
 *  +-+-------------------------------------------------------------+
 *  |                      Error Code (32)                          |
 *  +---------------------------------------------------------------+
 *  |                  Additional Debug Data (*)                    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.8 (diagram as in RFC 7540)
 * Threads: immutable.
 *
 * @param debugData free text for a human reading a capture; ours names the broken rule
 */
public record GoAwayFrame(int lastStreamId, ErrorCode errorCode, byte[] debugData) implements Frame {

    static final int MIN_LENGTH = 8;

    static GoAwayFrame parse(int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireConnection(streamId, FrameType.GOAWAY);
        if (payload.remaining() < MIN_LENGTH) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    "GOAWAY of " + payload.remaining() + " bytes; it has at least " + MIN_LENGTH);
        }
        int lastStreamId = payload.getInt() & 0x7FFF_FFFF;
        ErrorCode errorCode = ErrorCode.fromCode(Integer.toUnsignedLong(payload.getInt()));
        return new GoAwayFrame(lastStreamId, errorCode, FrameDecoder.bytes(payload));
    }

    @Override
    public int streamId() {
        return 0;
    }

    @Override
    public String toString() {
        return "GOAWAY last=" + lastStreamId + " " + errorCode
                + (debugData.length == 0 ? ""
                        : " \"" + Untrusted.text(new String(debugData, StandardCharsets.UTF_8)) + "\"");
    }
}
