package analytics.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Fuzzer;
import analytics.websocket.Handshake;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged request heads against RequestHead, the parser of the WebSocket ports:
 * each head is read or refused with BadRequestException and a 400 or 431, and a head that
 * was read goes through the WebSocket handshake's checks without an exception.
 */
class RequestHeadFuzzTest {

    private static final List<String> SEEDS = List.of(
            // RFC 6455 §1.2, the client's opening handshake.
            "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n",
            "POST /metrics HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 12\r\n\r\n{\"cpu\": 1}\r\n",
            "POST /metrics HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n",
            "\r\n\nGET /?a=b HTTP/1.0\nAccept: */*\nAccept: text/plain\nX-Empty:\n\n",
            "HEAD / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n");

    private static final List<String> TOKENS = List.of(
            "\r\n", "\n", "\r", " ", "\t", ":", ": ", "HTTP/1.1", "HTTP/9.9", "\r\n\r\n",
            "Host: x\r\n", "Transfer-Encoding: chunked\r\n", "Content-Length: -1\r\n",
            "Upgrade: websocket\r\n", "Sec-WebSocket-Version: 13\r\n", "?", "%00", "\u0000",
            "\u007f", "\u00ff", ",", "a".repeat(200));

    @Test
    void readsOrRefusesEveryHeadWithAStatus() throws Exception {
        List<byte[]> seeds = SEEDS.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
        List<byte[]> tokens = TOKENS.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
        Fuzzer.Outcome outcome = Fuzzer.named("HTTP/1.1 request heads")
                .seeds(seeds).tokens(tokens)
                .rejectsWith(RequestHead.BadRequestException.class)
                // One line buffer of MAX_HEAD_BYTES per head read (whatever its size), then
                // strings and maps in proportion to the bytes.
                .allocationAtMost(input ->
                        RequestHead.MAX_HEAD_BYTES + 64 * 1024 + 256L * input.length)
                .run(Fuzzer.iterations(5_000), RequestHeadFuzzTest::readAndCheck);
        assertTrue(outcome.accepted() >= seeds.size(), "every seed is read: " + outcome);
        assertTrue(outcome.rejected() > 0, "some heads are refused: " + outcome);
    }

    private static void readAndCheck(byte[] input) throws Exception {
        RequestHead head;
        try {
            head = RequestHead.read(new ByteArrayInputStream(input));
        } catch (RequestHead.BadRequestException e) {
            assertTrue(e.status() == 400 || e.status() == 431, "status " + e.status());
            throw e;
        }
        if (head == null) {
            assertTrue(input.length == 0, "null only when nothing was sent");
            return;
        }
        head.path();
        head.headerHasToken("Connection", "upgrade");
        assertNotNull(head.toRequest(Protocol.HTTP_1_1, new byte[0]));
        if (Handshake.isUpgradeRequest(head)) {
            assertNotNull(Handshake.evaluate(head, List.of("http://example.com")));
        }
    }
}
