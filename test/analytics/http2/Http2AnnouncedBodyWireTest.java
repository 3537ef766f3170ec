package analytics.http2;

import static analytics.http2.RawHttp2Client.PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.UsedHeap;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Memory follows bytes received, not bytes announced: clients open every stream they may,
 * each a POST announcing a content-length of the whole body limit, and send three bytes of
 * DATA. The server's heap grows by what came, not by the 256 KiB each stream announced -
 * before the fix 20 such connections held 500 MiB.
 */
class Http2AnnouncedBodyWireTest {

    private static final int CONNECTIONS = 20;
    private static final int STREAMS = 100;
    private static final int ANNOUNCED = Http2Server.Limits.defaults().maxBodyBytes();
    private static final byte[] SENT = {'{', '"', 'a'};
    /** Well below CONNECTIONS x STREAMS x ANNOUNCED (500 MiB); measured: 7 MiB. */
    private static final long MAX_GROWTH = 40L * 1024 * 1024;
    /** A client that announces nothing unusual is answered this fast meanwhile. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final Http2EchoHandler handler = new Http2EchoHandler();
    @AutoClose
    private final Http2Server server = Http2EchoHandler.serve(
            Http2Server.Limits.defaults().withMaxConcurrentStreams(STREAMS), handler);
    private final List<RawHttp2Client> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws IOException {
        for (RawHttp2Client client : clients) {
            client.close();
        }
    }

    private RawHttp2Client connect() throws IOException {
        RawHttp2Client client = RawHttp2Client.connect(server.port());
        clients.add(client);
        return client;
    }

    @Test
    void heapFollowsDataReceivedNotContentLengthsAnnounced() throws Exception {
        assertEquals("GET /warm-up 0 h2", get(connect(), "/warm-up"));
        long before = UsedHeap.afterGc();

        for (int c = 0; c < CONNECTIONS; c++) {
            RawHttp2Client client = connect();
            for (int streamId = 1; streamId < 2 * STREAMS; streamId += 2) {
                client.request(streamId, "POST", "/announced", false,
                        "content-length", Integer.toString(ANNOUNCED));
                client.data(streamId, false, SENT);
            }
            // The reader handles frames in order: its PING ACK says every frame before it was read.
            client.ping(c);
            client.readUntil(PING, 0);
        }
        long started = System.nanoTime();
        String answer = get(connect(), "/still-served");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long growth = UsedHeap.afterGc() - before;

        assertEquals("GET /still-served 0 h2", answer);
        assertTrue(took.compareTo(PROMPTLY) < 0, "a normal client waited " + took.toMillis() + " ms");
        assertTrue(growth < MAX_GROWTH, CONNECTIONS * STREAMS + " streams announcing " + ANNOUNCED
                + " bytes each grew the heap by " + UsedHeap.mib(growth) + "; the bound is "
                + UsedHeap.mib(MAX_GROWTH));
        assertEquals(2, handler.handled.get(), "only the two GETs reached the handler; the bodies wait");
    }

    /** A body as long as it announced, sent in DATA frames, arrives whole as the buffer grows. */
    @Test
    void keepsAnAnnouncedBodyThatDoesArriveInFull() throws Exception {
        RawHttp2Client client = connect();
        byte[] body = new byte[ANNOUNCED];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        client.request(1, "POST", "/full", false, "content-length", Integer.toString(ANNOUNCED));
        client.sendBody(1, body);
        assertEquals("POST /full " + ANNOUNCED + " h2", client.readResponse(1).text());
    }

    private static String get(RawHttp2Client client, String path) throws IOException {
        client.request(1, "GET", path, true);
        return client.readResponse(1).text();
    }
}
