package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HuffmanTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] encode(String value) {
        byte[] out = new byte[Huffman.encodedLength(value)];
        assertEquals(out.length, Huffman.encode(value, out, 0), "octets written");
        return out;
    }

    private static String decode(byte[] encoded) throws HpackException {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        byte[] out = new byte[Huffman.maxDecodedLength(encoded.length)];
        int length = Huffman.decode(in, encoded.length, out);
        assertEquals(0, in.remaining(), "every octet consumed");
        return new String(out, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static String rejected(String hex) {
        return assertThrows(HpackException.class, () -> decode(hex(hex))).getMessage();
    }

    /** Every Huffman-coded string of RFC 7541 Appendix C.4 and C.6. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "www.example.com | f1e3 c2e5 f23a 6ba0 ab90 f4ff",
        "no-cache | a8eb 1064 9cbf",
        "custom-key | 25a8 49e9 5ba9 7d7f",
        "custom-value | 25a8 49e9 5bb8 e8b4 bf",
        "302 | 6402",
        "307 | 640e ff",
        "private | aec3 771a 4b",
        "Mon, 21 Oct 2013 20:13:21 GMT | d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff",
        "Mon, 21 Oct 2013 20:13:22 GMT | d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff",
        "https://www.example.com | 9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3",
        "gzip | 9bd9 ab",
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1 | 94e7 821d d7f2 e6c7 b335"
                + " dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed"
                + " 4ee5 b106 3d50 07",
    })
    void codesTheRfcExamples(String text, String hex) throws Exception {
        assertArrayEquals(hex(hex), encode(text));
        assertEquals(text, decode(hex(hex)));
    }

    @Test
    void roundTripsEveryOctet() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFF; c++) {
            all.append((char) c);
        }
        assertEquals(all.toString(), decode(encode(all.toString())));
        Random random = new Random(7541);
        for (int i = 0; i < 1000; i++) {
            char[] text = new char[random.nextInt(40)];
            for (int j = 0; j < text.length; j++) {
                text[j] = (char) random.nextInt(256);
            }
            String value = new String(text);
            assertEquals(value, decode(encode(value)));
        }
    }

    /** A swapped or mistyped row of Appendix B breaks this: the code is canonical. */
    @Test
    void codeTableIsTheCanonicalCodeOfItsLengths() {
        int code = 0;
        int previousLength = 0;
        int assigned = 0;
        for (int length = 1; length <= 30; length++) {
            for (int symbol = 0; symbol <= Huffman.EOS; symbol++) {
                if (Huffman.codeLength(symbol) != length) {
                    continue;
                }
                if (assigned > 0) {
                    code = (code + 1) << (length - previousLength);
                }
                previousLength = length;
                assigned++;
                assertEquals(Integer.toHexString(code), Integer.toHexString(Huffman.code(symbol)),
                        "code of symbol " + symbol);
            }
        }
        assertEquals(257, assigned);
    }

    @Test
    void codeTableMatchesAppendixBSpotChecks() {
        assertEquals(0x1ff8, Huffman.code(0));
        assertEquals(13, Huffman.codeLength(0));
        assertEquals(0x14, Huffman.code(' '));
        assertEquals(6, Huffman.codeLength(' '));
        assertEquals(0x3, Huffman.code('a'));
        assertEquals(5, Huffman.codeLength('a'));
        assertEquals(0x3ffffee, Huffman.code(255));
        assertEquals(26, Huffman.codeLength(255));
        assertEquals(0x3fffffff, Huffman.code(Huffman.EOS));
        assertEquals(30, Huffman.codeLength(Huffman.EOS));
    }

    @Test
    void decodesEmptyString() throws Exception {
        assertEquals("", decode(new byte[0]));
        assertEquals(0, Huffman.encodedLength(""));
    }

    @Test
    void acceptsUpToSevenBitsOfPadding() throws Exception {
        assertEquals("a", decode(hex("1f"))); // 00011 111
        assertEquals("0", decode(hex("07"))); // 00000 111
        assertEquals("aa", decode(hex("18 ff"))); // 00011 00011 111111
    }

    @Test
    void rejectsPaddingThatIsNotAllOnes() {
        assertEquals("Huffman string ends with padding that is not all ones (not a prefix of EOS,"
                + " RFC 7541 §5.2)", rejected("1e")); // 00011 110
    }

    @Test
    void rejectsAWholeOctetOfPadding() {
        assertEquals("Huffman string ends with 8 bits of padding; at most 7 are allowed"
                + " (RFC 7541 §5.2)", rejected("ff"));
        assertEquals("Huffman string ends with 11 bits of padding; at most 7 are allowed"
                + " (RFC 7541 §5.2)", rejected("0fff")); // '1' (00001) then 11 ones
    }

    @Test
    void rejectsEosInTheString() {
        // 'a' (00011) then 35 ones: EOS is complete after 30 of them.
        assertEquals("Huffman string contains the EOS symbol (RFC 7541 §5.2)",
                rejected("1fff ffff ff"));
        assertEquals("Huffman string contains the EOS symbol (RFC 7541 §5.2)",
                rejected("ffff fffc")); // exactly EOS then 00
    }

    @Test
    void refusesTextThatIsNotOctets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Huffman.encodedLength("caf\u00e9 \u20ac"));
        assertEquals("header text must be ISO-8859-1 octets, found U+20AC at 5", e.getMessage());
    }

    @Test
    void maxDecodedLengthBoundsTheShortestCodes() throws Exception {
        String zeros = "00000000"; // 8 x 5 bits = 5 octets
        assertEquals(5, encode(zeros).length);
        assertEquals(8, Huffman.maxDecodedLength(5));
        assertEquals(zeros, decode(encode(zeros)));
    }
}
