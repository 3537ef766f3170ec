package analytics.websocket;

import static analytics.websocket.WireFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference answer to lesson 06's exercise 4: once the server has started the close
 * handshake, a text the peer sends after it is neither delivered nor echoed (RFC 6455
 * §5.5.1: no data frames after a close frame); the next frame the peer reads is the close.
 */
class DataAfterCloseWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void aTextSentAfterTheServersCloseIsNotEchoedBeforeTheCloseFrame() throws Exception {
        wire.restart(options(), new EchoHandler(), null);
        RawWebSocketClient client = wire.connect();
        client.sendText("close:1000:bye");
        client.sendText("late");

        ServerFrame frame = client.readFrame();
        assertEquals(Opcode.CLOSE.code(), frame.opcode(), "the close frame comes first, no echo of late");
        assertEquals(1000, frame.closeCode());
        String reason = new String(Arrays.copyOfRange(frame.payload(), 2, frame.payload().length),
                StandardCharsets.UTF_8);
        assertEquals("bye", reason);
        client.sendClose(1000, "");
        assertTrue(client.awaitServerClosedTcp(), "the server closes TCP after the handshake");
    }
}
