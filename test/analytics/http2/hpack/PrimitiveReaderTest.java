package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PrimitiveReaderTest {

    private static ByteBuffer hex(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** Reads an integer whose first octet is the buffer's first octet. */
    private static int readInteger(String hex, int prefixBits) throws HpackException {
        ByteBuffer in = hex(hex);
        int value = PrimitiveReader.readInteger(in.get() & 0xFF, prefixBits, in);
        assertEquals(0, in.remaining(), "every octet of the integer consumed");
        return value;
    }

    private static String integerRejected(String hex) {
        return assertThrows(HpackException.class, () -> readInteger(hex, 5)).getMessage();
    }

    @Test
    @Tag("hpack-reader-1")
    void c11DecodesTenWithAFiveBitPrefix() throws Exception {
        assertEquals(10, readInteger("0a", 5));
        assertEquals(10, readInteger("ea", 5)); // the three bits above the prefix are not its
    }

    @Test
    @Tag("hpack-reader-1")
    void c12Decodes1337WithAFiveBitPrefix() throws Exception {
        assertEquals(1337, readInteger("1f 9a 0a", 5));
    }

    @Test
    @Tag("hpack-reader-1")
    void c13Decodes42StartingAtAnOctetBoundary() throws Exception {
        assertEquals(42, readInteger("2a", 8));
    }

    @Test
    @Tag("hpack-reader-1")
    void decodesThePrefixBoundaries() throws Exception {
        assertEquals(30, readInteger("1e", 5));
        assertEquals(31, readInteger("1f 00", 5)); // 2^N - 1 needs a continuation octet
        assertEquals(158, readInteger("1f 7f", 5));
        assertEquals(159, readInteger("1f 80 01", 5));
    }

    @Test
    @Tag("hpack-reader-1")
    void decodesTheLargestInt() throws Exception {
        // 2^31 - 1 - 31 = 0x7fffffe0: 7-bit groups 0x60, 0x7f, 0x7f, 0x7f, 0x07
        assertEquals(Integer.MAX_VALUE, readInteger("1f e0 ff ff ff 07", 5));
    }

    @Test
    @Tag("hpack-reader-2")
    void rejectsTheSmallestIntegerThatOverflows() {
        assertEquals("integer over 2147483647 (RFC 7541 §5.1: decoders must guard against"
                + " overflow)", integerRejected("1f e1 ff ff ff 07"));
    }

    @Test
    @Tag("hpack-reader-2")
    void rejectsHugeContinuationOctet() {
        assertEquals("integer over 2147483647 (RFC 7541 §5.1: decoders must guard against"
                + " overflow)", integerRejected("1f ff ff ff ff 7f"));
    }

    @Test
    @Tag("hpack-reader-2")
    void rejectsRedundantContinuationOctetsPastFive() {
        // Zero-valued continuation octets add nothing, but a sixth one is still refused:
        // otherwise a peer could send a megabyte of 0x80 for one small integer.
        assertEquals("integer of more than 5 continuation octets does not fit in 31 bits"
                + " (RFC 7541 §5.1)", integerRejected("1f 80 80 80 80 80 00"));
    }

    @Test
    @Tag("hpack-reader-2")
    void rejectsIntegerCutShort() {
        assertEquals("header block ends inside an integer (RFC 7541 §5.1)",
                integerRejected("1f 9a"));
        assertEquals("header block ends inside an integer (RFC 7541 §5.1)", integerRejected("1f"));
    }

    @Test
    @Tag("hpack-reader-3")
    void readsRawAndHuffmanStrings() throws Exception {
        PrimitiveReader reader = new PrimitiveReader();
        ByteBuffer in = hex("0a 6375 7374 6f6d 2d6b 6579 8c f1e3 c2e5 f23a 6ba0 ab90 f4ff 00");
        assertEquals("custom-key", reader.readString(in));
        assertEquals("www.example.com", reader.readString(in));
        assertEquals("", reader.readString(in));
        assertEquals(0, in.remaining());
    }

    @Test
    @Tag("hpack-reader-3")
    void readsStringsFromADirectBuffer() throws Exception {
        ByteBuffer in = ByteBuffer.allocateDirect(32).put(hex("0a 6375 7374 6f6d 2d6b 6579"))
                .flip();
        assertEquals("custom-key", new PrimitiveReader().readString(in));
    }

    @Test
    @Tag("hpack-reader-3")
    void readsOctetsAboveAsciiAsLatin1() throws Exception {
        assertEquals("caf\u00e9\u00ff", new PrimitiveReader().readString(hex("05 636166 e9ff")));
    }

    @Test
    @Tag("hpack-reader-3")
    void readsStringLongerThanTheScratchBuffer() throws Exception {
        String longValue = "x".repeat(20_000); // past the kept scratch buffer, Huffman-coded
        PrimitiveWriter writer = new PrimitiveWriter();
        writer.writeString(longValue);
        assertEquals(longValue, new PrimitiveReader().readString(ByteBuffer.wrap(
                writer.toByteArray())));
    }

    @Test
    @Tag("hpack-reader-3")
    void skipsAStringAndAnswersItsDecodedLength() throws Exception {
        PrimitiveReader reader = new PrimitiveReader();
        ByteBuffer in = hex("0a 6375 7374 6f6d 2d6b 6579 8c f1e3 c2e5 f23a 6ba0 ab90 f4ff");
        assertEquals(10, reader.skipString(in));
        assertEquals(15, reader.skipString(in));
        assertEquals(0, in.remaining());
    }

    @Test
    @Tag("hpack-reader-3")
    void rejectsStringLongerThanTheBlock() {
        HpackException e = assertThrows(HpackException.class,
                () -> new PrimitiveReader().readString(hex("0a 6375 7374")));
        assertEquals("string literal of 10 octets, but only 4 are left in the header block"
                + " (RFC 7541 §5.2)", e.getMessage());
        e = assertThrows(HpackException.class,
                () -> new PrimitiveReader().skipString(hex("8a 6375 7374")));
        assertEquals("string literal of 10 octets, but only 4 are left in the header block"
                + " (RFC 7541 §5.2)", e.getMessage());
    }

    @Test
    @Tag("hpack-reader-3")
    void rejectsStringLengthCutShort() {
        HpackException e = assertThrows(HpackException.class,
                () -> new PrimitiveReader().readString(hex("7f 80")));
        assertEquals("header block ends inside an integer (RFC 7541 §5.1)", e.getMessage());
    }
}
