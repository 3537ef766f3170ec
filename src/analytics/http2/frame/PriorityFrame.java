package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * PRIORITY: a client's hint about which stream matters more. RFC 9113 deprecated the
 * scheme (§5.3.2); this server parses the frame, checks it, and otherwise ignores it.
 *
 * <pre>
 *  +-+-------------------------------------------------------------+
 *  |E|                  Stream Dependency (31)                     |
 *  +-+-------------+-----------------------------------------------+
 *  |   Weight (8)  |
 *  +-+-------------+
 * </pre>
 *
 * Pattern: one record per frame type, parser beside its diagram.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §6.3, §5.3.1 (diagram as in RFC 7540)
 * Threads: immutable.
 */
public record PriorityFrame(int streamId, int dependency, boolean exclusive, int weight)
        implements Frame {

    static final int LENGTH = 5;

    static PriorityFrame parse(int streamId, ByteBuffer payload) throws Http2Exception {
        FrameDecoder.requireStream(streamId, FrameType.PRIORITY);
        if (payload.remaining() != LENGTH) {
            throw Http2Exception.streamError(ErrorCode.FRAME_SIZE_ERROR, streamId,
                    "PRIORITY of " + payload.remaining() + " bytes; it has exactly " + LENGTH);
        }
        int word = payload.getInt();
        int dependency = word & 0x7FFF_FFFF;
        if (dependency == streamId) {
            throw Http2Exception.streamError(ErrorCode.PROTOCOL_ERROR, streamId,
                    "stream " + streamId + " cannot depend on itself");
        }
        return new PriorityFrame(streamId, dependency, word < 0, (payload.get() & 0xFF) + 1);
    }

    @Override
    public String toString() {
        return "PRIORITY stream=" + streamId + " dependency=" + dependency + " weight=" + weight;
    }
}
