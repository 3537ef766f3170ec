package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 7541 Appendix C, example by example: the bytes are the RFC's hex dumps, the expected
 * lists and dynamic tables its "Decoded header list" and "Dynamic Table (after decoding)".
 */
class HpackDecoderTest {

    private static final int DEFAULT_TABLE_SIZE = 4096;
    private static final int NO_LIST_LIMIT = Integer.MAX_VALUE;

    static ByteBuffer hex(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }

    /** The RFC's table dump: entries one a line, then the size line. */
    private static String table(String... lines) {
        return String.join("\n", lines);
    }

    private static HpackDecoder decoder() {
        return new HpackDecoder(DEFAULT_TABLE_SIZE, NO_LIST_LIMIT);
    }

    private static void assertBlock(HpackDecoder decoder, String hex, List<HeaderField> fields,
            String tableAfter) throws Exception {
        assertEquals(fields, decoder.decode(hex(hex)));
        assertEquals(tableAfter, decoder.dynamicTable().toString());
    }

    private static HpackException rejected(HpackDecoder decoder, String hex) {
        return assertThrows(HpackException.class, () -> decoder.decode(hex(hex)));
    }

    // --- C.2: one field of each representation -----------------------------------------

    @Test
    void c21LiteralWithIndexingIsAddedToTheTable() throws Exception {
        assertBlock(decoder(), "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                List.of(field("custom-key", "custom-header")),
                table("[  1] (s =  55) custom-key: custom-header",
                      "      Table size:  55"));
    }

    @Test
    void c22LiteralWithoutIndexingLeavesTheTableEmpty() throws Exception {
        assertBlock(decoder(), "040c 2f73 616d 706c 652f 7061 7468",
                List.of(field(":path", "/sample/path")), "empty.");
    }

    @Test
    void c23LiteralNeverIndexedLeavesTheTableEmpty() throws Exception {
        assertBlock(decoder(), "1008 7061 7373 776f 7264 0673 6563 7265 74",
                List.of(field("password", "secret")), "empty.");
    }

    @Test
    void c24IndexedFieldComesFromTheStaticTable() throws Exception {
        assertBlock(decoder(), "82", List.of(field(":method", "GET")), "empty.");
    }

    // --- C.3 and C.4: three requests on one connection ---------------------------------

    private static final List<HeaderField> FIRST_REQUEST = List.of(
            field(":method", "GET"), field(":scheme", "http"), field(":path", "/"),
            field(":authority", "www.example.com"));
    private static final List<HeaderField> SECOND_REQUEST = List.of(
            field(":method", "GET"), field(":scheme", "http"), field(":path", "/"),
            field(":authority", "www.example.com"), field("cache-control", "no-cache"));
    private static final List<HeaderField> THIRD_REQUEST = List.of(
            field(":method", "GET"), field(":scheme", "https"), field(":path", "/index.html"),
            field(":authority", "www.example.com"), field("custom-key", "custom-value"));

    private static final String TABLE_AFTER_FIRST_REQUEST = table(
            "[  1] (s =  57) :authority: www.example.com",
            "      Table size:  57");
    private static final String TABLE_AFTER_SECOND_REQUEST = table(
            "[  1] (s =  53) cache-control: no-cache",
            "[  2] (s =  57) :authority: www.example.com",
            "      Table size: 110");
    private static final String TABLE_AFTER_THIRD_REQUEST = table(
            "[  1] (s =  54) custom-key: custom-value",
            "[  2] (s =  53) cache-control: no-cache",
            "[  3] (s =  57) :authority: www.example.com",
            "      Table size: 164");

    @Test
    void c3RequestsWithoutHuffmanShareTheDynamicTable() throws Exception {
        HpackDecoder decoder = decoder();
        assertBlock(decoder, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                FIRST_REQUEST, TABLE_AFTER_FIRST_REQUEST);
        assertBlock(decoder, "8286 84be 5808 6e6f 2d63 6163 6865",
                SECOND_REQUEST, TABLE_AFTER_SECOND_REQUEST);
        assertBlock(decoder, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661"
                + " 6c75 65", THIRD_REQUEST, TABLE_AFTER_THIRD_REQUEST);
    }

    @Test
    void c4RequestsWithHuffmanShareTheDynamicTable() throws Exception {
        HpackDecoder decoder = decoder();
        assertBlock(decoder, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                FIRST_REQUEST, TABLE_AFTER_FIRST_REQUEST);
        assertBlock(decoder, "8286 84be 5886 a8eb 1064 9cbf",
                SECOND_REQUEST, TABLE_AFTER_SECOND_REQUEST);
        assertBlock(decoder, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
                THIRD_REQUEST, TABLE_AFTER_THIRD_REQUEST);
    }

