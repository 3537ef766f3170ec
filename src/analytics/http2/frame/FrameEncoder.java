package analytics.http2.frame;

import java.nio.ByteBuffer;

/**
 * Writes frames into a caller's buffer: the connection's writer puts a whole batch of
 * frames in one buffer and hands it to the socket in one write. Never pads, never sets
 * priority fields: a server has no use for either.
 *
 * Pattern: encoder with no I/O; the inverse of FrameDecoder, laid out by the same diagrams.
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §4.1, §6
 * Not here: splitting a body or a header block to the peer's frame size (the writer's).
 * Threads: stateless.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /** §4.1: the nine bytes in front of every frame. */
    public static void writeHeader(ByteBuffer out, int length, FrameType type, int flags, int streamId) {
        out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
                .put((byte) type.code()).put((byte) flags).putInt(streamId);
    }

    public static void writeData(ByteBuffer out, int streamId, boolean endStream,
                                 byte[] data, int offset, int length) {
        writeHeader(out, length, FrameType.DATA, endStream ? DataFrame.END_STREAM : 0, streamId);
        out.put(data, offset, length);
    }

    public static void writeHeaders(ByteBuffer out, int streamId, boolean endStream, boolean endHeaders,
                                    byte[] block, int offset, int length) {
        int flags = (endStream ? HeadersFrame.END_STREAM : 0) | (endHeaders ? HeadersFrame.END_HEADERS : 0);
        writeHeader(out, length, FrameType.HEADERS, flags, streamId);
        out.put(block, offset, length);
    }

    public static void writeContinuation(ByteBuffer out, int streamId, boolean endHeaders,
                                         byte[] block, int offset, int length) {
        int flags = endHeaders ? ContinuationFrame.END_HEADERS : 0;
        writeHeader(out, length, FrameType.CONTINUATION, flags, streamId);
        out.put(block, offset, length);
    }

    /** The bytes {@link #write} puts in the buffer for this frame. */
    public static int encodedLength(Frame frame) {
        return FrameDecoder.HEADER_LENGTH + payloadLength(frame);
    }

    /** One frame of any type but an unknown one (whose payload was never kept). */
    public static void write(ByteBuffer out, Frame frame) {
        switch (frame) {
            case DataFrame data ->
                    writeData(out, data.streamId(), data.endStream(), data.data(), 0, data.data().length);
            case HeadersFrame headers -> writeHeaders(out, headers.streamId(), headers.endStream(),
                    headers.endHeaders(), headers.fragment(), 0, headers.fragment().length);
            case ContinuationFrame continuation -> writeContinuation(out, continuation.streamId(),
                    continuation.endHeaders(), continuation.fragment(), 0, continuation.fragment().length);
            case PriorityFrame priority -> {
                writeHeader(out, PriorityFrame.LENGTH, FrameType.PRIORITY, 0, priority.streamId());
                out.putInt(priority.dependency() | (priority.exclusive() ? 0x8000_0000 : 0))
                        .put((byte) (priority.weight() - 1));
            }
            case RstStreamFrame reset -> {
                writeHeader(out, RstStreamFrame.LENGTH, FrameType.RST_STREAM, 0, reset.streamId());
                out.putInt(reset.errorCode().code());
            }
            case SettingsFrame settings -> {
                writeHeader(out, payloadLength(settings), FrameType.SETTINGS,
                        settings.ack() ? SettingsFrame.ACK : 0, 0);
                for (SettingsFrame.Entry entry : settings.entries()) {
                    out.putShort((short) entry.setting().id()).putInt((int) entry.value());
                }
            }
            case PushPromiseFrame push -> {
                writeHeader(out, payloadLength(push), FrameType.PUSH_PROMISE,
                        push.endHeaders() ? PushPromiseFrame.END_HEADERS : 0, push.streamId());
                out.putInt(push.promisedStreamId()).put(push.fragment());
            }
            case PingFrame ping -> {
                writeHeader(out, PingFrame.LENGTH, FrameType.PING, ping.ack() ? PingFrame.ACK : 0, 0);
                out.putLong(ping.opaqueData());
            }
            case GoAwayFrame goAway -> {
                writeHeader(out, payloadLength(goAway), FrameType.GOAWAY, 0, 0);
                out.putInt(goAway.lastStreamId()).putInt(goAway.errorCode().code()).put(goAway.debugData());
            }
            case WindowUpdateFrame update -> {
                writeHeader(out, WindowUpdateFrame.LENGTH, FrameType.WINDOW_UPDATE, 0, update.streamId());
                out.putInt(update.increment());
            }
            case UnknownFrame unknown ->
                    throw new IllegalArgumentException("an unknown frame has no payload to write");
        }
    }

    /** A frame on its own, as bytes; for frames that leave outside a batch. */
    public static byte[] toBytes(Frame frame) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(frame));
        write(out, frame);
        return out.array();
    }

    private static int payloadLength(Frame frame) {
        return switch (frame) {
            case DataFrame data -> data.data().length;
            case HeadersFrame headers -> headers.fragment().length;
            case ContinuationFrame continuation -> continuation.fragment().length;
            case PriorityFrame priority -> PriorityFrame.LENGTH;
            case RstStreamFrame reset -> RstStreamFrame.LENGTH;
            case SettingsFrame settings -> settings.entries().size() * SettingsFrame.ENTRY_LENGTH;
            case PushPromiseFrame push -> 4 + push.fragment().length;
            case PingFrame ping -> PingFrame.LENGTH;
            case GoAwayFrame goAway -> GoAwayFrame.MIN_LENGTH + goAway.debugData().length;
            case WindowUpdateFrame update -> WindowUpdateFrame.LENGTH;
            case UnknownFrame unknown -> unknown.length();
        };
    }
}
