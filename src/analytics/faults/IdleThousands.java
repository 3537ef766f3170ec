package analytics.faults;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ten thousand idle WebSocket connections on each WebSocket port, one port at a time: as
 * many producers registered with System 2, then as many dashboards subscribed to the
 * broadcaster, all held by Node's `ws` (scripts/idle-connections.mjs) and doing nothing.
 * What must hold: every connection opens, a new client is still answered within 100 ms
 * (median of 5) while the ten thousand are held, and once the client lets them go the
 * server counts none of them any more. The resident memory each idle connection costs is
 * reported (scripts/bench-idle-connections.sh measures it more carefully, against a peer).
 *
 * Pattern: capacity for connections, not requests - an idle connection must cost little
 *          (a virtual thread, a small buffer), or ten thousand of them are an attack.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: the per-connection buffers themselves (WebSocketConnection, lesson 06).
 * Threads: the campaign's main thread; the client is a process of its own.
 */
final class IdleThousands implements Scenario {

    private static final int CONNECTIONS = 10_000;
    private static final Duration OPENED_WITHIN = Duration.ofSeconds(120);
    private static final Duration RELEASED_WITHIN = Duration.ofSeconds(20);
    private static final long SERVED_WITHIN_MS = 100;
    /** How long the client holds the connections after its probes, so memory can be read. */
    private static final int HOLD_SECONDS = 5;

    @Override
    public String name() {
        return "idle-thousands";
    }

    @Override
    public String description() {
        return "10,000 idle WebSocket connections on each WebSocket port (Node ws): new clients served, "
                + "all released";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        rig.redis(false).start();
        Node system2 = rig.system2();
        system2.start();
        hold("System 2 producers", system2, rig.system2Port, "producers",
                "{\"type\":\"register\",\"role\":\"producer\",\"serverId\":\"idle\"}",
                "{\"type\":\"snapshot.request\",\"serverId\":\"none\"}", rig, findings);
        Node broadcaster = rig.broadcaster();
        broadcaster.start();
        hold("broadcaster dashboards", broadcaster, rig.broadcasterPort, "dashboards",
                "{\"type\":\"subscribe\",\"serverId\":\"idle\"}",
                "{\"type\":\"subscribe\",\"serverId\":\"none\"}", rig, findings);
        findings.require(system2.isAlive() && broadcaster.isAlive(), "a server died holding the connections");
    }

    /**
     * @param counted the field under "connections" in the server's /stats that counts them
     */
    private static void hold(String name, Node server, int port, String counted, String hello, String probe,
                             Rig rig, Findings findings) throws IOException, InterruptedException {
        URI stats = rig.http(port, "/stats");
        long rssBefore = server.rssKb();
        Path output = LoadTool.output("idle-" + counted, rig.directory());
        Process client = LoadTool.start(List.of("node", "scripts/idle-connections.mjs",
                "ws://127.0.0.1:" + port, String.valueOf(CONNECTIONS), String.valueOf(HOLD_SECONDS), hello, probe),
                Map.of(), output);
        try {
            BooleanSupplier probed = () -> line(output, "probeMs").isPresent() || !client.isAlive();
            Rig.awaitNanos(probed, OPENED_WITHIN);
            long rssHeld = server.rssKb();
            long held = connections(stats, counted);
            Optional<JsonObject> opened = line(output, "open");
            Optional<JsonObject> probes = line(output, "probeMs");
            if (opened.isEmpty() || probes.isEmpty()) {
                findings.require(false, "%s: idle-connections.mjs did not open and probe within %d s: %s", name,
                        OPENED_WITHIN.toSeconds(), tail(output));
                return;
            }
            long open = opened.get().getLong("open", 0);
            long[] probeMs = probes.get().get("probeMs").asArray().values().stream()
                    .mapToLong(v -> Math.round(v.asDouble())).sorted().toArray();
            long median = probeMs[probeMs.length / 2];
            findings.figure("%s: %,d of %,d opened in %.1f s (%,d failed); the server counted %,d; a new client "
                            + "answered in %d ms (median of %d; %s); resident memory %+,d MB, %.1f KB per connection",
                    name, open, CONNECTIONS, opened.get().getDouble("openSeconds", 0),
                    opened.get().getLong("failed", 0), held, median, probeMs.length, Arrays.toString(probeMs),
                    (rssHeld - rssBefore) / 1024, (rssHeld - rssBefore) / (double) CONNECTIONS);
            findings.require(open == CONNECTIONS && held >= CONNECTIONS, "%s: %,d opened, %,d counted by the server",
                    name, open, held);
            findings.require(median >= 0 && median < SERVED_WITHIN_MS,
                    "%s: a new client waited %d ms (median) while the idle connections were held", name, median);
            client.waitFor(HOLD_SECONDS + 30, TimeUnit.SECONDS);
        } finally {
            client.destroyForcibly().waitFor();
        }
        long released = Rig.awaitNanos(() -> connections(stats, counted) == 0, RELEASED_WITHIN);
        findings.require(released >= 0, "%s: the server still counted %,d connections %d s after the client left",
                name, connections(stats, counted), RELEASED_WITHIN.toSeconds());
        if (released >= 0) {
            findings.figure("%s: all released %s after the client left", name, Findings.millis(released));
        }
    }

    /** The first line of the client's output that is a JSON object with {@code field}. */
    private static Optional<JsonObject> line(Path output, String field) {
        try {
            return Files.readAllLines(output).stream().filter(l -> l.startsWith("{"))
                    .map(l -> Json.parse(l).asObject()).filter(o -> o.get(field) != null).findFirst();
        } catch (IOException | RuntimeException notYet) {
            return Optional.empty(); // not written yet, or a line half written
        }
    }

    private static String tail(Path output) {
        try {
            return String.join(" | ", Files.readAllLines(output).stream().skip(Math.max(0,
                    Files.readAllLines(output).size() - 3)).toList());
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** connections.{@code counted} in the server's /stats; -1 when it does not answer. */
    private static long connections(URI stats, String counted) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonValue value = Json.parse(body).asObject().get("connections").asObject().get(counted);
            return value == null ? -1 : value.asLong();
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
