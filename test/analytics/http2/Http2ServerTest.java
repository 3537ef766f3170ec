package analytics.http2;

import static analytics.http2.RawHttp2Client.GOAWAY;
import static analytics.http2.RawHttp2Client.NO_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.CapturedLog;
import com.eclipsesource.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The server's life: graceful shutdown with streams in flight, a taken port, the frame log. */
class Http2ServerTest {

    private final Http2EchoHandler handler = new Http2EchoHandler();

    private static Http2Server.Limits limits() {
        return Http2Server.Limits.defaults().withShutdownTimeout(Duration.ofSeconds(5));
    }

    @Test
    void shutdownSendsGoAwayAndLetsAStreamInFlightFinish() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        Http2Server server = Http2Server.start("127.0.0.1", 0, limits(), handler);
        try (RawHttp2Client client = RawHttp2Client.connect(server.port())) {
            client.request(1, "GET", "/sleep/200", true);
            client.request(3, "GET", "/sleep/600", true);
            Await.until("both requests reached the handler", Duration.ofSeconds(5), () -> handler.started.get() == 2);
            Thread closing = Thread.ofVirtual().start(server::close);
            RawHttp2Client.RawFrame goAway = client.readUntil(GOAWAY, 0);
            assertEquals(NO_ERROR, goAway.errorCode());
            assertEquals(3, goAway.lastStreamId(), "both streams were taken before the GOAWAY");
            assertEquals("GET /sleep/200 0 h2", client.readResponse(1).text());
            assertEquals("GET /sleep/600 0 h2", client.readResponse(3).text());
            client.expectClosed();
            closing.join(Duration.ofSeconds(5));
            assertTrue(!closing.isAlive(), "close() returned once the streams were done");
        }
    }

    /** A plain HTTP/1.1 request on this port is answered in full before close() returns. */
    @Test
    void closeWaitsForAPlainHttp1ExchangeInFlight() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        Http2Server server = Http2Server.start("127.0.0.1", 0, limits(), handler);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(
                    "GET /sleep/500 HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Await.until("the request reached the handler", Duration.ofSeconds(5), () -> handler.started.get() == 1);
            server.close();
            assertEquals(1, handler.handled.get(), "close() returned before the handler did");
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("GET /sleep/500 0 http/1.1"), answer);
        }
    }

    @Test
    void ignoresStreamsOpenedAfterItsGoAway() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        Http2Server server = Http2Server.start("127.0.0.1", 0, limits(), handler);
        try (RawHttp2Client client = RawHttp2Client.connect(server.port())) {
            client.request(1, "GET", "/sleep/500", true);
            Await.until("the request reached the handler", Duration.ofSeconds(5), () -> handler.started.get() == 1);
            Thread closing = Thread.ofVirtual().start(server::close);
            client.readUntil(GOAWAY, 0);
            client.request(3, "GET", "/late", true); // above the GOAWAY's last stream id
            assertEquals(200, client.readResponse(1).status());
            client.expectClosed();
            closing.join(Duration.ofSeconds(5));
        }
        assertEquals(1, handler.handled.get(), "stream 3 never reached the handler");
    }

    @Test
    void refusesAPortThatIsTaken() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (Http2Server first = Http2Server.start("127.0.0.1", 0, limits(), handler)) {
            assertThrows(BindException.class, () -> Http2Server.start("127.0.0.1", first.port(), limits(), handler));
        }
    }

    @Test
    void logsEveryFrameAtDebugLevel() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Log.setThreshold(Log.Level.DEBUG);
        try (Http2Server server = Http2Server.start("127.0.0.1", 0, limits(), handler);
             RawHttp2Client client = RawHttp2Client.connect(server.port())) {
            client.request(1, "GET", "/watched", true);
            client.readResponse(1);
        } finally {
            Log.setThreshold(Log.Level.WARN);
            Log.redirect(previous);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("\"message\":\"frame in\"") && log.contains("HEADERS stream=1"), log);
        assertTrue(log.contains("\"message\":\"frame out\"") && log.contains("DATA stream=1"), log);
        assertTrue(log.contains(":path: /watched"), "the decoded header block is logged too: " + log);
    }

    /**
     * A client that closes after its answer is the normal end of a connection: the reader
     * sees EOF and closes the socket, and the writer must not then report the socket it
     * finds closed as a failure. Several connections, as the two threads race differently.
     * The log is global, and a connection of an earlier test may still be ending: only the
     * connections that carried this test's path are counted.
     */
    @Test
    void logsTheWritersEndAfterAClientsCloseAsNormalNotAsASocketFailure() throws Exception {
        int connections = 10;
        try (CapturedLog log = CapturedLog.at(Log.Level.DEBUG);
             Http2Server server = Http2Server.start("127.0.0.1", 0, limits(), handler)) {
            for (int i = 0; i < connections; i++) {
                try (RawHttp2Client client = RawHttp2Client.connect(server.port())) {
                    client.request(1, "GET", "/bye", true);
                    assertEquals(200, client.readResponse(1).status());
                }
            }
            Set<String> ours = log.lines().stream()
                    .filter(line -> "header block".equals(line.getString("message", null)))
                    .filter(line -> line.getString("fields", "").contains("/bye"))
                    .map(line -> line.get("connection").toString())
                    .collect(Collectors.toSet());
            assertEquals(connections, ours.size(), "one connection per request: " + ours);
            Await.until("every writer of ours logged its end", Duration.ofSeconds(5),
                    () -> writerEnds(log, ours).size() == connections);
            assertEquals(List.of(), writerEnds(log, ours).stream()
                    .filter(line -> !"writer stopped".equals(line.getString("message", null)))
                    .toList());
        }
    }

    /** Each connection's writer logs one of two ends: "writer stopped" or "...: the socket failed". */
    private static List<JsonObject> writerEnds(CapturedLog log, Set<String> connections) {
        return log.lines().stream()
                .filter(line -> line.getString("message", "").startsWith("writer stopped"))
                .filter(line -> connections.contains(line.get("connection").toString()))
                .toList();
    }
}
