package analytics.http2.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.SplitFeeder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames built byte by byte from RFC 9113 §4.1 and §6, fed at every split point. */
class FrameDecoderTest {

    private static final int MAX_FRAME = 16_384;

    /** A frame from its header fields and payload, without FrameEncoder. */
    static byte[] frame(int type, int flags, int streamId, int... payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(streamId >>> 24);
        out.write(streamId >>> 16);
        out.write(streamId >>> 8);
        out.write(streamId);
        for (int b : payload) {
            out.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static Frame decodeOne(byte[] bytes) throws Http2Exception {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Frame frame = new FrameDecoder(MAX_FRAME).decode(in);
        assertFalse(in.hasRemaining(), "the whole frame was consumed");
        return frame;
    }

    private static Http2Exception rejects(byte[] bytes) {
        return assertThrows(Http2Exception.class, () -> new FrameDecoder(MAX_FRAME).decode(ByteBuffer.wrap(bytes)));
    }

    private static void assertConnectionError(ErrorCode code, byte[] bytes) {
        Http2Exception e = rejects(bytes);
        assertEquals(code, e.errorCode(), e.getMessage());
        assertTrue(e.isConnectionError(), e.getMessage());
    }

    @Test
    void decodesOneOfEveryFrameTypeSplitAtEveryByte() throws Exception {
        byte[] all = concat(
                frame(0x0, 0x8 | 0x1, 1, 2, 'h', 'i', 0, 0),                     // DATA, padded, END_STREAM
                frame(0x1, 0x20 | 0x8 | 0x4, 3, 1, 0x80, 0, 0, 1, 15, 0x82, 0), // HEADERS, priority, padded
                frame(0x2, 0, 3, 0, 0, 0, 1, 255),                                // PRIORITY
                frame(0x3, 0, 3, 0, 0, 0, 8),                                     // RST_STREAM CANCEL
                frame(0x4, 0, 0, 0, 4, 0, 1, 0, 0, 0, 99, 0, 0, 0, 0),              // SETTINGS, one unknown id
                frame(0x5, 0x4, 3, 0, 0, 0, 2, 0x82),                             // PUSH_PROMISE
                frame(0x6, 0x1, 0, 1, 2, 3, 4, 5, 6, 7, 8),                       // PING ACK
                frame(0x7, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0xb, 'x'),                  // GOAWAY
                frame(0x8, 0, 0, 0x80, 0, 0x10, 0),                               // WINDOW_UPDATE, R bit set
                frame(0x9, 0x4, 5, 0x84),                                         // CONTINUATION
                frame(0xfa, 0xff, 7, 1, 2, 3));                                   // an extension type
        SplitFeeder.forEverySplit(all, () -> new FrameDecoder(MAX_FRAME)::decode, (split, frames) -> {
            assertEquals(11, frames.size(), split);
            DataFrame data = assertInstanceOf(DataFrame.class, frames.get(0), split);
            assertArrayEquals(new byte[] {'h', 'i'}, data.data(), split);
            assertTrue(data.endStream(), split);
            assertEquals(5, data.flowControlledLength(), "padding counts for flow control; " + split);
            HeadersFrame headers = assertInstanceOf(HeadersFrame.class, frames.get(1), split);
            assertEquals(1, headers.dependency(), split);
            assertArrayEquals(new byte[] {(byte) 0x82}, headers.fragment(), split);
            assertTrue(headers.endHeaders() && !headers.endStream(), split);
            assertEquals(new PriorityFrame(3, 1, false, 256), frames.get(2), split);
            assertEquals(new RstStreamFrame(3, ErrorCode.CANCEL), frames.get(3), split);
            SettingsFrame settings = assertInstanceOf(SettingsFrame.class, frames.get(4), split);
            assertEquals(List.of(new SettingsFrame.Entry(Setting.INITIAL_WINDOW_SIZE, 65_536)),
                    settings.entries(), split);
            PushPromiseFrame push = assertInstanceOf(PushPromiseFrame.class, frames.get(5), split);
            assertEquals(2, push.promisedStreamId(), split);
            assertEquals(new PingFrame(true, 0x0102030405060708L), frames.get(6), split);
            GoAwayFrame goAway = assertInstanceOf(GoAwayFrame.class, frames.get(7), split);
            assertEquals(5, goAway.lastStreamId(), split);
            assertEquals(ErrorCode.ENHANCE_YOUR_CALM, goAway.errorCode(), split);
            assertArrayEquals(new byte[] {'x'}, goAway.debugData(), split);
            assertEquals(new WindowUpdateFrame(0, 0x1000), frames.get(8), split);
            ContinuationFrame continuation = assertInstanceOf(ContinuationFrame.class, frames.get(9), split);
            assertTrue(continuation.endHeaders(), split);
            assertEquals(new UnknownFrame(0xfa, 0xff, 7, 3), frames.get(10), split);
        });
    }

    @Test
    void answersNullAndConsumesNothingUntilTheWholeFrameIsThere() throws Exception {
        byte[] ping = frame(0x6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME);
        for (int length = 0; length < ping.length; length++) {
            ByteBuffer in = ByteBuffer.wrap(ping, 0, length);
            assertNull(decoder.decode(in));
            assertEquals(0, in.position(), "nothing consumed with " + length + " bytes");
        }
    }

    @Test
    void ignoresTheReservedBitOfTheStreamId() throws Exception {
        DataFrame data = (DataFrame) decodeOne(frame(0x0, 0, 0x8000_0003, 'a'));
        assertEquals(3, data.streamId());
    }

    @Test
    void refusesAFrameOverMaxFrameSizeFromItsHeaderAlone() {
        byte[] header = frame(0x0, 0, 1);
        header[0] = 0;
        header[1] = 0x40;
        header[2] = 0x01; // 16,385 bytes announced, none of them sent
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR, header);
    }

    @Test
    void acceptsAFrameOfExactlyMaxFrameSize() throws Exception {
        byte[] frame = new byte[FrameDecoder.HEADER_LENGTH + MAX_FRAME];
        frame[1] = 0x40; // length 16,384; type DATA; stream 1
        frame[8] = 1;
        assertEquals(MAX_FRAME, ((DataFrame) decodeOne(frame)).data().length);
    }

    @Test
    void refusesPaddingAsLongAsThePayload() {
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(0x0, 0x8, 1, 3, 'a', 0));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(0x1, 0x8 | 0x4, 1, 2, 0x82));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(0x1, 0x20 | 0x8 | 0x4, 1, 1, 0, 0, 0, 0, 15));
    }

    @Test
    void acceptsPaddingThatLeavesNoData() throws Exception {
        DataFrame data = (DataFrame) decodeOne(frame(0x0, 0x8, 1, 2, 0, 0));
        assertEquals(0, data.data().length);
        assertEquals(3, data.flowControlledLength());
    }

    @Test
    void refusesPaddedFlagWithoutPadLength() {
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR, frame(0x0, 0x8, 1));
    }

    @ParameterizedTest(name = "type {0} of {1} bytes")
    @CsvSource({
        "3, 3", "3, 5",      // RST_STREAM is 4
        "6, 7", "6, 9",      // PING is 8
        "8, 3", "8, 5",      // WINDOW_UPDATE is 4
        "4, 5",              // SETTINGS is a multiple of 6
        "7, 7",              // GOAWAY is at least 8
    })
    void refusesFixedLengthFramesOfAnotherLength(int type, int length) {
        int streamId = type == 3 || type == 8 ? 1 : 0;
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR, frame(type, 0, streamId, new int[length]));
    }

    @Test
    void refusesASettingsAcknowledgementWithAPayload() {
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR, frame(0x4, 0x1, 0, 0, 3, 0, 0, 0, 1));
    }

    @Test
    void answersAPriorityOfTheWrongLengthWithAStreamError() {
        Http2Exception e = rejects(frame(0x2, 0, 5, 0, 0, 0, 1));
        assertEquals(ErrorCode.FRAME_SIZE_ERROR, e.errorCode());
        assertEquals(5, e.streamId());
    }

    @Test
    void refusesAStreamThatDependsOnItself() {
        Http2Exception e = rejects(frame(0x2, 0, 5, 0, 0, 0, 5, 15));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.errorCode());
        assertEquals(5, e.streamId());
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"0", "1", "2", "3", "5", "9"})
    void refusesStreamFramesOnStreamZero(int type) {
        int[] payload = switch (type) {
            case 2 -> new int[5];
            case 3, 5 -> new int[4];
            default -> new int[0];
        };
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(type, 0, 0, payload));
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"4", "6", "7"})
    void refusesConnectionFramesOnAStream(int type) {
        int[] payload = type == 4 ? new int[0] : new int[8];
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(type, 0, 1, payload));
    }

    @Test
    void refusesAWindowUpdateOfZeroOnTheConnectionOrTheStream() {
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, frame(0x8, 0, 0, 0, 0, 0, 0));
        Http2Exception e = rejects(frame(0x8, 0, 3, 0, 0, 0, 0));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.errorCode());
        assertEquals(3, e.streamId(), "a stream error on stream 3");
    }

    @Test
    void refusesHeadersTooShortForTheirPriorityFields() {
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR, frame(0x1, 0x20 | 0x4, 1, 0, 0, 0));
    }
}
