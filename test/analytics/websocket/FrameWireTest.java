package analytics.websocket;

import static analytics.websocket.WireFixture.DEADLINE_MS;
import static analytics.websocket.WireFixture.poll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Await;
import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Data and control frames over a real socket: echo, ping/pong, binary, fragments. */
class FrameWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void echoesText() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendText("héllo");
        assertEquals("héllo", client.readFrame().text());
        assertEquals("héllo", poll(wire.handler.texts));
    }

    @Test
    void anIdleConnectionHasNoWriterThreadAndTheNextFrameStartsOne() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendText("first");
        assertEquals("first", client.readFrame().text());
        WebSocketConnection connection = wire.server().connections().iterator().next();
        // Heartbeat pings start a writer every 200 ms; between them the connection is idle.
        Await.until("the writer ended with nothing left to write", Duration.ofMillis(DEADLINE_MS),
                () -> !connection.writerRunning());

        client.sendText("second");
        ServerFrame next = client.readFrame();
        while (next.opcode() == Opcode.PING.code()) {
            next = client.readFrame();
        }
        assertEquals("second", next.text(), "a new writer took the frame");
    }

    @Test
    void aBurstOfFramesLeavesComplete() throws Exception {
        RawWebSocketClient client = wire.connect();
        int frames = 2_000;
        for (int i = 0; i < frames; i++) {
            client.sendText("m" + i); // each echo is queued as the writer of the last may end
        }
        for (int i = 0; i < frames; ) {
            ServerFrame frame = client.readFrame();
            if (frame.opcode() != Opcode.PING.code()) {
                assertEquals("m" + i, frame.text(), "every echo, in order");
                i++;
            }
        }
    }

    @Test
    void answersPingWithPongCarryingTheSamePayload() throws IOException {
        RawWebSocketClient client = wire.connect();
        byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);
        client.sendFrame(true, Opcode.PING, payload);
        ServerFrame pong = client.readFrame();
        assertEquals(Opcode.PONG.code(), pong.opcode());
        assertArrayEquals(payload, pong.payload());
    }

    @Test
    void deliversBinaryFramesToOnBinary() throws Exception {
        RawWebSocketClient client = wire.connect();
        byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0xC0};
        client.sendFrame(true, Opcode.BINARY, data);
        assertArrayEquals(data, wire.handler.binaries.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
        client.sendFrame(false, Opcode.BINARY, new byte[] {1});
        client.sendFrame(true, Opcode.CONTINUATION, new byte[] {2});
        assertArrayEquals(new byte[] {1, 2}, wire.handler.binaries.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
        assertTrue(wire.handler.texts.isEmpty(), "binary never reaches onText");
    }

    @Test
    void deliversAFragmentedMessageAroundAnInterleavedPing() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(false, Opcode.TEXT, "Hel".getBytes(StandardCharsets.UTF_8));
        client.sendFrame(true, Opcode.PING, "mid".getBytes(StandardCharsets.UTF_8));
        ServerFrame pong = client.readFrame();
        assertEquals(Opcode.PONG.code(), pong.opcode(), "the pong does not wait for the message");
        assertEquals("mid", pong.text());
        assertNull(wire.handler.texts.poll(), "nothing delivered before the last fragment");
        client.sendFrame(true, Opcode.CONTINUATION, "lo".getBytes(StandardCharsets.UTF_8));
        assertEquals("Hello", poll(wire.handler.texts));
        assertEquals("Hello", client.readFrame().text());
    }
}
