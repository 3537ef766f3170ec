package analytics.http2.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Fuzzer;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged header blocks against the HPACK decoder, seeded with every example of
 * RFC 7541 Appendix C: each block is decoded or refused with HpackException (context
 * broken) or HeaderListTooLargeException (list over the limit) - the same way from a heap
 * and a direct buffer - and a block that decoded can be decoded again on the same table.
 */
class HpackDecoderFuzzTest {

    /** SETTINGS_HEADER_TABLE_SIZE as Http2Connection advertises it. */
    private static final int TABLE_SIZE = 4096;
    /** Small, so the list-size refusal is reached too. */
    private static final int MAX_LIST = 1024;

    /** RFC 7541 Appendix C, every header block (the hex dumps, as in HpackDecoderTest). */
    private static final List<String> APPENDIX_C = List.of(
            "400a637573746f6d2d6b65790d637573746f6d2d686561646572",          // C.2.1
            "040c2f73616d706c652f70617468",                                  // C.2.2
            "100870617373776f726406736563726574",                            // C.2.3
            "82",                                                            // C.2.4
            "828684410f7777772e6578616d706c652e636f6d",                      // C.3.1
            "828684be58086e6f2d6361636865",                                  // C.3.2
            "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",    // C.3.3
            "828684418cf1e3c2e5f23a6ba0ab90f4ff",                            // C.4.1
            "828684be5886a8eb10649cbf",                                      // C.4.2
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",              // C.4.3
            "4803333032580770726976617465611d4d6f6e2c203231204f63742032303133"
                    + "2032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d"
                    + "706c652e636f6d",                                         // C.5.1
            "4803333037c1c0bf",                                              // C.5.2
            "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d"
                    + "54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f"
                    + "50495541585157454f49553b206d61782d6167653d333630303b20766572"
                    + "73696f6e3d31",                                           // C.5.3
            "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a6"
                    + "2d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",             // C.6.1
            "4883640effc1c0bf",                                              // C.6.2
            "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab"
                    + "77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5"
                    + "291f9587316065c003ed4ee5b1063d5007",                      // C.6.3
            "3fe11f82",                                                      // §6.3 size update to 4096
            "2082");                                                         // size update to 0

    /** Integers at their prefix edges and past 31 bits, the Huffman flag, EOS padding. */
    private static final List<byte[]> TOKENS = List.of(
            hex("7f"), hex("ff"), hex("3f"), hex("1f"), hex("0f"), hex("80"), hex("00"),
            hex("ffffffff0f"), hex("ff80808080808001"), hex("7fffffffff07"), hex("3fe11f"),
            hex("3fe21f"), hex("20"), hex("be"), hex("bf"), hex("ffffffff"), hex("8f"));

    @Test
    void decodesOrRefusesEveryBlockWithAnHpackError() throws Exception {
        List<byte[]> seeds = APPENDIX_C.stream().map(HpackDecoderFuzzTest::hex).toList();
        Fuzzer.Outcome outcome = Fuzzer.named("HPACK blocks").seeds(seeds).tokens(TOKENS)
                .rejectsWith(HpackException.class, HeaderListTooLargeException.class)
                // Four decodes of the block; strings and fields in proportion to its bytes,
                // never sized from a length the block does not hold.
                .allocationAtMost(input -> 64 * 1024 + 512L * input.length)
                .run(Fuzzer.iterations(5_000), HpackDecoderFuzzTest::decodeHeapAndDirect);
        assertTrue(outcome.accepted() >= seeds.size(), "every seed decodes: " + outcome);
        assertTrue(outcome.rejected() > 0, "some blocks are refused: " + outcome);
    }

    /**
     * The block decoded twice on one decoder (the second time with the table the first left),
     * from a heap buffer and from a direct one (PrimitiveReader's two paths for a raw string):
     * the same fields or the same refusal. A refusal is rethrown, for the fuzzer to count.
     */
    private static void decodeHeapAndDirect(byte[] input) throws Exception {
        String heap = twice(ByteBuffer.wrap(input), ByteBuffer.wrap(input));
        String direct = twice(directCopy(input), directCopy(input));
        assertEquals(heap, direct, "heap and direct buffers decode alike");
        if (heap.startsWith("refused")) {
            // Decode again to throw the decoder's own exception, not a copy of it.
            HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, MAX_LIST);
            decoder.decode(ByteBuffer.wrap(input));
            decoder.decode(ByteBuffer.wrap(input));
            throw new AssertionError("refused once, decoded the next time");
        }
    }

    private static String twice(ByteBuffer first, ByteBuffer second) {
        HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, MAX_LIST);
        StringBuilder verdict = new StringBuilder();
        for (ByteBuffer block : List.of(first, second)) {
            try {
                verdict.append(decoder.decode(block)).append('\n');
                assertEquals(0, block.remaining(), "the whole block is consumed");
            } catch (HeaderListTooLargeException e) {
                // The table is still in step: the connection goes on with the next block.
                verdict.append("list too large ").append(e.headerListSize()).append('\n');
            } catch (HpackException e) {
                return "refused " + verdict + e.getMessage();
            }
        }
        String text = verdict.toString();
        return text.contains("list too large") ? "refused " + text : text;
    }

    private static ByteBuffer directCopy(byte[] input) {
        return ByteBuffer.allocateDirect(input.length).put(input).flip();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
