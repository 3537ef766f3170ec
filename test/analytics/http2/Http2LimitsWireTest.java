package analytics.http2;

import static analytics.http2.RawHttp2Client.CONTINUATION;
import static analytics.http2.RawHttp2Client.DATA;
import static analytics.http2.RawHttp2Client.ENHANCE_YOUR_CALM;
import static analytics.http2.RawHttp2Client.GOAWAY;
import static analytics.http2.RawHttp2Client.HEADERS;
import static analytics.http2.RawHttp2Client.NO_ERROR;
import static analytics.http2.RawHttp2Client.REFUSED_STREAM;
import static analytics.http2.RawHttp2Client.RST_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Untrusted input stays bounded: each flood or limit ends in the RFC's error - a refused
 * stream, a 431, a GOAWAY ENHANCE_YOUR_CALM - never a growing buffer or a stuck connection.
 * The server runs with small limits and short deadlines so the tests are quick.
 */
class Http2LimitsWireTest {

    private static final int MAX_STREAMS = 2;
    private static final int MAX_HEADER_LIST = 2048;
    private static final Duration HANDSHAKE = Duration.ofMillis(500);
    private static final Duration IDLE = Duration.ofMillis(700);

    private final Http2EchoHandler handler = new Http2EchoHandler();
    @AutoClose
    private final Http2Server server = Http2EchoHandler.serve(Http2Server.Limits.defaults()
            .withMaxConcurrentStreams(MAX_STREAMS).withMaxHeaderListBytes(MAX_HEADER_LIST)
            .withHandshakeTimeout(HANDSHAKE).withIdleTimeout(IDLE).withShutdownTimeout(Duration.ofSeconds(5)),
            handler);

    private RawHttp2Client connect() throws IOException {
        return RawHttp2Client.connect(server.port());
    }

    private static void assertGoAway(RawHttp2Client client, int errorCode) throws IOException {
        RawHttp2Client.RawFrame goAway = client.expectGoAway();
        assertEquals(errorCode, goAway.errorCode(), goAway.debugText());
    }

