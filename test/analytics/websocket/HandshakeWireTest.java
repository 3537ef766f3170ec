package analytics.websocket;

import static analytics.websocket.WireFixture.DEADLINE_MS;
import static analytics.websocket.WireFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.websocket.RawWebSocketClient.ResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The opening handshake over a real socket (RFC 6455 §4), and the plain HTTP the same port
 * answers to a request without an upgrade.
 */
class HandshakeWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    @Test
    void handshakeAnswers101WithTheRfcAcceptKey() throws IOException {
        ResponseHead head = wire.open().handshake();
        assertEquals("HTTP/1.1 101 Switching Protocols", head.statusLine());
        assertEquals(RawWebSocketClient.RFC_ACCEPT, head.headers().get("sec-websocket-accept"));
        assertEquals("websocket", head.headers().get("upgrade").toLowerCase(Locale.ROOT));
    }

    @Test
    void readsAFrameSentInTheSamePacketAsTheHandshake() throws IOException {
        RawWebSocketClient client = wire.open();
        byte[] frame = RawWebSocketClient.frame(true, Opcode.TEXT.code(),
                "early".getBytes(StandardCharsets.UTF_8), RawWebSocketClient.MASK);
        client.sendRaw(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
                + new String(frame, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(101, client.readResponseHead().status());
        assertEquals("early", client.readFrame().text());
    }

    /**
     * What the handshake read past its head is handed to the connection: two whole frames
     * and the first half of a third, whose rest comes in a later packet.
     */
    @Test
    void continuesAFrameSplitBetweenTheHandshakePacketAndTheNext() throws IOException {
        RawWebSocketClient client = wire.open();
        byte[] third = RawWebSocketClient.frame(true, Opcode.TEXT.code(),
                "third".getBytes(StandardCharsets.UTF_8), RawWebSocketClient.MASK);
        int half = third.length / 2;
        client.sendRaw(("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
                + text(frameOf("first")) + text(frameOf("second"))
                + text(Arrays.copyOf(third, half))).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(101, client.readResponseHead().status());
        assertEquals("first", client.readFrame().text());
        assertEquals("second", client.readFrame().text());
        client.sendRaw(Arrays.copyOfRange(third, half, third.length));
        assertEquals("third", client.readFrame().text());
    }

    private static byte[] frameOf(String text) {
        return RawWebSocketClient.frame(true, Opcode.TEXT.code(), text.getBytes(StandardCharsets.UTF_8),
                RawWebSocketClient.MASK);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void answers426WithVersionForAnOldClient() throws IOException {
        RawWebSocketClient client = wire.open();
        client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n");
        ResponseHead head = client.readResponseHead();
        assertEquals(426, head.status());
        assertEquals("13", head.headers().get("sec-websocket-version"));
        assertTrue(client.awaitServerClosedTcp());
    }

    // --- plain HTTP on the same port -------------------------------------------------------

    private String plainRequest(String request) throws IOException {
        RawWebSocketClient client = wire.open();
        client.sendRaw(request);
        return client.readToEnd();
    }

    @Test
    void answersHealthzThroughItsHttpHandler() throws IOException {
        String response = plainRequest("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n{\"status\":\"ok\"}"), response);
    }

    @Test
    void answers426ToAPlainGetOfRoot() throws IOException {
        String response = plainRequest("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
        assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
    }

    @Test
    void answers404ToAnUnknownPath() throws IOException {
        String response = plainRequest("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
        assertTrue(response.endsWith("{\"error\":\"Not Found\"}"), response);
    }

    /**
     * A body the server never reads must not cost the client its answer: closing with unread
     * bytes sends a TCP reset, which can destroy the answer before it is read. The server
     * reads the body away first (RFC 9112 §9.6). Every plain answer is dated (RFC 9110 §6.6.1).
     */
    @Test
    void answersARequestWithAnUnreadBodyWithoutLosingTheAnswer() throws IOException {
        for (int round = 0; round < 20; round++) {
            String body = "x".repeat(200_000);
            String response = plainRequest("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), "round " + round + ": " + response);
            assertTrue(response.contains("\r\nDate: "), response);
        }
    }

    @Test
    void answers400ToAGarbageRequestLine() throws IOException {
        String response = plainRequest("HELLO\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
    }

    @Test
    void dropsAClientThatStallsInTheMiddleOfItsRequestHead() throws IOException {
        RawWebSocketClient client = wire.open();
        client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nUpgr");
        String response = client.readToEnd(); // bounded by the client's read timeout
        assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 408 "), response);
    }

    /** SO_TIMEOUT bounds one read; a byte every 100 ms must still not hold the socket forever. */
    @Test
    void dropsAClientThatTricklesItsRequestHeadPastTheTimeout() throws Exception {
        RawWebSocketClient client = wire.open();
        InputStream in = client.socket().getInputStream();
        client.socket().setSoTimeout(100);
        byte[] endless = "GET / HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        boolean dropped = false;
        for (int i = 0; !dropped && System.nanoTime() < deadline; i++) {
            try {
                client.sendRaw(new byte[] {i < endless.length ? endless[i] : (byte) 'a'});
                in.read(); // an answer or the end of the stream: either way, no longer waiting
                dropped = true;
            } catch (SocketTimeoutException stillWaiting) {
                // nothing within 100 ms: the server is still reading our head; send a byte more
            } catch (IOException reset) {
                dropped = true;
            }
        }
        assertTrue(dropped, "the server still waits for a head trickled over " + DEADLINE_MS + " ms");
    }

    @Test
    void answersAnUpgradeRefusedByTheOriginAllowList() throws Exception {
        WebSocketServer.Options o = options();
        wire.restart(o.withMessages(o.maxMessageBytes(), o.heartbeat(), List.of("http://allowed.example")),
                wire.handler, null);
        String response = plainRequest("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RawWebSocketClient.RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://evil.example\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
        assertThrows(IOException.class, () -> RawWebSocketClient.connect(wire.server().port()).close(),
                "no Origin at all is refused too");
    }
}
