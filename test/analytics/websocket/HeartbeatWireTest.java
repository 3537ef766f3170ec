package analytics.websocket;

import static analytics.websocket.WireFixture.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pings every heartbeat; a peer that does not answer is cut (RFC 6455 §5.5.2, §5.5.3). */
class HeartbeatWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void terminatesAPeerThatNeverAnswersPings() throws Exception {
        RawWebSocketClient client = wire.connect();
        // Read without answering: the first heartbeat pings, the next finds no pong and cuts.
        int pings = 0;
        try {
            while (true) {
                ServerFrame frame = client.readAnyFrame();
                assertEquals(Opcode.PING.code(), frame.opcode());
                pings++;
            }
        } catch (IOException closed) {
            // end of stream or reset: terminated
        }
        assertEquals(1, pings, "terminated at the heartbeat after the unanswered ping");
        assertEquals("1006 ", poll(wire.handler.closes));
    }

    @Test
    void keepsAPeerThatAnswersPings() throws Exception {
        RawWebSocketClient client = wire.connect();
        int pings = 0;
        while (pings < 4) { // four heartbeats; each read is bounded by the client's timeout
            ServerFrame frame = client.readAnyFrame();
            assertEquals(Opcode.PING.code(), frame.opcode());
            client.sendFrame(true, Opcode.PONG, frame.payload());
            pings++;
        }
        client.sendText("still here");
        assertEquals("still here", client.readFrame().text());
    }
}
