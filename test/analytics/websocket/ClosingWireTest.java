package analytics.websocket;

import static analytics.websocket.WireFixture.DEADLINE_MS;
import static analytics.websocket.WireFixture.assertClosedWith;
import static analytics.websocket.WireFixture.await;
import static analytics.websocket.WireFixture.options;
import static analytics.websocket.WireFixture.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.websocket.RawWebSocketClient.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The closing handshake (RFC 6455 §7) from either side, and onClose exactly once. */
class ClosingWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void echoesTheCodeInTheCloseHandshake() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendClose(1000, "bye");
        assertClosedWith(1000, client);
        assertEquals("1000 bye", poll(wire.handler.closes));
    }

    @Test
    void answersACloseWithoutCodeWith1000() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[0]);
        assertClosedWith(1000, client);
        assertEquals("1005 ", poll(wire.handler.closes), "the handler learns there was no code");
    }

    /** A peer may half-close right after its close frame; it still gets the echo. */
    @Test
    void echoesTheCloseEvenWhenThePeerHalfClosesRightAfterIt() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendClose(4000, "done");
        client.socket().shutdownOutput();
        assertClosedWith(4000, client);
        assertEquals("4000 done", poll(wire.handler.closes));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 1004, 1005, 1006, 1015, 2999, 5000})
    void closesWith1002OnACloseCodeNotAllowedOnTheWire(int code) throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendClose(code, "");
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1002OnAOneByteClosePayload() throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03});
        assertClosedWith(1002, client);
    }

    @Test
    void closesWith1007OnACloseReasonThatIsNotUtf8() throws IOException {
        RawWebSocketClient client = wire.connect();
        client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF});
        assertClosedWith(1007, client);
    }

    @Test
    void callsOnCloseExactlyOnceWithThePeersCode() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendText("first");
        assertEquals("first", client.readFrame().text());
        client.sendClose(4001, "app says bye");
        assertClosedWith(4001, client);
        assertEquals("4001 app says bye", poll(wire.handler.closes));
        wire.server().close(); // terminates whatever is left: must not report the connection again
        assertEquals(1, wire.handler.closeCount.get());
        assertEquals(0, wire.server().connectionCount());
    }

    @Test
    void callsOnCloseWith1006WhenThePeerVanishes() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.close();
        assertEquals("1006 ", poll(wire.handler.closes));
        await("the connection is forgotten", () -> wire.server().connectionCount() == 0);
    }

    /** WebSocketHandler's promise: callbacks run on the reader thread, one at a time. */
    @Test
    void callsOnCloseOnTheReaderThreadAfterTheRunningCallbackReturns() throws Exception {
        RawWebSocketClient client = wire.connect();
        client.sendText("block");
        assertEquals("block", poll(wire.handler.texts));
        // The client answers no ping now, so the heartbeat terminates the connection
        // while onText is still running.
        await("the heartbeat terminates the silent peer", () -> wire.server().connectionCount() == 0);
        wire.handler.release.countDown();
        assertNotNull(poll(wire.handler.closes));
        assertFalse(wire.handler.overlapped.get(), "onClose ran while onText was still running");
        assertEquals(wire.handler.textThread, wire.handler.closeThread);
    }

    @Test
    void closesWith1011AndForgetsTheConnectionWhenOnOpenFails() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        WebSocketHandler failing = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketConnection connection) {
                throw new IllegalStateException("a bug in the application");
            }

            @Override
            public void onText(WebSocketConnection connection, String text) {
            }

            @Override
            public void onClose(WebSocketConnection connection, int code, String reason) {
                closes.incrementAndGet();
            }
        };
        wire.restart(options(), failing, null);
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            RawWebSocketClient client = wire.connect();
            assertClosedWith(1011, client);
            await("the connection is forgotten", () -> wire.server().connectionCount() == 0);
            await("onClose is called", () -> closes.get() == 1);
        } finally {
            Log.redirect(previous);
        }
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("a bug in the application"),
                "the bug is logged: " + logged);
    }

    @Test
    void sendsGoingAwayToEveryPeerOnShutdown() throws Exception {
        List<RawWebSocketClient> peers = List.of(wire.connect(), wire.connect(), wire.connect());
        await("three connections", () -> wire.server().connectionCount() == 3);
        Thread closing = Thread.ofVirtual().start(wire.server()::close);
        for (RawWebSocketClient peer : peers) {
            ServerFrame frame = peer.readFrame();
            assertEquals(Opcode.CLOSE.code(), frame.opcode());
            assertEquals(1001, frame.closeCode());
            peer.sendClose(1001, "");
            assertTrue(peer.awaitServerClosedTcp());
        }
        assertTrue(closing.join(Duration.ofMillis(DEADLINE_MS)), "close() returns");
        assertEquals(0, wire.server().connectionCount());
    }
}
