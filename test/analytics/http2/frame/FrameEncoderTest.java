package analytics.http2.frame;

import static analytics.http2.frame.FrameDecoderTest.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's bytes against frames built by hand from §6, and back through the decoder. */
class FrameEncoderTest {

    private static void assertEncodes(byte[] expected, Frame frame) throws Exception {
        byte[] encoded = FrameEncoder.toBytes(frame);
        assertArrayEquals(expected, encoded, frame.toString());
        assertEquals(expected.length, FrameEncoder.encodedLength(frame));
        Frame decoded = new FrameDecoder(16_384).decode(ByteBuffer.wrap(encoded));
        assertEquals(frame.toString(), decoded.toString(), "round trip");
    }

    @Test
    void encodesControlFramesAsTheRfcLaysThemOut() throws Exception {
        assertEncodes(frame(0x4, 0x1, 0), SettingsFrame.ACKNOWLEDGEMENT);
        assertEncodes(frame(0x4, 0, 0, 0, 3, 0, 0, 0, 100, 0, 6, 0, 0, 0x40, 0),
                new SettingsFrame(false, List.of(
                        new SettingsFrame.Entry(Setting.MAX_CONCURRENT_STREAMS, 100),
                        new SettingsFrame.Entry(Setting.MAX_HEADER_LIST_SIZE, 16_384))));
        assertEncodes(frame(0x6, 0x1, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34), new PingFrame(true, 0x1234));
        assertEncodes(frame(0x3, 0, 7, 0, 0, 0, 7), new RstStreamFrame(7, ErrorCode.REFUSED_STREAM));
        assertEncodes(frame(0x8, 0, 0, 0x7f, 0xff, 0xff, 0xff), new WindowUpdateFrame(0, Integer.MAX_VALUE));
        assertEncodes(frame(0x7, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 'b', 'a', 'd'),
                new GoAwayFrame(9, ErrorCode.PROTOCOL_ERROR, "bad".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void encodesHeadersDataAndContinuationSlices() {
        byte[] block = {9, 8, 7, 6};
        ByteBuffer out = ByteBuffer.allocate(64);
        FrameEncoder.writeHeaders(out, 1, false, false, block, 0, 3);
        FrameEncoder.writeContinuation(out, 1, true, block, 3, 1);
        FrameEncoder.writeData(out, 1, true, block, 1, 2);
        byte[] expected = new byte[0];
        expected = join(expected, frame(0x1, 0, 1, 9, 8, 7));
        expected = join(expected, frame(0x9, 0x4, 1, 6));
        expected = join(expected, frame(0x0, 0x1, 1, 8, 7));
        byte[] written = new byte[out.position()];
        out.flip().get(written);
        assertArrayEquals(expected, written);
    }

    private static byte[] join(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
