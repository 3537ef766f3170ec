package analytics.websocket;

import static analytics.websocket.WireFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference answer to lesson 07's exercise 2: a broadcast never waits for the slowest
 * peer. With one peer that never reads, 1,000 frames of 32 KiB leave the caller within a
 * second, the reading peer gets frames, and the frames the other cannot take are dropped.
 */
class BroadcastToANonReaderWireTest {

    private static final int FRAME_BYTES = 32 * 1024;
    private static final int FRAMES = 1_000;

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void aBroadcastLoopIsNotHeldUpByAPeerThatNeverReads() throws Exception {
        RawWebSocketClient neverReads = wire.connect();
        RawWebSocketClient reads = wire.connect();
        await("both peers are registered", () -> wire.server().connectionCount() == 2);
        byte[] frame = FrameEncoder.unmasked(true, Opcode.BINARY, new byte[FRAME_BYTES]);

        long start = System.nanoTime();
        for (int i = 0; i < FRAMES; i++) {
            wire.server().broadcast(frame, connection -> true);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "the loop took " + took);
        ServerFrame first = reads.readFrame();
        assertEquals(Opcode.BINARY.code(), first.opcode());
        assertEquals(FRAME_BYTES, first.payload().length);
        await("frames dropped for the peer that never reads", () -> wire.server().droppedMessages() > 0);
        assertTrue(neverReads.socket().isConnected());
    }
}
