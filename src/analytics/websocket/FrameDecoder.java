package analytics.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes RFC 6455 frames from bytes that may arrive split at any point: feed it what
 * the socket gave, take frames until it answers null ("need more bytes").
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * Memory follows the bytes received, not the length announced: the 64-bit length is the
 * client's word, and one that announces a megabyte and sends a byte must cost a few
 * kilobytes, not a megabyte (400 such connections once took a server from 55 to 605 MiB).
 * So the payload buffer is allocated when its first bytes arrive and doubles as more come,
 * never past the announced length - the last growth makes it exactly that long.
 *
 * Pattern: resumable decoder, one state per header field; "need more bytes" is a
 *          normal answer, a violation is an exception. Buffer grown geometrically.
 * Lesson:  lessons/05-websocket-frames.md   Spec: RFC 6455 §5.2, §5.3, §5.5
 * Not here: fragmentation, UTF-8 and close-code rules (MessageAssembler, WebSocketConnection).
 * Threads: one instance per connection; not thread-safe.
 */
public final class FrameDecoder {

    /** §5.5: "All control frames MUST have a payload length of 125 bytes or less". */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;
    /** The smallest length each extended form may carry: anything less fits a shorter one. */
    private static final int MIN_16_BIT_LENGTH = 126;
    private static final long MIN_64_BIT_LENGTH = 0x1_0000;
    /**
     * The payload buffer's first size, or the whole payload when shorter: one allocation of
     * the right size for the frames a dashboard or producer sends, doublings only beyond it.
     */
    static final int FIRST_PAYLOAD_CAPACITY = 8 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private enum State { HEADER, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD }

    private final int maxPayloadLength;
    private final boolean requireMask;

    private State state = State.HEADER;
    /** Collects a header field whose bytes may arrive in several reads. */
    private final byte[] field = new byte[8];
    private int fieldLength;
    private int fieldFilled;

    private boolean fin;
    private Opcode opcode;
    private boolean masked;
    private final byte[] mask = new byte[4];
    /** The announced length; {@code payload} grows towards it as its bytes arrive. */
    private int payloadLength;
    private byte[] payload;
    private int payloadFilled;

    /**
     * @param maxPayloadLength a frame announcing more is refused with 1009 before any of
     *                         its payload is read into memory
     * @param requireMask      true on a server: §5.1 "a client MUST mask all frames"
     */
    public FrameDecoder(int maxPayloadLength, boolean requireMask) {
        this.maxPayloadLength = maxPayloadLength;
        this.requireMask = requireMask;
        expect(State.HEADER, 2);
    }

    /** The next complete frame, or null when {@code in} ran out first; resume with more bytes. */
    public Frame decode(ByteBuffer in) throws WebSocketException {
        while (true) {
            if (state == State.PAYLOAD) {
                int n = Math.min(in.remaining(), payloadLength - payloadFilled);
                makeRoom(payloadFilled + n);
                in.get(payload, payloadFilled, n);
                payloadFilled += n;
                if (payloadFilled < payloadLength) {
                    return null;
                }
                return finishFrame();
            }
            if (!fillField(in)) {
                return null;
            }
            switch (state) {
                case HEADER -> readHeader();
                case EXTENDED_LENGTH -> readExtendedLength();
                case MASKING_KEY -> {
                    System.arraycopy(field, 0, mask, 0, 4);
                    startPayload();
                }
                case PAYLOAD -> throw new IllegalStateException("payload is handled above");
            }
        }
    }

    private void readHeader() throws WebSocketException {
        int b0 = field[0] & 0xFF;
        int b1 = field[1] & 0xFF;
        fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw WebSocketException.protocolError("RSV bits set, but no extension was negotiated");
        }
        opcode = Opcode.fromCode(b0 & 0x0F);
        if (opcode == null) {
            throw WebSocketException.protocolError("reserved opcode 0x" + Integer.toHexString(b0 & 0x0F));
        }
        masked = (b1 & 0x80) != 0;
        if (requireMask && !masked) {
            throw WebSocketException.protocolError("client frames must be masked");
        }
        int length7 = b1 & 0x7F;
        if (opcode.isControl()) {
            if (!fin) {
                throw WebSocketException.protocolError("control frames must not be fragmented");
            }
            if (length7 > MAX_CONTROL_PAYLOAD) {
                throw WebSocketException.protocolError("control frame payload over 125 bytes");
            }
        }
        if (length7 == LENGTH_16_BIT) {
            expect(State.EXTENDED_LENGTH, 2);
        } else if (length7 == LENGTH_64_BIT) {
            expect(State.EXTENDED_LENGTH, 8);
        } else {
            afterLength(length7);
        }
    }

    private void readExtendedLength() throws WebSocketException {
        long length = 0;
        for (int i = 0; i < fieldLength; i++) {
            length = (length << 8) | (field[i] & 0xFF);
        }
        if (length < 0) { // §5.2: "the most significant bit MUST be 0"
            throw WebSocketException.protocolError("64-bit payload length with the high bit set");
        }
        // §5.2: "the minimal number of bytes MUST be used to encode the length". Two
        // spellings of one length would let two parsers of the same bytes disagree.
        long minimum = fieldLength == 2 ? MIN_16_BIT_LENGTH : MIN_64_BIT_LENGTH;
        if (length < minimum) {
            throw WebSocketException.protocolError("payload length " + length + " in the "
                    + (fieldLength * 8) + "-bit form; the minimal encoding is required");
        }
        afterLength(length);
    }

    private void afterLength(long length) throws WebSocketException {
        if (length > maxPayloadLength) {
            throw new WebSocketException(CloseCode.MESSAGE_TOO_BIG,
                    "frame of " + length + " bytes is over the limit of " + maxPayloadLength);
        }
        // Nothing is allocated for the length alone: see makeRoom and the class comment.
        payloadLength = (int) length;
        payload = EMPTY;
        payloadFilled = 0;
        if (masked) {
            expect(State.MASKING_KEY, 4);
        } else {
            startPayload();
        }
    }

    private void startPayload() {
        state = State.PAYLOAD;
    }

    /**
     * Grows the payload buffer to hold {@code needed} bytes - which have arrived - doubling
     * it so a large frame costs few copies (under twice its length in all), and capping it
     * at the announced length, so the buffer of a whole frame is exactly its payload.
     */
    private void makeRoom(int needed) {
        if (needed <= payload.length) {
            return;
        }
        long doubled = Math.max(FIRST_PAYLOAD_CAPACITY, 2L * payload.length);
        int capacity = (int) Math.min(payloadLength, Math.max(needed, doubled));
        payload = Arrays.copyOf(payload, capacity);
    }

    private Frame finishFrame() {
        if (masked) { // §5.3: octet i of the payload is XORed with octet i MOD 4 of the key
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        Frame frame = new Frame(fin, opcode, payload);
        payload = null;
        expect(State.HEADER, 2);
        return frame;
    }

    /** Bytes held for the payload of the frame in progress: what tests measure. */
    int payloadCapacity() {
        return payload == null ? 0 : payload.length;
    }

    private void expect(State next, int bytes) {
        state = next;
        fieldLength = bytes;
        fieldFilled = 0;
    }

    private boolean fillField(ByteBuffer in) {
        int n = Math.min(in.remaining(), fieldLength - fieldFilled);
        in.get(field, fieldFilled, n);
        fieldFilled += n;
        return fieldFilled == fieldLength;
    }
}
