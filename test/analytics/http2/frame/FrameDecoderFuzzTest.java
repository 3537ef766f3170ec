package analytics.http2.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Fuzzer;
import analytics.testing.SplitFeeder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged frames against the RFC 9113 frame decoder: each input is decoded or
 * refused with an Http2Exception carrying its error code, with the same verdict whether it
 * arrives whole or in three reads, and with memory in proportion to the bytes that came.
 */
class FrameDecoderFuzzTest {

    /** SETTINGS_MAX_FRAME_SIZE's initial value, the one Http2Connection keeps. */
    private static final int MAX_FRAME = 16_384;

    /** Lengths at the frame-size edge, every type code, the flags that add fields, stream ids. */
    private static final List<byte[]> TOKENS = List.of(
            hex("004000"), hex("004001"), hex("ffffff"), hex("000000"),
            hex("00"), hex("01"), hex("04"), hex("05"), hex("08"), hex("09"), hex("0a"),
            hex("08"), hex("20"), hex("28"), hex("ff"),
            hex("80000000"), hex("7fffffff"), hex("00000001"), hex("00000000"));

    @Test
    void decodesOrRefusesEveryInputWithAnErrorCode() throws Exception {
        byte[] settings = FrameDecoderTest.frame(0x4, 0, 0,
                0, 1, 0, 0, 0x10, 0, 0, 3, 0, 0, 0, 100, 0, 4, 0, 0, 0xff, 0xff,
                0, 5, 0, 0, 0x40, 0, 0, 6, 0, 0, 0x20, 0);
        // RFC 7541 C.3.1's header block in a HEADERS frame, then C.3.2's in a CONTINUATION.
        byte[] headers = FrameDecoderTest.frame(0x1, 0x0, 1,
                0x82, 0x86, 0x84, 0x41, 0x0f, 'w', 'w', 'w', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
                '.', 'c', 'o', 'm');
        byte[] continuation = FrameDecoderTest.frame(0x9, 0x4, 1,
                0x82, 0x86, 0x84, 0xbe, 0x58, 0x08, 'n', 'o', '-', 'c', 'a', 'c', 'h', 'e');
        List<byte[]> seeds = List.of(
                FrameDecoderTest.frame(0x0, 0x8 | 0x1, 1, 2, 'h', 'i', 0, 0),
                FrameDecoderTest.frame(0x1, 0x20 | 0x8 | 0x4, 3, 1, 0x80, 0, 0, 1, 15, 0x82, 0),
                FrameDecoderTest.frame(0x2, 0, 3, 0, 0, 0, 1, 255),
                FrameDecoderTest.frame(0x3, 0, 3, 0, 0, 0, 8),
                settings,
                FrameDecoderTest.frame(0x4, 0x1, 0),
                FrameDecoderTest.frame(0x5, 0x4, 3, 0, 0, 0, 2, 0x82),
                FrameDecoderTest.frame(0x6, 0x1, 0, 1, 2, 3, 4, 5, 6, 7, 8),
                FrameDecoderTest.frame(0x7, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0xb, 'x'),
                FrameDecoderTest.frame(0x8, 0, 0, 0x80, 0, 0x10, 0),
                FrameDecoderTest.frame(0xfa, 0xff, 7, 1, 2, 3),
                concat(headers, continuation));
        Fuzzer.Outcome outcome = Fuzzer.named("HTTP/2 frames").seeds(seeds).tokens(TOKENS)
                .rejectsWith(Http2Exception.class)
                // Payloads are copied out of the buffer once, and never sized from a length
                // the bytes do not back: memory follows the input.
                .allocationAtMost(input -> 64 * 1024 + 64L * input.length)
                .run(Fuzzer.iterations(5_000), FrameDecoderFuzzTest::decodeBothWays);
        assertTrue(outcome.accepted() >= seeds.size(), "every seed decodes: " + outcome);
        assertTrue(outcome.rejected() > 0, "some inputs are refused: " + outcome);
    }

    /**
     * Decodes whole, then cut in three reads; both must give the same frames, or the same
     * error code. A refusal is rethrown, for the fuzzer to count.
     */
    private static void decodeBothWays(byte[] input) throws Exception {
        List<String> whole = new ArrayList<>();
        Http2Exception refused = decode(input, whole);
        List<String> inThree = new ArrayList<>();
        Http2Exception refusedInThree =
                decode(input, inThree, input.length / 3, 2 * input.length / 3);
        assertEquals(whole, inThree, "frames decoded whole and in three reads");
        assertEquals(refused == null ? null : refused.errorCode(),
                refusedInThree == null ? null : refusedInThree.errorCode(),
                "verdict whole and in three reads");
        if (refused != null) {
            assertNotNull(refused.errorCode(), "a refusal carries its error code");
            throw refused;
        }
    }

    private static Http2Exception decode(byte[] input, List<String> frames, int... cuts)
            throws Exception {
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME);
        SplitFeeder.Fed<Frame, Http2Exception> fed =
                SplitFeeder.feedUntilRefused(decoder::decode, Http2Exception.class, input, cuts);
        fed.values().forEach(frame -> frames.add(frame.toString())); // kept when a later one is refused
        return fed.refusal();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
