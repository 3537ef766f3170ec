package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.SplitFeeder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private static final int LIMIT = 1 << 20;

    // RFC 6455 §5.7, byte for byte.
    private static final byte[] UNMASKED_HELLO = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    private static final byte[] MASKED_HELLO = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    private static final byte[] FRAGMENTED_HEL = bytes(0x01, 0x03, 0x48, 0x65, 0x6c);
    private static final byte[] FRAGMENTED_LO = bytes(0x80, 0x02, 0x6c, 0x6f);
    private static final byte[] UNMASKED_PING_HELLO = bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    private static final byte[] MASKED_PONG_HELLO =
            bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        return payload;
    }

    private static FrameDecoder server() {
        return new FrameDecoder(LIMIT, true);
    }

    private static void assertFrame(boolean fin, Opcode opcode, byte[] payload, Frame frame) {
        assertEquals(fin, frame.fin(), "FIN");
        assertEquals(opcode, frame.opcode());
        assertArrayEquals(payload, frame.payload());
    }

    private static WebSocketException rejects(byte[] input, FrameDecoder decoder) {
        return assertThrows(WebSocketException.class, () -> SplitFeeder.feed(decoder::decode, input));
    }

    private static void assertRejectedWith(CloseCode expected, byte[] input) throws Exception {
        // Whichever read the offending byte arrives in, the verdict is the same.
        for (int at = 0; at <= input.length; at++) {
            int cut = at;
            WebSocketException e = assertThrows(WebSocketException.class,
                    () -> SplitFeeder.feed(server()::decode, input, cut), "cut at byte " + at);
            assertEquals(expected, e.closeCode(), e.getMessage());
        }
    }

    @Test
    @Tag("frame-decoder-2")
    void decodesRfcExamplesSplitAtEveryByte() throws Exception {
        byte[] all = concat(UNMASKED_HELLO, FRAGMENTED_HEL, FRAGMENTED_LO, UNMASKED_PING_HELLO, MASKED_PONG_HELLO);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        SplitFeeder.forEverySplit(all, () -> new FrameDecoder(LIMIT, false)::decode, (split, frames) -> {
            assertEquals(5, frames.size(), split);
            assertFrame(true, Opcode.TEXT, hello, frames.get(0));
            assertFrame(false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.US_ASCII), frames.get(1));
            assertFrame(true, Opcode.CONTINUATION, "lo".getBytes(StandardCharsets.US_ASCII), frames.get(2));
            assertFrame(true, Opcode.PING, hello, frames.get(3));
            assertFrame(true, Opcode.PONG, hello, frames.get(4));
        });
    }

    @Test
    @Tag("frame-decoder-2")
    void decodesFrameSplitAtEveryByte() throws Exception {
        byte[] binary = payload(300); // 16-bit extended length, masked
        byte[] all = concat(MASKED_HELLO,
                RawWebSocketClient.frame(true, 0x2, binary, RawWebSocketClient.MASK),
                RawWebSocketClient.frame(true, 0x9, new byte[0], RawWebSocketClient.MASK),
                RawWebSocketClient.frame(true, 0x8, bytes(0x03, 0xe8, 'o', 'k'), RawWebSocketClient.MASK));
        SplitFeeder.forEverySplit(all, () -> server()::decode, (split, frames) -> {
            assertEquals(4, frames.size(), split);
            assertFrame(true, Opcode.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII), frames.get(0));
            assertFrame(true, Opcode.BINARY, binary, frames.get(1));
            assertFrame(true, Opcode.PING, new byte[0], frames.get(2));
            assertFrame(true, Opcode.CLOSE, bytes(0x03, 0xe8, 'o', 'k'), frames.get(3));
        });
    }

    /** 125: the last 7-bit length; 126: the first 16-bit one; 65535/65536: the 16/64-bit edge. */
    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536})
    @Tag("frame-decoder-2")
    void decodesBoundaryPayloadLengths(int length) throws Exception {
        byte[] payload = payload(length);
        byte[] frame = RawWebSocketClient.frame(true, 0x2, payload, RawWebSocketClient.MASK);
        int header = frame.length - length;
        assertEquals(length < 126 ? 6 : length <= 0xFFFF ? 8 : 14, header);
        // Every cut inside the header and the masking key, and around the payload's edges;
        // every cut of a 64 KiB payload would decode 65,000 copies for no new path.
        for (int at = 0; at <= frame.length; at = at < header + 8 ? at + 1 : Math.max(at + 1, frame.length - 8)) {
            List<Frame> frames = SplitFeeder.feed(server()::decode, frame, at);
            assertEquals(1, frames.size(), "cut at byte " + at);
            assertFrame(true, Opcode.BINARY, payload, frames.get(0));
        }
        assertFrame(true, Opcode.BINARY, payload, SplitFeeder.feed(server()::decode, frame).get(0));
    }

    @Test
    @Tag("frame-decoder-1")
    void decodesSeveralFramesInOneBuffer() throws Exception {
        byte[] all = concat(MASKED_HELLO, MASKED_HELLO, MASKED_HELLO);
        FrameDecoder decoder = server();
        ByteBuffer in = ByteBuffer.wrap(all);
        for (int i = 0; i < 3; i++) {
            assertFrame(true, Opcode.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII), decoder.decode(in));
        }
        assertNull(decoder.decode(in), "no fourth frame");
        assertEquals(0, in.remaining());
    }

    @Test
    @Tag("frame-decoder-1")
    void answersNullUntilTheFrameIsComplete() throws Exception {
        FrameDecoder decoder = server();
        assertNull(decoder.decode(ByteBuffer.wrap(MASKED_HELLO, 0, MASKED_HELLO.length - 1)));
        assertFrame(true, Opcode.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII),
                decoder.decode(ByteBuffer.wrap(MASKED_HELLO, MASKED_HELLO.length - 1, 1)));
    }

    @Test
    @Tag("frame-decoder-3")
    void rejectsUnmaskedClientFrame() throws Exception {
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, UNMASKED_HELLO);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    @Tag("frame-decoder-3")
    void rejectsRsvBitsWithoutAnExtension(int rsv) throws Exception {
        byte[] frame = MASKED_HELLO.clone();
        frame[0] |= (byte) rsv;
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, frame);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    @Tag("frame-decoder-3")
    void rejectsReservedOpcodes(int opcode) throws Exception {
        assertRejectedWith(CloseCode.PROTOCOL_ERROR,
                RawWebSocketClient.frame(true, opcode, new byte[1], RawWebSocketClient.MASK));
    }

    @Test
    @Tag("frame-decoder-3")
    void rejectsFragmentedControlFrame() throws Exception {
        assertRejectedWith(CloseCode.PROTOCOL_ERROR,
                RawWebSocketClient.frame(false, 0x9, new byte[1], RawWebSocketClient.MASK));
    }

    @Test
    @Tag("frame-decoder-3")
    void rejectsControlPayloadOver125Bytes() throws Exception {
        assertRejectedWith(CloseCode.PROTOCOL_ERROR,
                RawWebSocketClient.frame(true, 0x9, new byte[126], RawWebSocketClient.MASK));
    }

    @Test
    @Tag("frame-decoder-3")
    void acceptsControlPayloadOf125Bytes() throws Exception {
        byte[] payload = payload(125);
        List<Frame> frames = SplitFeeder.feed(server()::decode,
                RawWebSocketClient.frame(true, 0x9, payload, RawWebSocketClient.MASK));
        assertFrame(true, Opcode.PING, payload, frames.get(0));
    }

    @Test
    @Tag("frame-decoder-3")
    void rejects64BitLengthWithTheHighBitSet() throws Exception {
        byte[] header = bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0x01);
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, header);
    }

    /** §5.2: "the minimal number of bytes MUST be used to encode the length". */
    @Test
    @Tag("frame-decoder-3")
    void rejectsA16BitLengthThatFitsIn7Bits() throws Exception {
        byte[] frame = concat(bytes(0x82, 0xFE, 0x00, 0x7D), RawWebSocketClient.MASK, new byte[125]);
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, frame);
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, bytes(0x82, 0xFE, 0x00, 0x00)); // length 0
    }

    /** 126 and 65,536, the smallest lengths of each extended form, pass decodesBoundaryPayloadLengths. */
    @ParameterizedTest
    @ValueSource(longs = {0, 125, 126, 65535})
    @Tag("frame-decoder-3")
    void rejectsA64BitLengthThatFitsIn16Bits(long length) throws Exception {
        byte[] header = ByteBuffer.allocate(10).put((byte) 0x82).put((byte) 0xFF).putLong(length).array();
        assertRejectedWith(CloseCode.PROTOCOL_ERROR, header);
    }

    /** The verdict comes from the header alone: the payload is never held in memory. */
    @Test
    @Tag("frame-decoder-4")
    void rejectsFrameOverTheLimitAfterOnlyTheHeader() throws Exception {
        // 16-bit length 1001 against a limit of 1000: no masking key, no payload sent.
        byte[] header16 = bytes(0x82, 0xFE, 0x03, 0xE9);
        WebSocketException e = rejects(header16, new FrameDecoder(1000, true));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, e.closeCode());
        // 64-bit length of 1 TiB: an allocation of that size would fail differently.
        byte[] header64 = bytes(0x82, 0xFF, 0, 0, 0x01, 0, 0, 0, 0, 0);
        for (int at = 0; at <= header64.length; at++) {
            int cut = at;
            e = assertThrows(WebSocketException.class,
                    () -> SplitFeeder.feed(new FrameDecoder(LIMIT, true)::decode, header64, cut));
            assertEquals(CloseCode.MESSAGE_TOO_BIG, e.closeCode());
        }
    }

    @Test
    @Tag("frame-decoder-4")
    void acceptsFrameOfExactlyTheLimit() throws Exception {
        byte[] payload = payload(1000);
        List<Frame> frames = SplitFeeder.feed(new FrameDecoder(1000, true)::decode,
                RawWebSocketClient.frame(true, 0x2, payload, RawWebSocketClient.MASK));
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).fin());
    }

    /** Memory follows bytes received: a megabyte announced and a byte sent costs kilobytes. */
    @Test
    @Tag("frame-decoder-4")
    void holdsOnlyWhatArrivedOfAnAnnouncedMegabyte() throws Exception {
        byte[] payload = payload(1_000_000);
        byte[] frame = RawWebSocketClient.frame(true, 0x2, payload, RawWebSocketClient.MASK);
        int header = frame.length - payload.length; // 14: two, the 64-bit length, the key
        FrameDecoder decoder = server();
        assertNull(decoder.decode(ByteBuffer.wrap(frame, 0, header)));
        assertEquals(0, decoder.payloadCapacity(), "the announced length alone allocates nothing");
        assertNull(decoder.decode(ByteBuffer.wrap(frame, header, 1)));
        assertEquals(FrameDecoder.FIRST_PAYLOAD_CAPACITY, decoder.payloadCapacity(), "one byte came");
        int received = 100_000;
        assertNull(decoder.decode(ByteBuffer.wrap(frame, header + 1, received - 1)));
        assertTrue(decoder.payloadCapacity() <= 2 * received,
                decoder.payloadCapacity() + " bytes held for " + received + " received");
        Frame whole = decoder.decode(ByteBuffer.wrap(frame, header + received, payload.length - received));
        assertFrame(true, Opcode.BINARY, payload, whole);
        assertEquals(0, decoder.payloadCapacity(), "nothing held between frames");
    }

    /**
     * A large frame decodes the same however it is cut: in two around every size the buffer
     * grows through, and in uneven chunks of every size up to 20 KiB.
     */
    @Test
    @Tag("frame-decoder-4")
    void decodesLargeFrameCutAroundEveryGrowth() throws Exception {
        byte[] payload = payload(300_001);
        byte[] frame = concat(RawWebSocketClient.frame(true, 0x2, payload, RawWebSocketClient.MASK),
                MASKED_HELLO);
        int header = frame.length - payload.length - MASKED_HELLO.length;
        for (int size = FrameDecoder.FIRST_PAYLOAD_CAPACITY; size < payload.length; size *= 2) {
            for (int at = header + size - 1; at <= header + size + 1; at++) {
                List<Frame> frames = SplitFeeder.feed(server()::decode, frame, at);
                assertEquals(2, frames.size(), "cut at byte " + at);
                assertFrame(true, Opcode.BINARY, payload, frames.get(0));
                assertFrame(true, Opcode.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII), frames.get(1));
            }
        }
        Random random = new Random(6455);
        int[] cuts = new int[frame.length];
        int count = 0;
        for (int at = random.nextInt(20_000) + 1; at < frame.length; at += random.nextInt(20_000) + 1) {
            cuts[count++] = at;
        }
        List<Frame> frames = SplitFeeder.feed(server()::decode, frame, Arrays.copyOf(cuts, count));
        assertEquals(2, frames.size(), count + " uneven chunks");
        assertFrame(true, Opcode.BINARY, payload, frames.get(0));
    }
}
