package analytics.faults;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ten dashboards that subscribe to every metric and then never read a byte, while producers
 * send System 2 10,000 metrics a second. The producers are Node's `ws` (scripts/ws-load.mjs,
 * paced, an open model), so their ack latency is measured from outside, once without the
 * stuck dashboards and once with them, in the same run. What must hold: the producers' acks
 * keep their latency (p99 within twice the baseline's, or 50 ms above it: one collection's
 * pause, which the stuck dashboards' budgets may add) and their rate;
 * the stuck dashboards are handled by the documented slow-consumer policy - their updates
 * dropped and counted, then each closed (1008 "slow consumer") - and the heap stays
 * bounded: it is each connection's 4 MiB budget that holds, not the sender's goodwill.
 *
 * Pattern: a per-connection budget with a deadline - one reader's stall must not become
 *          everyone's latency, nor the server's memory.
 * Lesson:  lessons/20-faults-and-floods.md, lessons/07-backpressure-and-fan-out.md
 * Not here: the policy itself (ConnectionWriter, lesson 07) and its unit-sized test
 *           (SlowConsumerWireTest).
 * Threads: the campaign's main thread; a virtual thread samples /stats meanwhile.
 */
final class NeverReadingDashboards implements Scenario {

    private static final int RATE = 10_000;
    private static final int PRODUCERS = 20;
    private static final int DASHBOARDS = 10;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** Longer than it takes a stuck dashboard to fill its budget and stay over it for 5 s. */
    private static final Duration MEASURED = Duration.ofSeconds(15);
    private static final long BUDGET_BYTES = 4L << 20;
    private static final long BOUND_SLACK_MB = 64;
    /** RFC 6455 §5.5.1: a close frame of code 1008 (0x03F0) with reason "slow consumer". */
    private static final byte[] SLOW_CONSUMER_CLOSE = closeFrame(1008, "slow consumer");

    @Override
    public String name() {
        return "never-reading-dashboards";
    }

    @Override
    public String description() {
        return "10 dashboards that never read during 10,000 metrics/s: acks unaffected, "
                + "each closed, heap bounded";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        Node system2 = rig.system2();
        system2.start();
        URI stats = rig.http(rig.system2Port, "/stats");

        producers(rig, "warm-up"); // thrown away: the baseline is measured on compiled code
        JsonObject baseline = producers(rig, "producers-alone");
        JsonObject before = stats(stats);
        long retainedBefore = jvm(before, "heapRetainedBytes");

        List<Socket> stuck = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong peakRetained = new AtomicLong(retainedBefore);
        AtomicLong peakUsed = new AtomicLong(jvm(before, "heapUsedBytes"));
        AtomicLong peakRssKb = new AtomicLong(system2.rssKb());
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (sampling.get()) {
                try {
                    JsonObject now = stats(stats);
                    peakRetained.accumulateAndGet(jvm(now, "heapRetainedBytes"), Math::max);
                    peakUsed.accumulateAndGet(jvm(now, "heapUsedBytes"), Math::max);
                    peakRssKb.accumulateAndGet(system2.rssKb(), Math::max);
                    Thread.sleep(250);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        JsonObject loaded;
        try {
            for (int i = 0; i < DASHBOARDS; i++) {
                stuck.add(neverReading(rig.system2Port));
            }
            loaded = producers(rig, "producers-with-stuck-dashboards");
        } finally {
            sampling.set(false);
            sampler.join();
        }
        JsonObject after = stats(stats);

        double p99Alone = baseline.getDouble("p99Ms", Double.NaN);
        double p99Loaded = loaded.getDouble("p99Ms", Double.NaN);
        double rateAlone = baseline.getDouble("perSecond", 0);
        double rateLoaded = loaded.getDouble("perSecond", 0);
        findings.figure("producers (Node ws, %d connections, paced %,d metrics/s): acks p50 %.1f ms, "
                        + "p99 %.1f ms at %,.0f/s alone; p50 %.1f ms, p99 %.1f ms at %,.0f/s with %d "
                        + "dashboards that never read", PRODUCERS, RATE, baseline.getDouble("p50Ms", 0),
                p99Alone, rateAlone, loaded.getDouble("p50Ms", 0), p99Loaded, rateLoaded, DASHBOARDS);
        findings.require(p99Loaded <= Math.max(2 * p99Alone, p99Alone + 50),
                "the stuck dashboards slowed the producers' acks: p99 %.1f ms, alone %.1f ms",
                p99Loaded, p99Alone);
        findings.require(rateAlone >= 0.95 * RATE, "System 2 could not hold %,d metrics/s even "
                + "without stuck dashboards (%,.0f acks/s): nothing to compare with", RATE, rateAlone);
        findings.require(rateLoaded >= 0.95 * RATE,
                "the producers' rate fell to %,.0f acks/s with the stuck dashboards", rateLoaded);
        findings.require(loaded.getLong("errors", 0) == 0 && loaded.get("closes").asObject().isEmpty(),
                "producers met errors or closes: %s", loaded);

        long dropped = delta(before, after, "dropped");
        long closed = delta(before, after, "slowConsumersClosed");
        Map<String, Integer> endings = new TreeMap<>();
        for (Socket socket : stuck) {
            endings.merge(howItEnded(socket), 1, Integer::sum);
            socket.close();
        }
        findings.figure("%,d updates to the stuck dashboards dropped and counted; %d of %d closed "
                        + "as slow consumers; what each saw at the end: %s (1008: the close frame got "
                        + "through)", dropped, closed, DASHBOARDS, endings);
        findings.require(dropped > 0, "no update was dropped: the dashboards were not stuck");
        findings.require(closed == DASHBOARDS && !endings.containsKey("open"),
                "%d of %d stuck dashboards closed as slow consumers; at the end: %s",
                closed, DASHBOARDS, endings);

        // Judged by the heap outside eden: "heap in use" also counts eden's garbage, which
        // swings by hundreds of megabytes with nothing kept; what a stuck dashboard can pin
        // must outlive a collection, and so shows up here.
        long growth = peakRetained.get() - retainedBefore;
        long collections = jvm(after, "collections") - jvm(before, "collections");
        findings.figure("heap kept (outside eden): %,d MB before, %,d MB at the peak (+%,d MB; "
                        + "the budget is %d × %d MiB); heap in use at the peak, garbage included, "
                        + "%,d MB; resident memory at the peak %,d MB; %d collections meanwhile; "
                        + "the stuck dashboards share one copy of each update (System2Fanout "
                        + "frames it once)",
                retainedBefore >> 20, peakRetained.get() >> 20, growth >> 20, DASHBOARDS,
                BUDGET_BYTES >> 20, peakUsed.get() >> 20, peakRssKb.get() / 1024, collections);
        findings.require(collections > 0, "no collection ran while the dashboards were stuck: "
                + "the heap kept says nothing about what they held");
        // The budgets, plus what the producers' traffic carries through survivor spaces.
        long bound = DASHBOARDS * BUDGET_BYTES + (BOUND_SLACK_MB << 20);
        findings.require(growth <= bound,
                "the heap kept grew by %,d MB with the stuck dashboards (bound %,d MB)",
                growth >> 20, bound >> 20);
        findings.require(system2.isAlive(), "System 2 died");
    }

    /** How much an "updates" counter of System 2's /stats grew between two readings. */
    private static long delta(JsonObject before, JsonObject after, String counter) {
        return after.get("updates").asObject().getLong(counter, 0)
                - before.get("updates").asObject().getLong(counter, 0);
    }

    /** Node's ws, paced at RATE over PRODUCERS connections; its one-line summary. */
    private static JsonObject producers(Rig rig, String name) throws IOException, InterruptedException {
        List<String> command = List.of("node", "scripts/ws-load.mjs",
                "ws://127.0.0.1:" + rig.system2Port, String.valueOf(PRODUCERS), "1",
                String.valueOf(WARM_UP.toSeconds()), String.valueOf(MEASURED.toSeconds()));
        String output = LoadTool.run(name, command, Map.of("RATE", String.valueOf(RATE)),
                WARM_UP.plus(MEASURED), rig.directory());
        String line = LoadTool.lastJsonLine(output);
        if (line == null) {
            throw new IllegalStateException("ws-load.mjs printed no summary: " + output.strip());
        }
        return Json.parse(line).asObject();
    }

    /**
     * A dashboard that registers for every metric and never reads again: a raw socket with a
     * small receive buffer, so the kernel holds little and the server's budget fills soon.
     */
    private static Socket neverReading(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(8 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("the dashboard's handshake was refused: " + head.lines().findFirst().orElse(""));
        }
        out.write(maskedText("{\"type\":\"register\",\"role\":\"dashboard\"}"));
        out.flush();
        return socket;
    }

    /** The 101's head, read a byte at a time so not one byte of the frames after it is taken. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** RFC 6455 §5.2: FIN + text, the mask bit and a 7-bit length, the key, the masked payload. */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length); // payloads here are under 126 bytes
        System.arraycopy(key, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ key[i % 4]);
        }
        return frame;
    }

    /**
     * Reads what the server left until it ended the connection: "1008" when its last frame
     * was the slow-consumer close, "closed" or "reset" when TCP ended without it (the close
     * frame queues behind the frames the dashboard never read, so it may never be sent),
     * "open" when the server never ended it.
     */
    private static String howItEnded(Socket socket) {
        byte[] tail = new byte[0];
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                byte[] joined = Arrays.copyOf(tail, tail.length + n);
                System.arraycopy(buffer, 0, joined, tail.length, n);
                tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - SLOW_CONSUMER_CLOSE.length),
                        joined.length);
            }
        } catch (SocketTimeoutException stillOpen) {
            return "open";
        } catch (IOException reset) {
            return "reset";
        }
        return Arrays.equals(tail, SLOW_CONSUMER_CLOSE) ? "1008" : "closed";
    }

    private static byte[] closeFrame(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[4 + text.length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (2 + text.length);
        frame[2] = (byte) (code >> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, text.length);
        return frame;
    }

    private static JsonObject stats(URI stats) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return Json.parse(client.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).asObject();
        }
    }

    /** A figure of the "jvm" block of a /stats reading. */
    private static long jvm(JsonObject stats, String field) {
        return stats.get("jvm").asObject().getLong(field, 0);
    }
}
