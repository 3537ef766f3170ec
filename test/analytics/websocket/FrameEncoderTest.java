package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.SplitFeeder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameEncoderTest {

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] header(byte[] frame, int payloadLength) {
        return Arrays.copyOf(frame, frame.length - payloadLength);
    }

    @Test
    void encodesRfcMaskedHelloExample() {
        byte[] frame = FrameEncoder.masked(true, Opcode.TEXT, "Hello".getBytes(StandardCharsets.US_ASCII),
                RawWebSocketClient.MASK);
        assertArrayEquals(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58), frame);
    }

    @Test
    void encodesRfcUnmaskedHelloExample() {
        assertArrayEquals(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), FrameEncoder.text("Hello"));
    }

    /** §5.2: 0-125 in 7 bits, 126 + 16 bits up to 65535, 127 + 64 bits beyond. */
    @ParameterizedTest
    @CsvSource({
        "125,   82 7D",
        "126,   82 7E 00 7E",
        "65535, 82 7E FF FF",
        "65536, 82 7F 00 00 00 00 00 01 00 00",
    })
    void writesTheShortestLengthEncoding(int length, String expectedHeader) {
        byte[] frame = FrameEncoder.unmasked(true, Opcode.BINARY, new byte[length]);
        String header = HexFormat.of().formatHex(header(frame, length));
        assertEquals(expectedHeader.replace(" ", "").toLowerCase(Locale.ROOT), header);
    }

    @Test
    void writesFinAndOpcodeOfAContinuation() {
        assertArrayEquals(bytes(0x00, 0x01, 'x'), FrameEncoder.unmasked(false, Opcode.CONTINUATION, bytes('x')));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536})
    void maskedFrameRoundTripsThroughTheDecoder(int length) throws Exception {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i * 31);
        }
        byte[] mask = bytes(0x01, 0x80, 0xFE, 0x7F);
        byte[] frame = FrameEncoder.masked(true, Opcode.BINARY, payload, mask);
        if (length > 4) {
            assertFalse(Arrays.equals(payload, Arrays.copyOfRange(frame, frame.length - length, frame.length)),
                    "the payload travels masked");
        }
        List<Frame> frames = SplitFeeder.feed(new FrameDecoder(1 << 20, true)::decode, frame);
        assertEquals(1, frames.size());
        assertEquals(Opcode.BINARY, frames.get(0).opcode());
        assertArrayEquals(payload, frames.get(0).payload());
    }

    @Test
    void closeFrameCarriesCodeAndReason() {
        assertArrayEquals(bytes(0x88, 0x05, 0x03, 0xE9, 'b', 'y', 'e'), FrameEncoder.close(1001, "bye"));
        assertArrayEquals(bytes(0x88, 0x02, 0x03, 0xE8), FrameEncoder.close(1000, null));
    }

    @Test
    void keepsAReasonOfExactly123Bytes() {
        String reason = "r".repeat(123);
        byte[] payload = FrameEncoder.closePayload(1000, reason);
        assertEquals(125, payload.length);
        assertEquals(reason, new String(payload, 2, 123, StandardCharsets.UTF_8));
    }

    /** 122 ASCII bytes then a 2-, 3- or 4-byte character: byte 123 falls inside it. */
    @ParameterizedTest
    @ValueSource(strings = {"é", "€", "😀"})
    void truncatesCloseReasonAt123BytesOnACharacterBoundary(String wide) throws Exception {
        String reason = "a".repeat(122) + wide + "tail";
        byte[] payload = FrameEncoder.closePayload(1008, reason);
        assertEquals(2 + 122, payload.length, "the cut character is left out whole");
        assertEquals(1008, ByteBuffer.wrap(payload).getShort());
        byte[] text = Arrays.copyOfRange(payload, 2, payload.length);
        assertEquals("a".repeat(122), MessageAssembler.decodeUtf8(text));
        byte[] frame = FrameEncoder.close(1008, reason);
        assertTrue(frame.length <= 2 + FrameDecoder.MAX_CONTROL_PAYLOAD, "a control frame fits in 125 bytes");
    }

    @Test
    void truncationKeepsACharacterThatEndsExactlyAtTheLimit() {
        String reason = "a".repeat(121) + "é" + "b"; // é is bytes 122-123
        byte[] payload = FrameEncoder.closePayload(1000, reason);
        assertEquals(2 + 123, payload.length);
        assertEquals("a".repeat(121) + "é", new String(payload, 2, 123, StandardCharsets.UTF_8));
    }
}
