package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * Decodes HTTP/2 frames from bytes that may arrive split at any point: call it with what
 * the socket gave; it answers a frame, or null for "need more bytes" and leaves them in
 * the buffer for the next call. Every frame is checked against the rules of its own
 * section (lengths, padding, stream 0 or not, setting ranges) before it is returned.
 *
 * <pre>
 *  +-----------------------------------------------+
 *  |                 Length (24)                   |
 *  +---------------+---------------+---------------+
 *  |   Type (8)    |   Flags (8)   |
 *  +-+-------------+---------------+-------------------------------+
 *  |R|                 Stream Identifier (31)                      |
 *  +=+=============================================================+
 *  |                   Frame Payload (0...)                      ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Pattern: resumable decoder that consumes whole frames only - the caller's one big read
 *          buffer is the only buffer, so a frame is copied once, from there to its record.
 *          "Need more bytes" is null; a violation is an Http2Exception with its code.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §4.1, §4.2, §6 (diagram as in RFC 7540)
 * Not here: rules between frames (stream states, CONTINUATION order, flow control) - the
 *           connection's. The caller's buffer must hold 9 + maxFrameSize bytes.
 * Threads: stateless after construction; share it freely.
 */
public final class FrameDecoder {

    /** §4.1: length (3), type, flags, stream id (4). */
    public static final int HEADER_LENGTH = 9;
    private static final int STREAM_ID_MASK = 0x7FFF_FFFF;

    private final int maxFrameSize;

    /** @param maxFrameSize our SETTINGS_MAX_FRAME_SIZE: a longer frame is a FRAME_SIZE_ERROR */
    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** The next whole frame, or null when {@code in} does not hold one yet (nothing consumed). */
    public Frame decode(ByteBuffer in) throws Http2Exception {
        if (in.remaining() < HEADER_LENGTH) {
            return null;
        }
        int start = in.position();
        int length = ((in.get(start) & 0xFF) << 16) | ((in.get(start + 1) & 0xFF) << 8)
                | (in.get(start + 2) & 0xFF);
        if (length > maxFrameSize) {
            // Refused from the header alone, before a byte of the payload is buffered. §4.2
            // allows a stream error for some types; one connection error keeps it simple.
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    "frame of " + length + " bytes is over SETTINGS_MAX_FRAME_SIZE " + maxFrameSize);
        }
        if (in.remaining() < HEADER_LENGTH + length) {
            return null;
        }
        int typeCode = in.get(start + 3) & 0xFF;
        int flags = in.get(start + 4) & 0xFF;
        int streamId = in.getInt(start + 5) & STREAM_ID_MASK; // §4.1: the R bit is ignored
        ByteBuffer payload = in.slice(start + HEADER_LENGTH, length);
        in.position(start + HEADER_LENGTH + length);
        FrameType type = FrameType.fromCode(typeCode);
        if (type == null) {
            return new UnknownFrame(typeCode, flags, streamId, length);
        }
        return switch (type) {
            case DATA -> DataFrame.parse(flags, streamId, payload);
            case HEADERS -> HeadersFrame.parse(flags, streamId, payload);
            case PRIORITY -> PriorityFrame.parse(streamId, payload);
            case RST_STREAM -> RstStreamFrame.parse(streamId, payload);
            case SETTINGS -> SettingsFrame.parse(flags, streamId, payload);
            case PUSH_PROMISE -> PushPromiseFrame.parse(flags, streamId, payload);
            case PING -> PingFrame.parse(flags, streamId, payload);
            case GOAWAY -> GoAwayFrame.parse(streamId, payload);
            case WINDOW_UPDATE -> WindowUpdateFrame.parse(streamId, payload);
            case CONTINUATION -> ContinuationFrame.parse(flags, streamId, payload);
        };
    }

    // --- checks shared by the frame records -----------------------------------------------

    /** Frames that belong to a stream may not arrive on stream 0 (§6.1, §6.2, ...). */
    static void requireStream(int streamId, FrameType type) throws Http2Exception {
        if (streamId == 0) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR, type + " on stream 0");
        }
    }

    /** Frames about the connection (SETTINGS, PING, GOAWAY) may only arrive on stream 0. */
    static void requireConnection(int streamId, FrameType type) throws Http2Exception {
        if (streamId != 0) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    type + " on stream " + streamId + "; it belongs to stream 0");
        }
    }

    /** Fixed-length frames of another length are a FRAME_SIZE_ERROR (§4.2). */
    static void requireLength(ByteBuffer payload, int length, FrameType type) throws Http2Exception {
        if (payload.remaining() != length) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    type + " of " + payload.remaining() + " bytes; it has exactly " + length);
        }
    }

    /** §6.1: with the PADDED flag, the first byte says how many padding bytes end the frame. */
    static int readPadLength(ByteBuffer payload, int flags, int paddedFlag, FrameType type)
            throws Http2Exception {
        if ((flags & paddedFlag) == 0) {
            return 0;
        }
        if (!payload.hasRemaining()) {
            throw Http2Exception.connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    type + " PADDED without a Pad Length");
        }
        return payload.get() & 0xFF;
    }

    /** §6.1, §6.2: padding as long as the payload or longer is a PROTOCOL_ERROR. */
    static void dropPadding(ByteBuffer payload, int padLength, FrameType type) throws Http2Exception {
        if (padLength > payload.remaining()) {
            throw Http2Exception.connectionError(ErrorCode.PROTOCOL_ERROR,
                    type + " padding of " + padLength + " bytes does not fit in its payload");
        }
        payload.limit(payload.limit() - padLength);
    }

    static byte[] bytes(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }
}
