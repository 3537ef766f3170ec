package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * CONTINUATION: the next fragment of a header block too long for one frame.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                   Header Block Fragment (*)                 ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.10 (diagram as in RFC 7540)
 * Not here: the rule that nothing else may come between the fragments (the connection's).
 * Threads: immutable.
 */
public record ContinuationFrame(int streamId, boolean endHeaders, byte[] fragment) implements Frame {

    public static final int END_HEADERS = 0x4;

    static ContinuationFrame parse(int flags, int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.CONTINUATION);
        return new ContinuationFrame(streamId, (flags & END_HEADERS) != 0, FrameDecoder.bytes(payload));
    }

    @Override
    public String toString() {
        return "CONTINUATION stream=" + streamId + " block=" + fragment.length
                + (endHeaders ? " END_HEADERS" : "");
    }
}
