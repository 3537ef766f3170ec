package analytics.http2;

import static analytics.http2.RawHttp2Client.CONTINUATION;
import static analytics.http2.RawHttp2Client.DATA;
import static analytics.http2.RawHttp2Client.END_HEADERS;
import static analytics.http2.RawHttp2Client.END_STREAM;
import static analytics.http2.RawHttp2Client.FLOW_CONTROL_ERROR;
import static analytics.http2.RawHttp2Client.FRAME_SIZE_ERROR;
import static analytics.http2.RawHttp2Client.HEADERS;
import static analytics.http2.RawHttp2Client.NO_ERROR;
import static analytics.http2.RawHttp2Client.PADDED;
import static analytics.http2.RawHttp2Client.PING;
import static analytics.http2.RawHttp2Client.PRIORITY;
import static analytics.http2.RawHttp2Client.PROTOCOL_ERROR;
import static analytics.http2.RawHttp2Client.PUSH_PROMISE;
import static analytics.http2.RawHttp2Client.RST_STREAM;
import static analytics.http2.RawHttp2Client.SETTINGS;
import static analytics.http2.RawHttp2Client.STREAM_CLOSED;
import static analytics.http2.RawHttp2Client.WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.HttpDate;
import analytics.log.Log;
import analytics.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The connection's rules, byte by byte over a real socket: what RFC 9113 says to answer. */
class Http2WireTest {

    @AutoClose
    private final Http2Server server = Http2EchoHandler.serve();

    private RawHttp2Client connect() throws IOException {
        return RawHttp2Client.connect(server.port());
    }

    /** A request on stream 1 answered: the connection is alive and well. */
    private static void assertAlive(RawHttp2Client client, int streamId) throws IOException {
        client.request(streamId, "GET", "/alive", true);
        assertEquals("GET /alive 0 h2", client.readResponse(streamId).text());
    }

    private static void assertGoAway(RawHttp2Client client, int errorCode, int lastStreamId) throws IOException {
        RawHttp2Client.RawFrame goAway = client.expectGoAway();
        assertEquals(errorCode, goAway.errorCode(), goAway.debugText());
        assertEquals(lastStreamId, goAway.lastStreamId(), goAway.debugText());
    }

    private static void assertReset(RawHttp2Client client, int streamId, int errorCode) throws IOException {
        RawHttp2Client.RawFrame reset = client.readUntil(RST_STREAM, streamId);
        assertEquals(errorCode, reset.errorCode());
    }

    // --- the preface and SETTINGS -------------------------------------------------------------

