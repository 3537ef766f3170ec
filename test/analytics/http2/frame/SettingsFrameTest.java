package analytics.http2.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** §6.5.2's ranges: each out-of-range value refused with the code the RFC names. */
class SettingsFrameTest {

    private static ByteBuffer entry(int id, long value) {
        return ByteBuffer.allocate(6).putShort((short) id).putInt((int) value).flip();
    }

    @ParameterizedTest(name = "id {0} = {1} -> {2}")
    @CsvSource({
        "2, 2, PROTOCOL_ERROR",                 // ENABLE_PUSH is 0 or 1
        "4, 2147483648, FLOW_CONTROL_ERROR",    // INITIAL_WINDOW_SIZE above 2^31-1
        "4, 4294967295, FLOW_CONTROL_ERROR",
        "5, 16383, PROTOCOL_ERROR",             // MAX_FRAME_SIZE below 2^14
        "5, 16777216, PROTOCOL_ERROR",          // MAX_FRAME_SIZE above 2^24-1
        "5, 0, PROTOCOL_ERROR",
    })
    void refusesValuesOutOfRange(int id, long value, ErrorCode expected) {
        Http2Exception e = assertThrows(Http2Exception.class, () -> SettingsFrame.parseEntries(entry(id, value)));
        assertEquals(expected, e.errorCode(), e.getMessage());
        assertEquals(0, e.streamId(), "a connection error");
    }

    @ParameterizedTest(name = "id {0} = {1}")
    @CsvSource({
        "1, 4294967295", "2, 0", "2, 1", "3, 0", "4, 0", "4, 2147483647",
        "5, 16384", "5, 16777215", "6, 0", "6, 4294967295",
    })
    void acceptsTheBoundsOfEachRange(int id, long value) throws Exception {
        List<SettingsFrame.Entry> entries = SettingsFrame.parseEntries(entry(id, value));
        assertEquals(List.of(new SettingsFrame.Entry(Setting.fromId(id), value)), entries);
    }

    @Test
    void ignoresUnknownIdentifiers() throws Exception {
        assertEquals(List.of(), SettingsFrame.parseEntries(entry(0x7, 5)));
        assertEquals(List.of(), SettingsFrame.parseEntries(entry(0xffff, 1)));
        assertEquals(List.of(), SettingsFrame.parseEntries(entry(0, 1)));
    }

    @Test
    void appliesEntriesInOrderSoTheLastValueWins() {
        SettingsFrame frame = new SettingsFrame(false, List.of(
                new SettingsFrame.Entry(Setting.MAX_FRAME_SIZE, 20_000),
                new SettingsFrame.Entry(Setting.MAX_FRAME_SIZE, 30_000)));
        assertEquals(30_000, Settings.INITIAL.with(frame).maxFrameSize());
        assertEquals(16_384, Settings.INITIAL.maxFrameSize(), "the original is unchanged");
    }

    @Test
    void startsFromTheRfcsInitialValues() {
        assertEquals(4096, Settings.INITIAL.headerTableSize());
        assertEquals(65_535, Settings.INITIAL.initialWindowSize());
        assertEquals(16_384, Settings.INITIAL.maxFrameSize());
        assertEquals(1, Settings.INITIAL.get(Setting.ENABLE_PUSH));
    }
}
