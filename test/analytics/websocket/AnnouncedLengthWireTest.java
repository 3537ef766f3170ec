package analytics.websocket;

import static analytics.websocket.WireFixture.DEADLINE_MS;
import static analytics.websocket.WireFixture.poll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.UsedHeap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Memory follows bytes received, not bytes announced: many clients each announce a
 * megabyte frame and send three bytes of it, and the server's heap grows by kilobytes per
 * client, not by the megabytes announced. Before the fix 200 such clients held 210 MiB.
 */
class AnnouncedLengthWireTest {

    private static final int CONNECTIONS = 200;
    private static final int ANNOUNCED = 1_000_000;
    private static final int SENT = 3;
    /** Well below CONNECTIONS x ANNOUNCED (190 MiB); a connection itself costs ~100 KiB (21 MiB). */
    private static final long MAX_GROWTH = 40L * 1024 * 1024;
    /** A client that announces nothing unusual is answered this fast meanwhile. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void heapFollowsBytesReceivedNotFrameLengthsAnnounced() throws Exception {
        // A megabyte is allowed, and no heartbeat cuts the silent clients during the test.
        wire.restart(WireFixture.options().withMessages(ANNOUNCED, Duration.ofMinutes(1), List.of()),
                wire.handler, null);
        byte[] payload = new byte[ANNOUNCED];
        new Random(ANNOUNCED).nextBytes(payload);
        byte[] frame = RawWebSocketClient.frame(true, Opcode.BINARY.code(), payload, RawWebSocketClient.MASK);
        int header = frame.length - ANNOUNCED; // 2, the 64-bit length, the masking key
        echoes(wire.connect(), "warm-up"); // the server's classes and first buffers, outside the figure
        long before = UsedHeap.afterGc();

        List<RawWebSocketClient> announcers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            RawWebSocketClient client = wire.connect();
            client.sendRaw(Arrays.copyOfRange(frame, 0, header + SENT));
            announcers.add(client);
        }
        WireFixture.await("every announcer connected", () -> wire.server().connectionCount() == CONNECTIONS + 1);
        long started = System.nanoTime();
        echoes(wire.connect(), "still served");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long growth = UsedHeap.afterGc() - before;

        assertTrue(took.compareTo(PROMPTLY) < 0, "a normal client waited " + took.toMillis() + " ms");
        assertTrue(growth < MAX_GROWTH, CONNECTIONS + " connections announcing " + ANNOUNCED
                + " bytes each grew the heap by " + UsedHeap.mib(growth) + "; the bound is "
                + UsedHeap.mib(MAX_GROWTH));
        // And an announced frame that does arrive in full is still delivered, byte for byte.
        announcers.get(0).sendRaw(Arrays.copyOfRange(frame, header + SENT, frame.length));
        assertArrayEquals(payload, wire.handler.binaries.poll(DEADLINE_MS, TimeUnit.MILLISECONDS));
    }

    private void echoes(RawWebSocketClient client, String text) throws Exception {
        client.sendText(text);
        assertEquals(text, client.readFrame().text());
        assertEquals(text, poll(wire.handler.texts));
    }
}
