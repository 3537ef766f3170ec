package analytics.loadtest.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.http.Http1Server;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recovery against a real HTTP server that plays a System 1 after an overload: /healthz
 * refuses for a while, then /stats shows a backlog that drains.
 */
class RecoveryTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final AtomicInteger healthAsked = new AtomicInteger();
    private final AtomicInteger statsAsked = new AtomicInteger();
    private HttpServer server;

    private URI serve(int unhealthyAnswers, int[] lagByAsk) throws IOException {
        Http1Server.applyJdkServerSettings(); // the JDK reads them once per JVM
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> answer(exchange,
                healthAsked.incrementAndGet() <= unhealthyAnswers ? 503 : 200, "{\"status\":\"ok\"}"));
        server.createContext("/stats", exchange -> {
            int ask = Math.min(statsAsked.getAndIncrement(), lagByAsk.length - 1);
            answer(exchange, 200, "{\"stream\":{\"groupLag\":" + lagByAsk[ask] + "}}");
        });
        server.start();
        return URI.create("ws://127.0.0.1:" + server.getAddress().getPort()); // any scheme: its port
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (exchange) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void waitsUntilHealthyAndTheBacklogIsDrainedAndSaysSo() throws Exception {
        URI target = serve(2, new int[] {54_000, 1_200, 0});
        new Recovery(out, Duration.ofSeconds(20)).awaitSettled("System 1", target);
        assertEquals(3, statsAsked.get(), "asked until the lag was 0");
        String said = printed.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("waiting for System 1 to settle: /healthz answers 503"), said);
        assertTrue(said.contains("System 1 settled after"), said);
    }

    @Test
    void aSettledSystemIsNotWaitedForAndNothingIsPrinted() throws Exception {
        URI target = serve(0, new int[] {0});
        new Recovery(out, Duration.ofSeconds(5)).awaitSettled("System 2", target);
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givesUpWithWhatTheSystemWasStillDoing() throws Exception {
        URI target = serve(0, new int[] {7_000});
        IOException error = assertThrows(IOException.class,
                () -> new Recovery(out, Duration.ofSeconds(1)).awaitSettled("System 1", target));
        assertEquals("System 1 did not settle within 1 s: group lag 7,000 (stream entries no worker has read yet)", error.getMessage());
    }
}
