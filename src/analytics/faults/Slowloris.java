package analytics.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Slowloris on every port at once: on each of System 1's HTTP/1.1, h2c and broadcaster ports
 * and on System 2's port, a thousand clients each send the start of a request - half a
 * head, half a body, half the HTTP/2 preface - and then nothing, ever. What must hold: new
 * clients are still served at once (median under 100 ms) while the thousands are held, and
 * every half-sent request is dropped at the port's deadline (10 s), so none can hold a
 * connection for ever. The servers' resident memory is reported.
 *
 * Pattern: a deadline per request, not per read - a client sending a byte a second never
 *          trips a read timeout, so the whole head (or request) gets a clock of its own.
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: the campaign's main thread opens the sockets; one virtual thread per socket
 *          waits for the server to close it.
 */
final class Slowloris implements Scenario {

    private static final int PER_PORT = 1_000;
    /** Every port's deadline is 10 s; the JDK's HTTP/1.1 timer looks once a second. */
    private static final Duration DROPPED_WITHIN = Duration.ofSeconds(20);
    private static final Duration SERVED_WITHIN = Duration.ofMillis(100);
    private static final int PROBES = 5;

    /** A port and the first bytes of a request that never finishes. */
    private record Target(String name, int port, String start) {
    }

    @Override
    public String name() {
        return "slowloris";
    }

    @Override
    public String description() {
        return "1,000 half-sent requests on each of the 4 ports; new clients served, the half-sent dropped";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        rig.redis(false).start();
        Node ingest = rig.ingest();
        ingest.start();
        Node broadcaster = rig.broadcaster();
        broadcaster.start();
        Node system2 = rig.system2();
        system2.start();
        List<Target> targets = List.of(
                new Target("HTTP/1.1 ingest", rig.httpPort,
                        "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n{\"serverId\":"),
                new Target("h2c ingest", rig.http2Port, "PRI * HTTP/2.0\r\n"),
                new Target("broadcaster", rig.broadcasterPort, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"),
                new Target("System 2", rig.system2Port, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"));
        long[] rssBefore = {ingest.rssKb(), broadcaster.rssKb(), system2.rssKb()};

        ConcurrentLinkedQueue<Long> closedAt = new ConcurrentLinkedQueue<>();
        List<Socket> sockets = new ArrayList<>();
        long opened;
        try {
            for (Target target : targets) {
                for (int i = 0; i < PER_PORT; i++) {
                    sockets.add(halfSend(target, closedAt));
                }
            }
            opened = System.nanoTime();
            findings.figure("%,d half-sent requests held (%,d on each of %d ports)", sockets.size(),
                    PER_PORT, targets.size());
            long[] rssHeld = {ingest.rssKb(), broadcaster.rssKb(), system2.rssKb()};
            findings.figure("resident memory while held: ingest %+,d KB, broadcaster %+,d KB, System 2 %+,d KB",
                    rssHeld[0] - rssBefore[0], rssHeld[1] - rssBefore[1], rssHeld[2] - rssBefore[2]);
            for (Target target : targets) {
                long[] probes = probe(rig.http(target.port(), "/healthz"));
                long median = probes[PROBES / 2];
                findings.figure("%s: a new client served in %s (median of %d; slowest %s)", target.name(),
                        Findings.millis(median), PROBES, Findings.millis(probes[PROBES - 1]));
                findings.require(median >= 0 && median < SERVED_WITHIN.toNanos(),
                        "%s: new clients waited %s (median) while the half-sent requests were held",
                        target.name(), median < 0 ? "for ever" : Findings.millis(median));
            }
            BooleanSupplier allDropped = () -> closedAt.size() == sockets.size();
            long dropped = Rig.awaitNanos(allDropped, DROPPED_WITHIN);
            findings.figure("%,d of %,d dropped by the servers; the last %s after all were open",
                    closedAt.size(), sockets.size(), dropped < 0 ? "not" : Findings.millis(dropped));
            findings.require(dropped >= 0, "%,d half-sent requests still held %d s after they were sent",
                    sockets.size() - closedAt.size(), DROPPED_WITHIN.toSeconds());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        findings.require(ingest.isAlive() && broadcaster.isAlive() && system2.isAlive(),
                "a server died under the flood");
    }

    /** Opens a socket, sends the start of a request, and watches for the server's close. */
    private static Socket halfSend(Target target, ConcurrentLinkedQueue<Long> closedAt) throws IOException {
        Socket socket = new Socket("127.0.0.1", target.port());
        socket.getOutputStream().write(target.start().getBytes(StandardCharsets.ISO_8859_1));
        Thread.ofVirtual().start(() -> {
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[512];
                while (in.read(buffer) >= 0) {
                    // an answer (408) may come before the close: read on until the end
                }
            } catch (IOException closedOrReset) {
                // a reset, or our own close in the finally: closed either way
            }
            closedAt.add(System.nanoTime());
        });
        return socket;
    }

    /** PROBES GETs, each from a new client on a new connection, in nanos, sorted; -1 failed. */
    private static long[] probe(URI uri) throws InterruptedException {
        long[] nanos = new long[PROBES];
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        for (int i = 0; i < PROBES; i++) {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                long began = System.nanoTime();
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                nanos[i] = status == 200 ? System.nanoTime() - began : Long.MAX_VALUE;
            } catch (IOException refused) {
                nanos[i] = Long.MAX_VALUE;
            }
        }
        Arrays.sort(nanos);
        for (int i = 0; i < PROBES; i++) {
            if (nanos[i] == Long.MAX_VALUE) {
                nanos[i] = -1;
            }
        }
        return nanos;
    }
}
