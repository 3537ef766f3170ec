package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import java.net.http.WebSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** java.net.http.WebSocket, an independent RFC 6455 client, against the echo server. */
class JdkClientInteropTest {

    private WebSocketServer server;
    private JdkWebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        WebSocketServer.Options options = WebSocketServer.Options.DEFAULTS
                .withHandshakeTimeout(Duration.ofSeconds(2)).withCloseTimeout(Duration.ofSeconds(1));
        server = new WebSocketServer("jdk-interop", options, new EchoHandler(), null).start();
        client = connect();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private JdkWebSocketClient connect() {
        return JdkWebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/");
    }

    @Test
    void echoesText() {
        client.send("héllo, wörld");
        assertEquals("héllo, wörld", client.nextText());
    }

    /**
     * A client whose handshake has completed is a recipient: a broadcast sent the moment
     * after reaches it. Repeated, since the window it guards is microseconds wide.
     */
    @Test
    void aBroadcastRightAfterTheHandshakeReachesTheNewClient() {
        for (int i = 0; i < 200; i++) {
            try (JdkWebSocketClient fresh = connect()) {
                server.broadcast(FrameEncoder.text("welcome " + i), connection -> true);
                assertEquals("welcome " + i, fresh.nextText(), "client " + i);
            }
        }
    }

    /** Over 65,535 bytes: the 64-bit extended length, both directions. */
    @Test
    void echoesA70000ByteText() {
        String big = "0123456789".repeat(7_000);
        client.send(big);
        assertEquals(big, client.nextText());
    }

    @Test
    void echoesAFragmentedText() {
        client.sendFragment("frag", false);
        client.sendFragment("mented", true);
        assertEquals("fragmented", client.nextText());
    }

    @Test
    void echoesBinary() {
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        client.sendBinary(data);
        assertArrayEquals(data, client.nextBinary());
    }

    @Test
    void answersPingWithPong() {
        client.ping("jdk");
        assertEquals("jdk", client.nextPong());
    }

    @Test
    void closesWith1000AndAReason() {
        client.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        assertEquals(new JdkWebSocketClient.Close(1000, ""), client.awaitClose(), "the server echoes the code");
    }

    @Test
    void followsAClosingHandshakeTheServerStarts() throws InterruptedException {
        client.send("close:1000:server says bye");
        assertEquals(new JdkWebSocketClient.Close(1000, "server says bye"), client.awaitClose());
        // The JDK answers the close; then the server closes TCP and forgets the connection.
        Await.until("the server forgets the connection", Duration.ofSeconds(5),
                () -> server.connectionCount() == 0);
    }
}
