package analytics.websocket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.RequestHead;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reference answer to lesson 04's exercise 4: a request head over RequestHead's limit
 * is answered 431 over a real socket, and one just under it is read in full.
 */
class OversizedHeadWireTest {

    @RegisterExtension
    final WireFixture wire = new WireFixture();

    private String headWithPad(int padBytes) throws IOException {
        RawWebSocketClient client = wire.open();
        client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(padBytes) + "\r\n\r\n");
        return client.readToEnd();
    }

    @Test
    void answers431ToARequestHeadOf9KiB() throws IOException {
        String response = headWithPad(9 * 1024);
        assertTrue(response.startsWith("HTTP/1.1 431 "), response);
    }

    /** The same request 1 KiB under the limit gets past the head and is answered as a plain GET. */
    @Test
    void readsAHeadJustUnderTheLimit() throws IOException {
        String response = headWithPad(RequestHead.MAX_HEAD_BYTES - 1024);
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
    }
}
