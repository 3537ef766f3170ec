package analytics.websocket;

import static analytics.websocket.WireFixture.MAX_MESSAGE_BYTES;
import static analytics.websocket.WireFixture.assertClosedWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bytes that break RFC 6455, each answered with its close code and the end of TCP. */
class ProtocolErrorWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void closesWith1002OnAnUnmaskedFrame() throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendRaw(RawWebSocketClient.frame(true, Opcode.TEXT.code(), "hi".getBytes(StandardCharsets.UTF_8), null));
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1007OnInvalidUtf8Text() throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(true, Opcode.TEXT, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF});
        assertClosedWith(1007, client);
    }

    @Test
    void closesWith1009WhenAHeaderAnnouncesTooMuch() throws IOException {
        RawWebSocketClient client = wire.connect();
        // 64-bit length MAX+1 and the masking key; the payload is never sent.
        byte[] header = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127))
                .putLong(MAX_MESSAGE_BYTES + 1).put(RawWebSocketClient.MASK).array();
        client.sendRaw(header);
        assertClosedWith(1009, client);
    }

    /** §5.2: "the minimal number of bytes MUST be used to encode the length". */
    @Test
    void closesWith1002OnALengthNotInItsMinimalEncoding() throws IOException {
        RawWebSocketClient client = wire.connect();
        byte[] minimal = RawWebSocketClient.frame(true, Opcode.TEXT.code(),
                "hello".getBytes(StandardCharsets.UTF_8), RawWebSocketClient.MASK);
        // The same frame with its length 5 spelled in the 16-bit form: 126, then 00 05.
        byte[] padded = ByteBuffer.allocate(minimal.length + 2).put(minimal[0]).put((byte) (0x80 | 126))
                .putShort((short) 5).put(minimal, 2, minimal.length - 2).array();
        client.sendRaw(padded);
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToTooMuch() throws IOException {
        RawWebSocketClient client = wire.connect();
        byte[] half = new byte[MAX_MESSAGE_BYTES / 2 + 1];
        client.sendFrame(false, Opcode.BINARY, half);
        client.sendFrame(true, Opcode.CONTINUATION, half);
        assertClosedWith(1009, client);
    }

    @Test
    void closesWith1002OnAContinuationWithoutAStart() throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(true, Opcode.CONTINUATION, new byte[] {1});
        assertClosedWith(1002, client);
    }
}
