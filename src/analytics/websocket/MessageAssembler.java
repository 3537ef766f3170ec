package analytics.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins data frames into messages and enforces the message rules: continuation only
 * after an unfinished message, no new message inside one, a size limit across fragments,
 * and text that is valid UTF-8.
 *
 * Pattern: a two-state machine (IDLE, IN_MESSAGE) fed one frame at a time.
 * Lesson:  lessons/06-websocket-messages-and-close.md   Spec: RFC 6455 §5.4, §5.6, §8.1
 * Not here: control frames; they may arrive between fragments and never reach this class.
 * Threads: one instance per connection, used by its reader thread only.
 */
final class MessageAssembler {

    /** A complete message. */
    sealed interface Message permits Text, Binary {
    }

    record Text(String text) implements Message {
    }

    record Binary(byte[] data) implements Message {
    }

    private enum State { IDLE, IN_MESSAGE }

    private final int maxMessageBytes;
    private State state = State.IDLE;
    private Opcode messageType;
    private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();

    MessageAssembler(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The finished message, or null while a fragmented one is still incomplete. */
    Message accept(Frame frame) throws WebSocketException {
        switch (state) {
            case IDLE -> {
                if (frame.opcode() == Opcode.CONTINUATION) {
                    throw WebSocketException.protocolError("continuation frame without a message to continue");
                }
                if (frame.fin()) { // the common case: a whole message in one frame, no copy
                    return toMessage(frame.opcode(), frame.payload());
                }
                state = State.IN_MESSAGE;
                messageType = frame.opcode();
                fragments.reset();
                append(frame.payload());
                return null;
            }
            case IN_MESSAGE -> {
                if (frame.opcode() != Opcode.CONTINUATION) {
                    throw WebSocketException.protocolError("new " + frame.opcode()
                            + " frame while a fragmented message is unfinished");
                }
                append(frame.payload());
                if (!frame.fin()) {
                    return null;
                }
                state = State.IDLE;
                byte[] whole = fragments.toByteArray();
                fragments.reset();
                return toMessage(messageType, whole);
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void append(byte[] payload) throws WebSocketException {
        if ((long) fragments.size() + payload.length > maxMessageBytes) {
            throw new WebSocketException(CloseCode.MESSAGE_TOO_BIG,
                    "message over the limit of " + maxMessageBytes + " bytes");
        }
        fragments.writeBytes(payload);
    }

    private static Message toMessage(Opcode type, byte[] payload) throws WebSocketException {
        return type == Opcode.TEXT ? new Text(decodeUtf8(payload)) : new Binary(payload);
    }

    /** Strict decoding: String's constructor would replace bad bytes with U+FFFD instead. */
    static String decodeUtf8(byte[] bytes) throws WebSocketException {
        if (isAscii(bytes)) { // the usual JSON message: every byte is valid UTF-8 as it stands
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WebSocketException(CloseCode.INVALID_FRAME_PAYLOAD_DATA, "text is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
