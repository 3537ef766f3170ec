package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PrimitiveWriterTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] integer(int flags, int prefixBits, int value) {
        PrimitiveWriter writer = new PrimitiveWriter();
        writer.writeInteger(flags, prefixBits, value);
        return writer.toByteArray();
    }

    private static byte[] string(String value) {
        PrimitiveWriter writer = new PrimitiveWriter();
        writer.writeString(value);
        return writer.toByteArray();
    }

    @Test
    void writesTheRfcIntegerExamples() {
        assertArrayEquals(hex("0a"), integer(0, 5, 10)); // C.1.1
        assertArrayEquals(hex("1f 9a 0a"), integer(0, 5, 1337)); // C.1.2
        assertArrayEquals(hex("2a"), integer(0, 8, 42)); // C.1.3
    }

    @Test
    void keepsTheRepresentationBitsAboveThePrefix() {
        assertArrayEquals(hex("ff 00"), integer(0x80, 7, 127));
        assertArrayEquals(hex("3f e1 1f"), integer(0x20, 5, 4096));
    }

    @Test
    void roundTripsBoundaryValuesForEveryPrefix() throws Exception {
        int[] values = {0, 1, 14, 15, 16, 30, 31, 32, 62, 63, 64, 126, 127, 128, 254, 255, 256,
            16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, Integer.MAX_VALUE};
        for (int prefixBits = 1; prefixBits <= 8; prefixBits++) {
            for (int value : values) {
                ByteBuffer in = ByteBuffer.wrap(integer(0, prefixBits, value));
                assertEquals(value, PrimitiveReader.readInteger(in.get() & 0xFF, prefixBits, in),
                        "value " + value + " with a " + prefixBits + "-bit prefix");
                assertEquals(0, in.remaining());
            }
        }
    }

    @Test
    void refusesNegativeIntegers() {
        assertThrows(IllegalArgumentException.class, () -> integer(0, 5, -1));
    }

    @Test
    void huffmanCodesAStringWhenThatIsShorter() {
        assertArrayEquals(hex("8c f1e3 c2e5 f23a 6ba0 ab90 f4ff"), string("www.example.com"));
    }

    @Test
    void keepsAStringRawWhenHuffmanIsNotShorter() {
        // Control octets have codes of 13 to 30 bits: Huffman would be longer.
        assertArrayEquals(hex("03 000102"), string("\u0000\u0001\u0002"));
        assertArrayEquals(hex("00"), string(""));
        // 'Z' is 7 bits: one of them Huffman-codes to one octet - a tie, so raw.
        assertArrayEquals(hex("01 5a"), string("Z"));
    }

    @Test
    void refusesTextThatIsNotOctets() {
        assertThrows(IllegalArgumentException.class, () -> string("\u20ac"));
    }

    @Test
    void growsAndHandsTheBlockOverInOneWrite() {
        PrimitiveWriter writer = new PrimitiveWriter();
        String value = "\u00ff".repeat(1000); // 26-bit code: stays raw: 3 + 1000 octets
        writer.writeString(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(out);
        assertEquals(1003, out.size());
        assertArrayEquals(hex("7f e9 06"), Arrays.copyOf(out.toByteArray(), 3)); // 127 + 873
        writer.reset();
        assertEquals(0, writer.length());
    }
}
