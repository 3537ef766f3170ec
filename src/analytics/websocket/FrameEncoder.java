package analytics.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes frames to bytes, the length always in its minimal form (§5.2). A server's frames
 * are unmasked (§5.1); the masked form is for clients - the load generator's
 * BenchWebSocketClient. The wire tests build their frames with RawWebSocketClient instead,
 * so the server is never checked only against its own encoder.
 *
 * Pattern: encoder with no I/O; an encoded frame is plain bytes that many connections
 *          can share (a broadcast encodes once).
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §5.2, §5.5.1
 * Threads: stateless.
 */
public final class FrameEncoder {

    /** §5.5: a close payload is a 2-byte code and at most 123 bytes of UTF-8 reason. */
    public static final int MAX_CLOSE_REASON_BYTES = FrameDecoder.MAX_CONTROL_PAYLOAD - 2;

    private FrameEncoder() {
    }

    public static byte[] text(String text) {
        return encode(true, Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8), null);
    }

    public static byte[] unmasked(boolean fin, Opcode opcode, byte[] payload) {
        return encode(fin, opcode, payload, null);
    }

    public static byte[] masked(boolean fin, Opcode opcode, byte[] payload, byte[] mask) {
        return encode(fin, opcode, payload, mask);
    }

    /** A close frame: the code, then the reason cut at 123 bytes on a character boundary. */
    public static byte[] close(int code, String reason) {
        return unmasked(true, Opcode.CLOSE, closePayload(code, reason));
    }

    static byte[] closePayload(int code, String reason) {
        byte[] text = truncateUtf8(reason == null ? "" : reason, MAX_CLOSE_REASON_BYTES);
        return ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array();
    }

    private static byte[] encode(boolean fin, Opcode opcode, byte[] payload, byte[] mask) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        int maskBytes = mask == null ? 0 : 4;
        ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + maskBytes + length);
        frame.put((byte) ((fin ? 0x80 : 0) | opcode.code()));
        int maskBit = mask == null ? 0 : 0x80;
        switch (lengthBytes) {
            case 0 -> frame.put((byte) (maskBit | length));
            case 2 -> frame.put((byte) (maskBit | 126)).putShort((short) length);
            default -> frame.put((byte) (maskBit | 127)).putLong(length);
        }
        if (mask == null) {
            frame.put(payload);
        } else {
            frame.put(mask);
            for (int i = 0; i < length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
        }
        return frame.array();
    }

    /** The longest prefix of {@code text} whose UTF-8 form fits in {@code maxBytes}. */
    static byte[] truncateUtf8(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) { // back off a continuation byte
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
