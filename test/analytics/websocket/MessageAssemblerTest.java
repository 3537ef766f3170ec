package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageAssemblerTest {

    private final MessageAssembler assembler = new MessageAssembler(16);

    private static Frame frame(boolean fin, Opcode opcode, String text) {
        return new Frame(fin, opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Frame frame(boolean fin, Opcode opcode, byte[] payload) {
        return new Frame(fin, opcode, payload);
    }

    private String text(MessageAssembler.Message message) {
        return assertInstanceOf(MessageAssembler.Text.class, message).text();
    }

    private CloseCode rejection(Frame... frames) {
        return assertThrows(WebSocketException.class, () -> {
            for (Frame frame : frames) {
                assembler.accept(frame);
            }
        }).closeCode();
    }

    @Test
    void deliversAnUnfragmentedTextMessage() throws Exception {
        assertEquals("hello", text(assembler.accept(frame(true, Opcode.TEXT, "hello"))));
    }

    @Test
    void joinsFragmentedText() throws Exception {
        assertNull(assembler.accept(frame(false, Opcode.TEXT, "Hel")));
        assertNull(assembler.accept(frame(false, Opcode.CONTINUATION, "")));
        assertEquals("Hello", text(assembler.accept(frame(true, Opcode.CONTINUATION, "lo"))));
        // and is ready for the next message
        assertEquals("again", text(assembler.accept(frame(true, Opcode.TEXT, "again"))));
    }

    @Test
    void joinsFragmentedBinary() throws Exception {
        assertNull(assembler.accept(frame(false, Opcode.BINARY, new byte[] {1, 2})));
        MessageAssembler.Message message = assembler.accept(frame(true, Opcode.CONTINUATION, new byte[] {3}));
        assertArrayEquals(new byte[] {1, 2, 3}, assertInstanceOf(MessageAssembler.Binary.class, message).data());
    }

    /** "€" is E2 82 AC: a fragment may end inside a character (§5.6 validates the message). */
    @Test
    void acceptsAUtf8CharacterSplitAcrossFragments() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertNull(assembler.accept(frame(false, Opcode.TEXT, Arrays.copyOfRange(euro, 0, 1))));
        assertNull(assembler.accept(frame(false, Opcode.CONTINUATION, Arrays.copyOfRange(euro, 1, 2))));
        assertEquals("€", text(assembler.accept(frame(true, Opcode.CONTINUATION, Arrays.copyOfRange(euro, 2, 3)))));
    }

    @Test
    void rejectsContinuationWithoutAStart() {
        assertEquals(CloseCode.PROTOCOL_ERROR, rejection(frame(true, Opcode.CONTINUATION, "x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TEXT", "BINARY"})
    void rejectsANewMessageInsideAFragmentedOne(String opcode) {
        assertEquals(CloseCode.PROTOCOL_ERROR,
                rejection(frame(false, Opcode.TEXT, "a"), frame(true, Opcode.valueOf(opcode), "b")));
    }

    @Test
    void rejectsAMessageOverTheLimitAcrossFragments() {
        // 3 fragments of 6 bytes: each is within 16, together 18 are not.
        assertEquals(CloseCode.MESSAGE_TOO_BIG, rejection(frame(false, Opcode.BINARY, new byte[6]),
                frame(false, Opcode.CONTINUATION, new byte[6]), frame(true, Opcode.CONTINUATION, new byte[6])));
    }

    @Test
    void acceptsAFragmentedMessageOfExactlyTheLimit() throws Exception {
        assertNull(assembler.accept(frame(false, Opcode.TEXT, "12345678")));
        assertEquals("1234567812345678", text(assembler.accept(frame(true, Opcode.CONTINUATION, "12345678"))));
    }

    /** Truncated sequence, lone continuation byte, overlong '/', a UTF-16 surrogate, above U+10FFFF. */
    @ParameterizedTest
    @ValueSource(strings = {"e282", "80", "c0af", "eda080", "f4908080"})
    void rejectsInvalidUtf8With1007(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        assertEquals(CloseCode.INVALID_FRAME_PAYLOAD_DATA, rejection(frame(true, Opcode.TEXT, bad)));
    }

    @Test
    void rejectsInvalidUtf8InAFragmentedMessage() {
        assertEquals(CloseCode.INVALID_FRAME_PAYLOAD_DATA, rejection(frame(false, Opcode.TEXT, "ok"),
                frame(true, Opcode.CONTINUATION, new byte[] {(byte) 0xFF})));
    }

    @Test
    void binaryIsNotValidatedAsUtf8() throws Exception {
        byte[] data = {(byte) 0xFF, (byte) 0xC0};
        MessageAssembler.Message message = assembler.accept(frame(true, Opcode.BINARY, data));
        assertArrayEquals(data, assertInstanceOf(MessageAssembler.Binary.class, message).data());
    }
}