    @Test
    void answersAGetOverPriorKnowledge() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/some/path?query=dropped", true);
            RawHttp2Client.Response response = client.readResponse(1);
            assertEquals(200, response.status());
            assertEquals("GET /some/path 0 h2", response.text());
            assertEquals("text/plain", response.headers().get("content-type"));
            assertEquals(String.valueOf(response.body().length), response.headers().get("content-length"));
        }
    }

    /** RFC 9110 §6.6.1: an origin server with a clock sends Date, as an IMF-fixdate. */
    @Test
    void datesEveryResponseWithTheCurrentSecond() throws IOException {
        try (RawHttp2Client client = connect()) {
            for (int streamId = 1; streamId <= 3; streamId += 2) {
                client.request(streamId, "GET", "/dated", true);
                String date = client.readResponse(streamId).headers().get("date");
                assertTrue(date != null, "no date field on stream " + streamId);
                Instant sent = HttpDate.IMF_FIXDATE.parse(date, Instant::from);
                assertTrue(Duration.between(sent, Instant.now()).abs().toSeconds() <= 2, date);
            }
        }
    }

    @Test
    void sendsItsSettingsFirstAndAcknowledgesOurs() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write(RawHttp2Client.PREFACE);
            RawHttp2Client.RawFrame first = client.readFrame();
            assertEquals(SETTINGS, first.type(), "the server preface is a SETTINGS frame");
            assertEquals(100L, first.settings().get(0x3), "SETTINGS_MAX_CONCURRENT_STREAMS");
            assertEquals(16_384L, first.settings().get(0x6), "SETTINGS_MAX_HEADER_LIST_SIZE");
            client.settings(0x4, 1000);
            RawHttp2Client.RawFrame ack = client.readUntil(SETTINGS, 0);
            assertTrue(ack.has(RawHttp2Client.ACK));
            assertEquals(0, ack.payload().length);
        }
    }

    /**
     * RFC 7541 §4.2: a table size lowered then raised between two blocks is announced as
     * the smallest size, then the final one - the peer must see its table emptied.
     */
    @Test
    void announcesATableSizeLoweredThenRaisedAsTheSmallestThenTheFinalSize() throws IOException {
        try (RawHttp2Client client = connect()) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(RawHttp2Client.frame(SETTINGS, 0, 0, new byte[] {0, 1, 0, 0, 0, 0}));
            burst.writeBytes(RawHttp2Client.frame(SETTINGS, 0, 0, new byte[] {0, 1, 0, 0, 0x10, 0}));
            burst.writeBytes(RawHttp2Client.frame(HEADERS, END_HEADERS | END_STREAM, 1,
                    RawHttp2Client.requestBlock("GET", "/sizes")));
            client.write(burst.toByteArray()); // one write: both SETTINGS land before the answer
            byte[] block = client.readUntil(HEADERS, 1).payload();
            // §6.3: 001 + size, 5-bit prefix. 0 is 0x20; 4096 is 0x3f then 4065 in 7-bit groups.
            assertEquals("[32, 63, -31, 31]", Arrays.toString(Arrays.copyOf(block, 4)));
        }
    }

    /** A header HPACK cannot carry loses its own stream, not the connection's writer. */
    @Test
    void resetsAStreamWhoseResponseHeadersCannotBeEncodedAndGoesOn() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/euro", true);
            assertReset(client, 1, RawHttp2Client.INTERNAL_ERROR);
            assertAlive(client, 3);
        } finally {
            Log.redirect(previous);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("response headers cannot be encoded"));
    }

    @Test
    void refusesABrokenPrefaceWithGoAwayProtocolError() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void refusesBinaryBytesWhereAPrefaceBelongs() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.writeFrame(SETTINGS, 0, 0, new byte[0]);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void requiresSettingsRightAfterThePreface() throws IOException {
        try (RawHttp2Client client = RawHttp2Client.open(server.port())) {
            client.write(RawHttp2Client.PREFACE);
            client.ping(1);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @ParameterizedTest(name = "setting {0} = {1}")
    @CsvSource({
        "2, 2, 1",                  // ENABLE_PUSH not 0 or 1 -> PROTOCOL_ERROR
        "4, 2147483648, 3",         // INITIAL_WINDOW_SIZE over 2^31-1 -> FLOW_CONTROL_ERROR
        "5, 16383, 1",              // MAX_FRAME_SIZE below 2^14 -> PROTOCOL_ERROR
        "5, 16777216, 1",           // MAX_FRAME_SIZE above 2^24-1 -> PROTOCOL_ERROR
    })
    void refusesASettingOutOfRange(int id, long value, int errorCode) throws IOException {
        try (RawHttp2Client client = connect()) {
            client.settings(id, value);
            assertGoAway(client, errorCode, 0);
        }
    }

    @Test
    void ignoresAnUnknownSetting() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.settings(0x99, 7);
            assertAlive(client, 1);
        }
    }

    @Test
    void answersPingWithAnAckCarryingTheSamePayload() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.ping(0x0123456789abcdefL);
            RawHttp2Client.RawFrame ack = client.readUntil(PING, 0);
            assertTrue(ack.has(RawHttp2Client.ACK));
            assertEquals(0x0123456789abcdefL, ByteBuffer.wrap(ack.payload()).getLong());
        }
    }

    // --- frames out of place ---------------------------------------------------------------

    @Test
    void refusesAFrameOverMaxFrameSize() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/big", false);
            client.data(1, true, new byte[16_385]);
            assertGoAway(client, FRAME_SIZE_ERROR, 1);
        }
    }

    @Test
    void refusesAnotherFrameInsideAHeaderBlock() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            byte[] block = RawHttp2Client.requestBlock("GET", "/");
            client.writeFrame(HEADERS, END_STREAM, 3, block); // no END_HEADERS: CONTINUATION must follow
            client.ping(7);
            assertGoAway(client, PROTOCOL_ERROR, 1);
        }
    }

    @Test
    void refusesAContinuationOnAnotherStream() throws IOException {
        try (RawHttp2Client client = connect()) {
            byte[] block = RawHttp2Client.requestBlock("GET", "/");
            client.writeFrame(HEADERS, END_STREAM, 1, Arrays.copyOf(block, 5));
            client.writeFrame(CONTINUATION, END_HEADERS, 3, new byte[0]);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void refusesAContinuationWithoutAHeaderBlock() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            client.writeFrame(CONTINUATION, END_HEADERS, 1, new byte[0]);
            assertGoAway(client, PROTOCOL_ERROR, 1);
        }
    }

    @Test
    void assemblesAHeaderBlockFromHeadersAndContinuations() throws IOException {
        try (RawHttp2Client client = connect()) {
            byte[] block = RawHttp2Client.requestBlock("GET", "/pieces");
            client.writeFrame(HEADERS, END_STREAM, 1, Arrays.copyOfRange(block, 0, 3));
            client.writeFrame(CONTINUATION, 0, 1, Arrays.copyOfRange(block, 3, 10));
            client.writeFrame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, 10, block.length));
            assertEquals("GET /pieces 0 h2", client.readResponse(1).text());
        }
    }

    @Test
    void refusesAPushPromiseFromAClient() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.writeFrame(PUSH_PROMISE, END_HEADERS, 1, new byte[] {0, 0, 0, 2});
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void ignoresPriorityAndUnknownFrames() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.writeFrame(PRIORITY, 0, 1, new byte[] {0, 0, 0, 0, 15});
            client.writeFrame(0xfa, 0xff, 0, new byte[] {1, 2, 3});
            assertAlive(client, 1);
        }
    }

    @Test
    void refusesAHeaderBlockHpackCannotDecode() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.headers(1, true, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
            assertGoAway(client, RawHttp2Client.COMPRESSION_ERROR, 0);
        }
    }

    // --- stream identifiers and states ----------------------------------------------------

    @Test
    void refusesAnEvenStreamId() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(2, "GET", "/", true);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void refusesAStreamIdGoingBackwards() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 5);
            client.request(3, "GET", "/", true);
            assertGoAway(client, PROTOCOL_ERROR, 5);
        }
    }

    @Test
    void answersDataOnAClosedStreamWithStreamClosed() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            client.data(1, false, new byte[] {1});
            assertReset(client, 1, STREAM_CLOSED);
            assertAlive(client, 3);
        }
    }

    @Test
    void answersDataOnAHalfClosedStreamWithStreamClosed() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/sleep/300", true);
            client.data(1, true, new byte[] {1});
            assertReset(client, 1, STREAM_CLOSED);
            assertAlive(client, 3);
        }
    }

    @Test
    void answersHeadersOnAHalfClosedStreamWithStreamClosed() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/sleep/300", true);
            client.headers(1, true, RawHttp2Client.block("x-trailer", "late"));
            assertReset(client, 1, STREAM_CLOSED);
            assertAlive(client, 3);
        }
    }

    @Test
    void refusesDataOnAnIdleStream() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.data(1, true, new byte[] {1});
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void acceptsTrailers() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/trailers", false);
            client.data(1, false, "body".getBytes(StandardCharsets.US_ASCII));
            client.headers(1, true, RawHttp2Client.block("x-checksum", "abc"));
            assertEquals("POST /trailers 4 h2", client.readResponse(1).text());
        }
    }

    @Test
    void acceptsPaddedData() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/padded", false);
            client.writeFrame(DATA, PADDED | END_STREAM, 1, new byte[] {3, 'a', 'b', 0, 0, 0});
            assertEquals("POST /padded 2 h2", client.readResponse(1).text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"upper-case name", "connection field", "te gzip", "no :path", "pseudo after regular",
        "unknown pseudo", "response pseudo", ":method twice", "bad content-length"})
    void resetsAMalformedRequestAndKeepsTheConnection(String what) throws IOException {
        byte[] block = switch (what) {
            case "upper-case name" -> RawHttp2Client.requestBlock("GET", "/", "X-Upper", "1");
            case "connection field" -> RawHttp2Client.requestBlock("GET", "/", "connection", "keep-alive");
            case "te gzip" -> RawHttp2Client.requestBlock("GET", "/", "te", "gzip");
            case "no :path" -> RawHttp2Client.block(":method", "GET", ":scheme", "http");
            case "pseudo after regular" -> RawHttp2Client.block(":method", "GET", ":scheme", "http",
                    "accept", "*/*", ":path", "/");
            case "unknown pseudo" -> RawHttp2Client.requestBlock("GET", "/", ":protocol", "websocket");
            case "response pseudo" -> RawHttp2Client.block(":status", "200", ":method", "GET", ":scheme", "http",
                    ":path", "/");
            case ":method twice" -> RawHttp2Client.block(":method", "GET", ":method", "PUT", ":scheme", "http",
                    ":path", "/");
            case "bad content-length" -> RawHttp2Client.requestBlock("GET", "/", "content-length", "12a");
            default -> throw new IllegalArgumentException(what);
        };
        try (RawHttp2Client client = connect()) {
            client.headers(1, true, block);
            assertReset(client, 1, PROTOCOL_ERROR);
            assertAlive(client, 3);
        }
    }

    @Test
    void acceptsTeTrailers() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/te", true, "te", "trailers");
            assertEquals(200, client.readResponse(1).status());
        }
    }

    @Test
    void resetsARequestWhoseBodyDisagreesWithItsContentLength() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/short", false, "content-length", "10");
            client.data(1, true, new byte[4]);
            assertReset(client, 1, PROTOCOL_ERROR);
            client.request(3, "POST", "/long", false, "content-length", "2");
            client.data(3, true, new byte[4]);
            assertReset(client, 3, PROTOCOL_ERROR);
            assertAlive(client, 5);
        }
    }

    @Test
    void answersHeadWithTheLengthButNoBody() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "HEAD", "/bytes/1000", true);
            RawHttp2Client.Response response = client.readResponse(1);
            assertEquals(200, response.status());
            assertEquals("1000", response.headers().get("content-length"));
            assertEquals(0, response.body().length);
        }
    }

    @Test
    void answersAHandlerBugWith500AndLogsIt() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (RawHttp2Client client = connect()) {
            client.request(1, "GET", "/bug", true);
            assertEquals(500, client.readResponse(1).status());
            assertAlive(client, 3);
        } finally {
            Log.redirect(previous);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("a bug in the handler"), log.toString());
    }

    // --- flow control ------------------------------------------------------------------------

    @Test
    void refusesAConnectionWindowOverflow() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            client.windowUpdate(0, Integer.MAX_VALUE); // 65,535 + 2^31-1 > 2^31-1
            assertGoAway(client, FLOW_CONTROL_ERROR, 1);
        }
    }

    @Test
    void resetsAStreamWhoseWindowOverflows() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/open", false);
            client.windowUpdate(1, Integer.MAX_VALUE);
            assertReset(client, 1, FLOW_CONTROL_ERROR);
            assertAlive(client, 3);
        }
    }

    @Test
    void refusesAWindowUpdateOfZero() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.windowUpdate(0, 0);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void refusesDataBeyondTheWindowOfAStreamItNoLongerReads() throws IOException {
        try (RawHttp2Client client = connect()) {
            // Too large from its content-length: the server stops topping up the stream's window.
            client.request(1, "POST", "/sleep/2000", false, "content-length", "1000000");
            for (int i = 0; i < 4; i++) {
                client.data(1, false, new byte[16_384]); // 65,536 bytes: one over the window
            }
            assertReset(client, 1, FLOW_CONTROL_ERROR);
            assertAlive(client, 3);
        }
    }

    @Test
    void waitsForTheClientsWindowBeforeSendingMore() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.settings(0x4, 100); // INITIAL_WINDOW_SIZE: 100 bytes per stream
            client.request(1, "GET", "/bytes/300", true);
            RawHttp2Client.RawFrame first = client.readUntil(DATA, 1);
            assertEquals(100, first.payload().length);
            // Lowering the initial window now takes the open stream below zero (§6.9.2) ...
            client.settings(0x4, 40);
            client.windowUpdate(1, 80); // ... so this leaves room for 20 bytes, not 80.
            RawHttp2Client.RawFrame second = client.readUntil(DATA, 1);
            assertEquals(20, second.payload().length);
            client.windowUpdate(1, 1000);
            RawHttp2Client.RawFrame third = client.readUntil(DATA, 1);
            assertEquals(180, third.payload().length);
            assertTrue(third.has(END_STREAM));
        }
    }

    @Test
    void splitsALargeBodyIntoFramesOfThePeersMaxFrameSize() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.settings(0x4, 1 << 20);
            client.windowUpdate(0, 1 << 20);
            client.request(1, "GET", "/bytes/40000", true);
            RawHttp2Client.Response response = client.readResponse(1);
            assertEquals(40_000, response.body().length);
            for (RawHttp2Client.RawFrame frame : response.dataFrames()) {
                assertTrue(frame.payload().length <= 16_384, "frame of " + frame.payload().length);
            }
        }
    }

    @Test
    void acceptsABodyOfExactlyTheLimitUnderFlowControl() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/upload", false);
            client.sendBody(1, new byte[256 * 1024]);
            assertEquals("POST /upload 262144 h2", client.readResponse(1).text());
        }
    }

    @Test
    void answers413ToABodyOneByteOverTheLimitAndKeepsTheConnection() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/upload", false);
            client.sendBody(1, new byte[256 * 1024 + 1]);
            RawHttp2Client.Response response = client.readResponse(1);
            assertEquals(413, response.status());
            assertAlive(client, 3);
        }
    }

    @Test
    void answers413AtOnceToAContentLengthOverTheLimit() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.request(1, "POST", "/upload", false, "content-length", "1000000");
            assertEquals(413, client.readResponse(1).status());
            assertReset(client, 1, NO_ERROR); // §8.1: "stop sending, I have my answer"
            assertAlive(client, 3);
        }
    }

    @Test
    void cutsOffAPeerThatSendsPingsButNeverReads() throws Exception {
        byte[] ping = RawHttp2Client.frame(PING, 0, 0, new byte[8]);
        byte[] burst = new byte[ping.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
        }
        try (RawHttp2Client client = connect()) {
            // Each PING asks for an ACK that cannot leave: the socket buffers fill, the ACKs
            // queue up to their bound, and the server cuts the connection (CVE-2019-9512).
            try {
                for (int i = 0; i < 6000 && server.connectionCount() > 0; i++) { // at most 100 MB
                    client.write(burst);
                }
            } catch (IOException cut) {
                // the server closed the connection under our writes
            }
            // Still open on our side: only the server can have ended it. The idle timeout is a
            // minute, so only the flood rule can have done so this soon.
            Await.until("the server cuts the connection", Duration.ofSeconds(5),
                    () -> server.connectionCount() == 0);
        }
    }

    // --- goaway ---------------------------------------------------------------------------

    @Test
    void idsTheLastStreamItTookInGoAway() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            assertAlive(client, 7);
            client.writeFrame(SETTINGS, 0, 1, new byte[0]); // SETTINGS on a stream
            assertGoAway(client, PROTOCOL_ERROR, 7);
        }
    }

    @Test
    void servesManyStreamsOnOneConnectionAtOnce() throws IOException {
        try (RawHttp2Client client = connect()) {
            for (int id = 1; id <= 19; id += 2) {
                client.request(id, "GET", "/sleep/100", true);
            }
            Map<Integer, String> answers = new TreeMap<>();
            for (int id = 1; id <= 19; id += 2) {
                answers.put(id, client.readResponse(id).text());
            }
            assertEquals(10, answers.size());
            assertFalse(answers.containsValue(null));
        }
    }

    @Test
    void rejectsWindowUpdateOnAnIdleStream() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.windowUpdate(9, 10);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void rejectsRstStreamOnAnIdleStream() throws IOException {
        try (RawHttp2Client client = connect()) {
            client.rstStream(1, 8);
            assertGoAway(client, PROTOCOL_ERROR, 0);
        }
    }

    @Test
    void keepsGoingAfterAWindowUpdateForAClosedStream() throws IOException {
        try (RawHttp2Client client = connect()) {
            assertAlive(client, 1);
            client.windowUpdate(1, 10);
            client.writeFrame(WINDOW_UPDATE, 0, 0, new byte[] {0, 0, 0, 1});
            assertAlive(client, 3);
        }
    }
}
