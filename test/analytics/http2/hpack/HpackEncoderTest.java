package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HpackEncoderTest {

    private static final int NO_LIST_LIMIT = Integer.MAX_VALUE;

    private static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }

    private static String encode(HpackEncoder encoder, List<HeaderField> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(fields, out);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    /** Encodes, decodes, and checks both the list and that both tables agree. */
    private static void assertRoundTrip(HpackEncoder encoder, HpackDecoder decoder,
            List<HeaderField> fields) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(fields, out);
        assertEquals(fields, decoder.decode(ByteBuffer.wrap(out.toByteArray())));
        assertEquals(encoder.dynamicTable().toString(), decoder.dynamicTable().toString());
        assertEquals(encoder.dynamicTable().maxSize(), decoder.dynamicTable().maxSize());
    }

    private static final List<HeaderField> ACCEPTED = List.of(
            field(":status", "202"), field("content-type", "application/json"),
            field("content-length", "21"));

    @Test
    void staticFullMatchesAreOneOctetEach() {
        assertEquals("828684", encode(new HpackEncoder(), List.of(field(":method", "GET"),
                field(":scheme", "http"), field(":path", "/"))));
    }

    @Test
    void repeatedResponseFieldsBecomeDynamicIndices() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        // :status 202, incremental indexing: 01 001000 (name = static 8), then "202"
        // Huffman-coded (00010 00000 00010 + one bit of padding: 2 octets instead of 3).
        // content-type, incremental indexing: 01 011111 (name = static 31), then the value
        // Huffman-coded in 11 octets. content-length, without indexing: 0000 1111 and
        // 28 - 15 = 13, then "21" raw (Huffman needs 2 octets too: a tie).
        assertEquals("4882" + "1005" + "5f8b" + "1d75d0620d263d4c7441ea" + "0f0d" + "023231",
                encode(encoder, ACCEPTED));
        // The second response: content-type is now entry 62, :status 202 entry 63.
        assertEquals("bf" + "be" + "0f0d" + "023231", encode(encoder, ACCEPTED));
        assertEquals(2, encoder.dynamicTable().length());
    }

    @Test
    void aDateIsIndexedSoTheRestOfItsSecondCostsOneOctet() {
        HpackEncoder encoder = new HpackEncoder();
        List<HeaderField> dated = List.of(field("date", "Sun, 06 Nov 1994 08:49:37 GMT"));
        // 01 100001: incremental indexing, name = static 33 ("date"), then the value.
        assertEquals("61", encode(encoder, dated).substring(0, 2));
        assertEquals("be", encode(encoder, dated), "the second response of the second: entry 62");
    }

    @Test
    void credentialsAreNeverIndexed() {
        HpackEncoder encoder = new HpackEncoder();
        // 0001 1111, 23 - 15 = 8: never indexed, name "authorization" (static index 23).
        String block = encode(encoder, List.of(field("authorization", "Basic dXNlcjpwYXNz")));
        assertEquals("1f08", block.substring(0, 4));
        assertEquals(0, encoder.dynamicTable().length());
    }

    @Test
    void unknownNamesAreSentAsLiteralsWithoutIndexing() {
        HpackEncoder encoder = new HpackEncoder();
        // 0000 0000 (literal name), "x-id" Huffman-coded (7 + 6 + 5 + 6 bits = 3 octets),
        // then "7" raw (a 6-bit code still takes one octet: a tie).
        assertEquals("00" + "83f2b1a4" + "0137", encode(encoder, List.of(field("x-id", "7"))));
        assertEquals(0, encoder.dynamicTable().length());
    }

    @Test
    void roundTripsRequestsAndResponses() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        List<List<HeaderField>> blocks = List.of(
                List.of(field(":method", "POST"), field(":scheme", "http"),
                        field(":path", "/metrics"), field(":authority", "127.0.0.1:4001"),
                        field("content-type", "application/json"),
                        field("content-length", "187")),
                ACCEPTED,
                List.of(field(":status", "400"), field("content-type", "application/json"),
                        field("server", "analytics"), field("x-empty", ""),
                        field("x-latin1", "caf\u00e9 \u00ff\u0000\u007f"),
                        field("cookie", "a=b"), field("set-cookie", "id=1; HttpOnly")),
                ACCEPTED,
                List.of(),
                List.of(field(":status", "503"), field("retry-after", "1"),
                        field("cache-control", "no-store"), field("vary", "accept"),
                        field("x-long", "v".repeat(5000))),
                ACCEPTED);
        for (List<HeaderField> block : blocks) {
            assertRoundTrip(encoder, decoder, block);
        }
    }

    @Test
    void announcesALowerTableSizeAtTheStartOfTheNextBlock() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        assertRoundTrip(encoder, decoder, ACCEPTED);
        encoder.setMaxTableSize(0);
        // 001 00000: size 0, which empties the peer's table; then :status 202 without
        // indexing (0000 1000), since a table of size 0 cannot keep it.
        assertEquals("20" + "08821005", encode(encoder, List.of(field(":status", "202"))));
        assertEquals(0, encoder.dynamicTable().maxSize());
        assertEquals(0, encoder.dynamicTable().length());
        assertEquals("08821005", encode(encoder, List.of(field(":status", "202"))));
    }

    @Test
    void announcesTheSmallestSizeThenTheFinalOne() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        assertRoundTrip(encoder, decoder, ACCEPTED); // two entries: 42 + 60 = 102 octets
        encoder.setMaxTableSize(64);
        encoder.setMaxTableSize(8192); // we still use at most 4096
        // §4.2: 64 first (001 11111, 33), so the peer evicts as we did; then 4096.
        String block = encode(encoder, List.of(field(":method", "GET")));
        assertEquals("3f21" + "3fe11f" + "82", block);
        assertEquals("[  1] (s =  60) content-type: application/json\n      Table size:  60",
                encoder.dynamicTable().toString());
        assertEquals(4096, encoder.dynamicTable().maxSize());
    }

    @Test
    void tableSizeChangesRoundTrip() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        assertRoundTrip(encoder, decoder, ACCEPTED);
        encoder.setMaxTableSize(50);
        assertRoundTrip(encoder, decoder, ACCEPTED);
        assertEquals(50, decoder.dynamicTable().maxSize());
        encoder.setMaxTableSize(0);
        encoder.setMaxTableSize(256);
        assertRoundTrip(encoder, decoder, ACCEPTED);
        assertRoundTrip(encoder, decoder, ACCEPTED);
        assertEquals(256, decoder.dynamicTable().maxSize());
    }

    @Test
    void sameOrLargerPeerSizeAnnouncesNothing() {
        HpackEncoder encoder = new HpackEncoder();
        encoder.setMaxTableSize(4096);
        encoder.setMaxTableSize(1 << 20); // more than we keep: nothing changes
        assertEquals("82", encode(encoder, List.of(field(":method", "GET"))));
    }

    @Test
    void refusesTextThatIsNotOctetsAndLeavesTheTableAlone() throws Exception {
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of(field(":status", "200"),
                        field("content-type", "text/plain"), field("x-price", "5 \u20ac")), out));
        assertEquals("header value must be ISO-8859-1 octets, found U+20AC at 2 in \"5 \u20ac\"",
                e.getMessage());
        assertEquals(0, out.size());
        assertEquals(0, encoder.dynamicTable().length());
        assertRoundTrip(encoder, decoder, ACCEPTED); // still in step with the peer
    }

    @Test
    void staysInStepOverManyRandomBlocksAndSizeChanges() throws Exception {
        Random random = new Random(7541);
        String[] names = {":status", "content-type", "server", "cache-control", "x-custom",
            "content-length", "set-cookie", "date", "vary", "allow"};
        String[] values = {"200", "202", "application/json", "text/html; charset=utf-8", "",
            "no-store", "analytics/1.0", "Mon, 21 Oct 2013 20:13:21 GMT", "x".repeat(300)};
        HpackEncoder encoder = new HpackEncoder();
        HpackDecoder decoder = new HpackDecoder(4096, NO_LIST_LIMIT);
        for (int block = 0; block < 500; block++) {
            if (random.nextInt(10) == 0) {
                encoder.setMaxTableSize(random.nextInt(5000));
                if (random.nextBoolean()) {
                    encoder.setMaxTableSize(random.nextInt(5000));
                }
            }
            List<HeaderField> fields = new ArrayList<>();
            for (int i = random.nextInt(8); i > 0; i--) {
                fields.add(field(names[random.nextInt(names.length)],
                        values[random.nextInt(values.length)]));
            }
            assertRoundTrip(encoder, decoder, fields);
        }
    }
}
