package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.UsedHeap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Memory follows bytes received, not bytes announced: many clients each announce a body of
 * the whole limit - by Content-Length, or by the size line of a chunk - and send three
 * bytes of it. The server reads a body in steps of what arrived (InputStream.readNBytes
 * fills 16 KiB at a time), so its heap grows by kilobytes per client, not by the 256 KiB
 * each announced (400 x 256 KiB would be 100 MiB).
 */
class Http1AnnouncedBodyWireTest {

    private static final int CONNECTIONS = 400;
    private static final int ANNOUNCED = Http1Server.DEFAULT_MAX_BODY_BYTES;
    private static final String SENT = "{\"a";
    /** Well below CONNECTIONS x ANNOUNCED (100 MiB); the connections themselves took 19 MiB. */
    private static final long MAX_GROWTH = 40L * 1024 * 1024;
    /** A client that announces nothing unusual is answered this fast meanwhile. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final AtomicInteger handled = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();
    private Http1Server server;

    @BeforeEach
    void start() throws IOException {
        Log.setThreshold(Log.Level.WARN);
        server = Http1Server.start("127.0.0.1", 0, ANNOUNCED, request -> {
            handled.incrementAndGet();
            return Response.text(200, "text/plain", "got " + request.body().length);
        });
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    @Test
    void heapFollowsBodyBytesReceivedNotLengthsAnnounced() throws Exception {
        assertEquals("got 0", get("/warm-up"));
        long before = UsedHeap.afterGc();

        for (int i = 0; i < CONNECTIONS; i++) {
            String framing = i % 2 == 0
                    ? "Content-Length: " + ANNOUNCED + "\r\n\r\n" + SENT
                    : "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(ANNOUNCED) + "\r\n" + SENT;
            send(connect(), "POST /announced HTTP/1.1\r\nHost: test\r\n" + framing);
        }
        long started = System.nanoTime();
        String answer = get("/still-served");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long growth = UsedHeap.afterGc() - before;

        assertEquals("got 0", answer);
        assertTrue(took.compareTo(PROMPTLY) < 0, "a normal client waited " + took.toMillis() + " ms");
        assertTrue(growth < MAX_GROWTH, CONNECTIONS + " requests announcing " + ANNOUNCED
                + " bytes each grew the heap by " + UsedHeap.mib(growth) + "; the bound is "
                + UsedHeap.mib(MAX_GROWTH));
        assertEquals(2, handled.get(), "only the two GETs reached the handler; the bodies wait");
    }

    /** A body as long as it announced arrives whole, read in steps as it came. */
    @Test
    void keepsAnAnnouncedBodyThatDoesArriveInFull() throws Exception {
        Socket socket = connect();
        send(socket, "POST /full HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: "
                + ANNOUNCED + "\r\n\r\n" + "x".repeat(ANNOUNCED));
        String answer = readUntilClosed(socket);
        assertTrue(answer.endsWith("\r\n\r\ngot " + ANNOUNCED), answer);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        sockets.add(socket);
        return socket;
    }

    /** A GET on a connection of its own; the body of its answer. */
    private String get(String path) throws IOException {
        Socket socket = connect();
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        String answer = readUntilClosed(socket);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