    @Test
    void refusesAStreamOverMaxConcurrentStreams() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/sleep/500", true);
            client.request(3, "GET", "/sleep/500", true);
            client.request(5, "GET", "/sleep/500", true);
            assertEquals(REFUSED_STREAM, client.readUntil(RST_STREAM, 5).errorCode());
            assertEquals(200, client.readResponse(1).status());
            assertEquals(200, client.readResponse(3).status());
            client.request(7, "GET", "/after", true);
            assertEquals("GET /after 0 h2", client.readResponse(7).text(), "room again once they ended");
        }
    }

    @Test
    void answers431ToAHeaderListOverTheLimitAndKeepsTheConnection() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/", true, "x-big", "y".repeat(MAX_HEADER_LIST));
            assertEquals(431, client.readResponse(1).status());
            client.request(3, "GET", "/next", true);
            assertEquals("GET /next 0 h2", client.readResponse(3).text());
            assertEquals(1, handler.handled.get(), "the handler never saw the oversized request");
        }
    }

    /**
     * The 431 goes out with END_STREAM and RST_STREAM NO_ERROR while the client's own
     * END_STREAM is on its way: whichever thread wins, the stream ends quietly and the
     * connection goes on. (The window is narrow; StreamStateTest pins the losing order.)
     */
    @Test
    void keepsTheConnectionWhenTheClientEndsAStreamWeJustAnswered431() throws IOException {
        try (RawHttp2Client client = connect()) {
            for (int streamId = 1; streamId < 200; streamId += 2) {
                client.request(streamId, "POST", "/", false, "x-big", "y".repeat(MAX_HEADER_LIST));
                client.data(streamId, true, new byte[0]);
                assertEquals(431, client.readResponse(streamId).status(), "stream " + streamId);
            }
            client.request(201, "GET", "/next", true);
            assertEquals("GET /next 0 h2", client.readResponse(201).text());
        }
    }

    @Test
    void endsAContinuationFloodWithGoAwayEnhanceYourCalm() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.writeFrame(HEADERS, 0, 1, RawHttp2Client.requestBlock("GET", "/"));
            byte[] fragment = new byte[1000];
            for (int i = 0; i < 2 * MAX_HEADER_LIST / fragment.length + 1; i++) {
                client.writeFrame(CONTINUATION, 0, 1, fragment);
            }
            assertGoAway(client, ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void endsAFloodOfEmptyContinuationFrames() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.writeFrame(HEADERS, 0, 1, RawHttp2Client.requestBlock("GET", "/"));
            for (int i = 0; i < Http2Connection.MAX_EMPTY_FRAMES_PER_WINDOW + 1; i++) {
                client.writeFrame(CONTINUATION, 0, 1, new byte[0]);
            }
            assertGoAway(client, ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void endsAFloodOfEmptyDataFrames() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/", false);
            for (int i = 0; i < Http2Connection.MAX_EMPTY_FRAMES_PER_WINDOW + 1; i++) {
                client.writeFrame(DATA, 0, 1, new byte[0]);
            }
            assertGoAway(client, ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void endsARapidResetAttackWithGoAwayEnhanceYourCalm() throws IOException, InterruptedException {
        try (RawHttp2Client client = connect()) {
            int streamId = 1;
            for (int i = 0; i <= Http2Connection.MIN_RESETS_PER_WINDOW; i++, streamId += 2) {
                client.request(streamId, "GET", "/sleep/2000", true);
                client.rstStream(streamId, 0x8); // CANCEL, right away
            }
            assertGoAway(client, ENHANCE_YOUR_CALM);
        }
        // A handler's virtual thread is started as its HEADERS is read, all before the GOAWAY,
        // but on a busy machine it may not have run a line yet: count once a handler has
        // finished its 2 s sleep - by then every thread started before the GOAWAY has run -
        // and every handler that ran has finished.
        Await.until("the handlers that ran finished", Duration.ofSeconds(10),
                () -> handler.handled.get() > 0 && handler.handled.get() == handler.started.get());
        assertEquals(MAX_STREAMS, handler.started.get(),
                "reset streams count while their handlers run, so only the first " + MAX_STREAMS + " ran");
    }

    /**
     * §6.8: the GOAWAY's last stream id is the highest the server might have acted on. The
     * reset that trips the limit here is the server's own refusal of a stream (REFUSED_STREAM
     * promises nothing was processed), so the GOAWAY must name the last stream taken, not it.
     */
    @Test
    void rapidResetGoAwayNamesTheLastStreamTakenNotTheOneBeingRefused() throws IOException {
        int lastTaken = 2 * MAX_STREAMS - 1; // streams 1 and 3 run their (sleeping) handlers
        try (RawHttp2Client client = connect()) {
            int streamId = 1;
            for (int i = 0; i <= Http2Connection.MIN_RESETS_PER_WINDOW; i++, streamId += 2) {
                client.request(streamId, "GET", "/sleep/2000", true);
                client.rstStream(streamId, 0x8);
            }
            RawHttp2Client.RawFrame goAway = client.expectGoAway();
            assertEquals(ENHANCE_YOUR_CALM, goAway.errorCode(), goAway.debugText());
            assertEquals(lastTaken, goAway.lastStreamId(), "streams above it were refused, never processed");
        }
    }

    @Test
    void dropsAnIdleConnectionWithGoAwayNoError() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/", true);
            client.readResponse(1);
            // Nothing more is sent: after IDLE the server says goodbye, politely.
            RawHttp2Client.RawFrame goAway = client.readUntil(GOAWAY, 0);
            assertEquals(NO_ERROR, goAway.errorCode());
            assertEquals(1, goAway.lastStreamId());
        }
    }

    @Test
    void keepsAConnectionWhoseHandlerRunsLongerThanTheIdleTimeout() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/sleep/" + IDLE.multipliedBy(2).toMillis(), true);
            assertEquals(200, client.readResponse(1).status());
        }
    }

    @Test
    void dropsAClientThatSendsHalfAPreface() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write(Arrays.copyOf(RawHttp2Client.PREFACE, 10));
            client.expectClosed(); // within the handshake timeout, not the test's 5 s
        }
    }

    @Test
    void dropsAClientThatLeavesAHeaderBlockUnfinished() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.writeFrame(HEADERS, 0, 1, RawHttp2Client.requestBlock("GET", "/"));
            assertGoAway(client, ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void dropsASlowHttp1RequestHead() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)); // never ends
            long start = System.nanoTime();
            try {
                while (socket.getInputStream().read() >= 0) {
                    // whatever the server says before it closes
                }
            } catch (IOException reset) {
                // closed with a reset: closed all the same
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "closed at the deadline");
        }
    }
}