    // --- C.5 and C.6: three responses, a 256-octet table, evictions --------------------

    private static final List<HeaderField> FIRST_RESPONSE = List.of(
            field(":status", "302"), field("cache-control", "private"),
            field("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            field("location", "https://www.example.com"));
    private static final List<HeaderField> SECOND_RESPONSE = List.of(
            field(":status", "307"), field("cache-control", "private"),
            field("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            field("location", "https://www.example.com"));
    private static final List<HeaderField> THIRD_RESPONSE = List.of(
            field(":status", "200"), field("cache-control", "private"),
            field("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
            field("location", "https://www.example.com"), field("content-encoding", "gzip"),
            field("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));

    private static final String TABLE_AFTER_FIRST_RESPONSE = table(
            "[  1] (s =  63) location: https://www.example.com",
            "[  2] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT",
            "[  3] (s =  52) cache-control: private",
            "[  4] (s =  42) :status: 302",
            "      Table size: 222");
    private static final String TABLE_AFTER_SECOND_RESPONSE = table(
            "[  1] (s =  42) :status: 307",
            "[  2] (s =  63) location: https://www.example.com",
            "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT",
            "[  4] (s =  52) cache-control: private",
            "      Table size: 222");
    private static final String TABLE_AFTER_THIRD_RESPONSE = table(
            "[  1] (s =  98) set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600;"
                    + " version=1",
            "[  2] (s =  52) content-encoding: gzip",
            "[  3] (s =  65) date: Mon, 21 Oct 2013 20:13:22 GMT",
            "      Table size: 215");

    @Test
    void c5ResponsesWithoutHuffmanEvictTheOldestEntries() throws Exception {
        HpackDecoder decoder = new HpackDecoder(256, NO_LIST_LIMIT);
        assertBlock(decoder, "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63"
                + " 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77"
                + " 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                FIRST_RESPONSE, TABLE_AFTER_FIRST_RESPONSE);
        assertBlock(decoder, "4803 3330 37c1 c0bf", SECOND_RESPONSE, TABLE_AFTER_SECOND_RESPONSE);
        assertBlock(decoder, "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133"
                + " 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a"
                + " 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630"
                + " 303b 2076 6572 7369 6f6e 3d31",
                THIRD_RESPONSE, TABLE_AFTER_THIRD_RESPONSE);
    }

    @Test
    void c6ResponsesWithHuffmanEvictTheOldestEntries() throws Exception {
        HpackDecoder decoder = new HpackDecoder(256, NO_LIST_LIMIT);
        assertBlock(decoder, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504"
                + " 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                FIRST_RESPONSE, TABLE_AFTER_FIRST_RESPONSE);
        assertBlock(decoder, "4883 640e ffc1 c0bf", SECOND_RESPONSE, TABLE_AFTER_SECOND_RESPONSE);
        assertBlock(decoder, "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"
                + " c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36"
                + " 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
                THIRD_RESPONSE, TABLE_AFTER_THIRD_RESPONSE);
    }

    // --- Rejections: each one a COMPRESSION_ERROR with its reason ----------------------

    @Test
    void rejectsIndexZero() {
        assertEquals("indexed field with index 0 (RFC 7541 §6.1: \"MUST be treated as a"
                + " decoding error\")", rejected(decoder(), "80").getMessage());
    }

    @Test
    void rejectsIndexPastTheStaticTableWhenTheDynamicTableIsEmpty() {
        assertEquals("index 62 is past the end of the tables (61 static + 0 dynamic entries,"
                + " RFC 7541 §2.3.3)", rejected(decoder(), "be").getMessage());
    }

    @Test
    void rejectsIndexPastTheDynamicTable() throws Exception {
        HpackDecoder decoder = decoder();
        decoder.decode(hex("4803 3330 32")); // :status: 302 becomes index 62
        assertEquals(List.of(field(":status", "302")), decoder.decode(hex("be")));
        assertEquals("index 63 is past the end of the tables (61 static + 1 dynamic entries,"
                + " RFC 7541 §2.3.3)", rejected(decoder, "bf").getMessage());
    }

    @Test
    void rejectsLiteralWhoseNameIndexIsPastTheTables() {
        assertEquals("index 62 is past the end of the tables (61 static + 0 dynamic entries,"
                + " RFC 7541 §2.3.3)", rejected(decoder(), "7e 0161").getMessage());
    }

    @Test
    void rejectsTableSizeUpdateAboveOurSetting() {
        // 001 11111 then 4097 - 31 = 4066 = 0xe2 0x1f
        assertEquals("dynamic table size update to 4097 is above our SETTINGS_HEADER_TABLE_SIZE"
                + " of 4096 (RFC 7541 §6.3)", rejected(decoder(), "3fe2 1f").getMessage());
    }

    @Test
    void rejectsTableSizeUpdateAfterAField() {
        assertEquals("dynamic table size update after a header field; it must come first in"
                + " the block (RFC 7541 §4.2)", rejected(decoder(), "82 20").getMessage());
    }

    @Test
    void rejectsTableSizeUpdateAfterAFieldDroppedForTheListLimit() {
        // :path /sample/path (49 octets) is over the limit of 40, so :path a is skipped
        // unread - it is still a field, and a size update after it is still out of place.
        HpackDecoder decoder = new HpackDecoder(DEFAULT_TABLE_SIZE, 40);
        assertEquals("dynamic table size update after a header field; it must come first in"
                + " the block (RFC 7541 §4.2)",
                rejected(decoder, "040c 2f73 616d 706c 652f 7061 7468 0401 61 20").getMessage());
    }

    @Test
    void acceptsTableSizeUpdatesAtTheStartOfABlockAndEvicts() throws Exception {
        HpackDecoder decoder = decoder();
        decoder.decode(hex("4803 3330 32 4803 3330 37"));
        assertEquals(2, decoder.dynamicTable().length());
        // §4.2: the smallest size first (0: evicts all), then the final size (4096).
        assertEquals(List.of(field(":method", "GET")), decoder.decode(hex("20 3fe1 1f 82")));
        assertEquals("empty.", decoder.dynamicTable().toString());
        assertEquals(DEFAULT_TABLE_SIZE, decoder.dynamicTable().maxSize());
    }

    @Test
    void sizeUpdateToASmallerTableEvictsTheOldestEntries() throws Exception {
        HpackDecoder decoder = decoder();
        decoder.decode(hex("4803 3330 32 4803 3330 37")); // two entries of 42 octets
        decoder.decode(hex("3f1f")); // 31 + 31 = 62: room for one
        assertEquals(table("[  1] (s =  42) :status: 307", "      Table size:  42"),
                decoder.dynamicTable().toString());
        assertEquals(62, decoder.dynamicTable().maxSize());
    }

    @Test
    void rejectsHuffmanStringWithPaddingThatIsNotAllOnes() {
        // 'a' is 00011; pad with 000 instead of 111: 0001 1000
        assertEquals("Huffman string ends with padding that is not all ones (not a prefix of"
                + " EOS, RFC 7541 §5.2)", rejected(decoder(), "04 8118").getMessage());
    }

    @Test
    void rejectsHuffmanStringWithPaddingLongerThanSevenBits() {
        // 'a' + 111 then a whole octet of ones
        assertEquals("Huffman string ends with 11 bits of padding; at most 7 are allowed"
                + " (RFC 7541 §5.2)", rejected(decoder(), "04 821f ff").getMessage());
    }

    @Test
    void rejectsHuffmanStringContainingEos() {
        assertEquals("Huffman string contains the EOS symbol (RFC 7541 §5.2)",
                rejected(decoder(), "04 84ff ffff ff").getMessage());
    }

    @Test
    void rejectsBlockEndingInsideAnInteger() {
        assertEquals("header block ends inside an integer (RFC 7541 §5.1)",
                rejected(decoder(), "ff 9a").getMessage());
    }

    @Test
    void rejectsBlockEndingWhereAStringShouldStart() {
        assertEquals("header block ends where a string literal should start (RFC 7541 §5.2)",
                rejected(decoder(), "04").getMessage());
    }

    @Test
    void rejectsStringLongerThanTheRestOfTheBlock() {
        assertEquals("string literal of 12 octets, but only 4 are left in the header block"
                + " (RFC 7541 §5.2)", rejected(decoder(), "040c 2f73 616d").getMessage());
    }

    @Test
    void rejectsHugeStringLengthWithoutAllocatingIt() {
        // A name of 2^31 - 1 octets announced in a block of 8: refused by its length alone.
        assertEquals("string literal of 2147483647 octets, but only 1 are left in the header"
                + " block (RFC 7541 §5.2)", rejected(decoder(), "40 7f80 ffff ff07 61")
                .getMessage());
    }

    @Test
    void rejectsIntegerThatOverflowsAnInt() {
        // 2^31 - 1 + 1 as an index: 127 + 2147483521 = 0x7fffff81
        assertEquals("integer over 2147483647 (RFC 7541 §5.1: decoders must guard against"
                + " overflow)", rejected(decoder(), "ff81 ffff ff07").getMessage());
    }

    @Test
    void rejectsIntegerWithTooManyContinuationOctets() {
        assertEquals("integer of more than 5 continuation octets does not fit in 31 bits"
                + " (RFC 7541 §5.1)", rejected(decoder(), "ff80 8080 8080 00").getMessage());
    }

    // --- The header list limit: refuse the request, keep the table in step --------------

    @Test
    void headerListOverTheLimitIsRefusedButTheTableKeepsItsEntries() throws Exception {
        // C.3.1 weighs 42 + 43 + 38 + 57 = 180 octets as a header list.
        HpackDecoder decoder = new HpackDecoder(DEFAULT_TABLE_SIZE, 179);
        HeaderListTooLargeException e = assertThrows(HeaderListTooLargeException.class,
                () -> decoder.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertEquals(180, e.headerListSize());
        assertEquals(179, e.limit());
        assertEquals("header list of 180 octets is over the limit of 179 (name + value + 32"
                + " per field, RFC 9113 §6.5.2)", e.getMessage());
        assertEquals(TABLE_AFTER_FIRST_REQUEST, decoder.dynamicTable().toString());
        // C.3.2 refers to index 62, the entry the refused block added.
        assertEquals(SECOND_REQUEST.subList(3, 5), decoder.decode(hex("be 5808 6e6f 2d63 6163"
                + " 6865")));
        assertEquals(TABLE_AFTER_SECOND_REQUEST, decoder.dynamicTable().toString());
    }

    @Test
    void headerListExactlyAtTheLimitIsAccepted() throws Exception {
        HpackDecoder decoder = new HpackDecoder(DEFAULT_TABLE_SIZE, 180);
        assertEquals(FIRST_REQUEST,
                decoder.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
    }

    @Test
    void fieldsAfterTheLimitAreStillDecodedAndCounted() throws Exception {
        // Over the limit after the first field; then a Huffman literal without indexing
        // (dropped, but its decoded length counted) and a literal with indexing (kept in the
        // table). A bad Huffman string after the limit is still a COMPRESSION_ERROR.
        HpackDecoder decoder = new HpackDecoder(DEFAULT_TABLE_SIZE, 40);
        HeaderListTooLargeException e = assertThrows(HeaderListTooLargeException.class,
                () -> decoder.decode(hex("040c 2f73 616d 706c 652f 7061 7468"
                        + " 048c f1e3 c2e5 f23a 6ba0 ab90 f4ff 4803 3330 32")));
        assertEquals(49 + 52 + 42, e.headerListSize());
        assertEquals(table("[  1] (s =  42) :status: 302", "      Table size:  42"),
                decoder.dynamicTable().toString());
        assertEquals("Huffman string ends with padding that is not all ones (not a prefix of"
                + " EOS, RFC 7541 §5.2)", rejected(new HpackDecoder(DEFAULT_TABLE_SIZE, 40),
                "040c 2f73 616d 706c 652f 7061 7468 0481 18").getMessage());
    }

    @Test
    void readsTheBlockFromItsPositionToItsLimit() throws Exception {
        ByteBuffer framed = ByteBuffer.wrap(HexFormat.of().parseHex("ffff8286ffff"));
        framed.position(2).limit(4);
        assertEquals(FIRST_REQUEST.subList(0, 2), decoder().decode(framed.slice()));
        ByteBuffer direct = ByteBuffer.allocateDirect(17).put(hex("8286 8441 8cf1 e3c2 e5f2"
                + " 3a6b a0ab 90f4 ff")).flip();
        assertEquals(FIRST_REQUEST, decoder().decode(direct));
        ByteBuffer directRaw = ByteBuffer.allocateDirect(14).put(hex("040c 2f73 616d 706c 652f"
                + " 7061 7468")).flip();
        assertEquals(List.of(field(":path", "/sample/path")), decoder().decode(directRaw));
    }

    @Test
    void emptyBlockIsAnEmptyList() throws Exception {
        assertEquals(List.of(), decoder().decode(ByteBuffer.allocate(0)));
    }
}
