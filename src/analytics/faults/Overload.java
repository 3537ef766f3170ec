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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * Each transport pushed past its capacity for 30 s by a client we did not write: first its
 * capacity is measured in the same run (a few connections, 5 s after 5 s of warm-up), then
 * the same client comes back with a hundred times the concurrency - wrk with 400 connections
 * on HTTP/1.1, h2load with 40 connections of 100 streams on HTTP/2, Node's `ws` with 200
 * producers each keeping 500 metrics unacknowledged on System 2. What must hold: every HTTP
 * answer is a 202 or a 503 with Retry-After (ingest's admission limit,
 * `SYSTEM1_MAX_PENDING_WRITES`, and its lag limit) - no 500, no stack trace, no request left
 * without an answer; System 2 refuses nothing and closes no producer - TCP's flow control
 * slows them down instead, since it reads each connection only as fast as it handles it; a
 * new client arriving during the overload is answered, served or refused (how long it
 * waited is reported: over HTTP/2 it can be seconds, see Probe); and within 5 s of the end
 * the system is itself again, a new client served within 100 ms.
 * Accepted metrics per second under overload, as a share of capacity, and the servers'
 * memory are reported.
 *
 * Pattern: load shedding judged from outside: capacity and overload measured by the same
 *          independent client in the same run, refusals told apart from failures.
 * Lesson:  lessons/20-faults-and-floods.md
 * Not here: where the capacity goes (docs/performance-results.md, lesson 18).
 * Threads: the campaign's main thread waits for each tool; a ProbeLane probes beside it.
 */
final class Overload implements Scenario {

    private static final Duration CAPACITY_RUN = Duration.ofSeconds(5);
    private static final Duration RECOVERED_WITHIN = Duration.ofSeconds(5);
    private static final Duration DRAINED_WITHIN = Duration.ofSeconds(90);
    /** Metrics per HTTP request: scripts/wrk-overload.lua's batch, and h2load's body file. */
    private static final int BATCH = 100;

    /**
     * What a load tool counted.
     *
     * @param accepted answers that accepted (202, or one metric.ack)
     * @param refused  honest refusals (503)
     * @param failures what the tool saw that must not happen, one line each
     */
    private record Counts(long accepted, long refused, List<String> failures, double seconds,
                          int metricsPerAnswer) {

        double acceptedPerSecond() {
            return accepted * (double) metricsPerAnswer / seconds;
        }
    }

    /** One load tool: its command line for a run, and how to read what it printed. */
    private interface Client {
        String name();

        List<String> command(Duration length, boolean overload);

        Counts read(String output);

        /** Whether the server may refuse under overload (HTTP's 503); System 2 never does. */
        default boolean mayRefuse() {
            return true;
        }
    }

    @Override
    public String name() {
        return "overload";
    }

    @Override
    public String description() {
        return "30 s past capacity on HTTP/1.1, HTTP/2 and WebSocket (wrk, h2load, Node ws): "
                + "202/503 only, recovery within 5 s";
    }

    @Override
    public void run(Rig rig, Pace pace, Findings findings) throws Exception {
        rig.redis(false).start();
        Node ingest = rig.ingest();
        ingest.start();
        Node workers = rig.workers("workers");
        workers.start();
        Node system2 = rig.system2();
        system2.start();
        Path batch = Files.writeString(rig.directory().resolve("batch.json"), batchBody());
        URI stats1 = rig.http(rig.httpPort, "/stats");

        URI http1Uri = rig.http(rig.httpPort, "/");
        URI http2Uri = rig.http(rig.http2Port, "/");
        ProbeLane.Sender http1 = () -> Probe.post(HttpClient.Version.HTTP_1_1, http1Uri);
        ProbeLane.Sender http2 = () -> Probe.post(HttpClient.Version.HTTP_2, http2Uri);
        URI system2Uri = URI.create("ws://127.0.0.1:" + rig.system2Port + "/");
        ProbeLane.Sender producer = () -> Probe.producerAck(system2Uri);

        transport(wrk(rig.httpPort), ingest, stats1, "unavailableTotal", http1, rig, pace, findings);
        awaitDrained(rig, findings, "HTTP/1.1");
        transport(h2load(rig.http2Port, batch), ingest, stats1, "unavailableTotal", http2, rig, pace,
                findings);
        awaitDrained(rig, findings, "HTTP/2");
        transport(wsLoad(rig.system2Port), system2, rig.http(rig.system2Port, "/stats"),
                "rejectedTotal", producer, rig, pace, findings);

        findings.require(ingest.isAlive() && workers.isAlive() && system2.isAlive(),
                "a server died under the overload");
    }

    /**
     * Capacity, then overload with a probe lane beside it, then recovery, for one transport.
     *
     * @param refusedCounter the /stats field (under "metrics") counting the server's refusals
     */
    private static void transport(Client client, Node server, URI stats, String refusedCounter,
                                  ProbeLane.Sender probe, Rig rig, Pace pace, Findings findings)
            throws IOException, InterruptedException {
        String name = client.name();
        Path folder = rig.directory();
        List<String> atCapacity = client.command(CAPACITY_RUN, false);
        List<String> overloading = client.command(pace.overload(), true);
        // A first run, thrown away, so capacity is measured on compiled code, not the interpreter.
        LoadTool.run(name + "-warm-up", atCapacity, CAPACITY_RUN, folder);
        Counts capacity = client.read(
                LoadTool.run(name + "-capacity", atCapacity, CAPACITY_RUN, folder));
        findings.figure("%s capacity: %,.0f metrics/s accepted (%s)", name,
                capacity.acceptedPerSecond(), shown(atCapacity, folder));
        findings.require(capacity.failures().isEmpty(), "%s at capacity: %s", name,
                Findings.sample(capacity.failures()));

        long refusedBefore = counter(stats, refusedCounter);
        long rssBefore = server.rssKb();
        ProbeLane lane = new ProbeLane(probe).start();
        Counts overload = client.read(LoadTool.run(name + "-overload", overloading, pace.overload(),
                folder));
        long ended = System.nanoTime();
        long rssAfter = server.rssKb();
        lane.stop();
        boolean back = ProbeLane.recovery(probe, RECOVERED_WITHIN) >= 0;
        long recovered = back ? System.nanoTime() - ended : -1;
        long refusedByServer = counter(stats, refusedCounter) - refusedBefore;

        findings.figure("%s overload, %d s (%s): %,d accepted (%,.0f metrics/s, %.2f× capacity), "
                        + "%,d refused with 503", name, pace.overload().toSeconds(),
                shown(overloading, folder), overload.accepted(), overload.acceptedPerSecond(),
                overload.acceptedPerSecond() / capacity.acceptedPerSecond(), overload.refused());
        findings.figure("%s: new clients during the overload: %s", name, lane.summary());
        findings.figure("%s: back to a new client served within %d ms %s after the load ended; "
                        + "resident memory %+,d MB over the overload", name,
                ProbeLane.RECOVERED_WITHIN.toMillis(),
                back ? Findings.millis(recovered) : "never", (rssAfter - rssBefore) / 1024);
        findings.require(overload.failures().isEmpty(), "%s under overload: %s", name,
                Findings.sample(overload.failures()));
        findings.require(lane.failures().isEmpty(), "%s: new clients during the overload met: %s",
                name, Findings.sample(lane.failures()));
        findings.require(back, "%s: no new client served within %d ms in the %d s after the load",
                name, ProbeLane.RECOVERED_WITHIN.toMillis(), RECOVERED_WITHIN.toSeconds());
        // The tools see 5xx; the server counts its 503s: every 5xx a tool saw must be one of them.
        findings.require(client.mayRefuse() || refusedByServer == 0,
                "%s: the server refused %,d metrics", name, refusedByServer);
        findings.require(overload.refused() <= refusedByServer,
                "%s: the client saw %,d refusals, the server counted %,d: some 5xx were not its 503",
                name, overload.refused(), refusedByServer);
    }

    /** A tool's command line as the report shows it: files relative to the scenario's folder. */
    private static String shown(List<String> command, Path folder) {
        return String.join(" ", command).replace(folder + "/", "");
    }

    /** wrk with scripts/wrk-overload.lua, which tells 202, 503 and anything else apart. */
    private static Client wrk(int port) {
        return new Client() {
            @Override
            public String name() {
                return "HTTP/1.1";
            }

            @Override
            public List<String> command(Duration length, boolean overload) {
                return List.of("wrk", overload ? "-t2" : "-t1", overload ? "-c400" : "-c16",
                        "-d" + length.toSeconds() + "s", "--timeout", "10s", "-s", "scripts/wrk-overload.lua",
                        "http://127.0.0.1:" + port);
            }

            @Override
            public Counts read(String output) {
                JsonObject line = json(output, "wrk");
                List<String> failures = new ArrayList<>();
                failIfAny(failures, line.getLong("other", 0), "answers other than 202 and 503");
                failIfAny(failures, line.getLong("noRetryAfter", 0), "503s without Retry-After");
                failIfAny(failures, line.getLong("stackTraces", 0), "answers with a stack trace");
                failIfAny(failures, line.getLong("timeouts", 0), "requests without an answer within 10 s");
                return new Counts(line.getLong("accepted", 0), line.getLong("refused", 0), failures,
                        line.getDouble("seconds", 1), line.getInt("metricsPerRequest", BATCH));
            }
        };
    }

    /** h2load over h2c prior knowledge; it counts status classes, so 5xx is checked against /stats. */
    private static Client h2load(int port, Path body) {
        return new Client() {
            @Override
            public String name() {
                return "HTTP/2";
            }

            @Override
            public List<String> command(Duration length, boolean overload) {
                return List.of("h2load", overload ? "-t2" : "-t1", overload ? "-c40" : "-c1",
                        overload ? "-m100" : "-m16", "-D", String.valueOf(length.toSeconds()),
                        "-d", body.toString(), "-H", "content-type: application/json",
                        "http://127.0.0.1:" + port + "/metrics/batch");
            }

            @Override
            public Counts read(String output) {
                Matcher statuses = find(output, "status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
                Matcher requests = find(output, "requests: \\d+ total, \\d+ started, \\d+ done, \\d+ succeeded, "
                        + "\\d+ failed, (\\d+) errored, (\\d+) timeout");
                Matcher finished = find(output, "finished in ([0-9.]+)s");
                List<String> failures = new ArrayList<>();
                if (statuses == null || requests == null || finished == null) {
                    failures.add("h2load printed no summary: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
                    return new Counts(0, 0, failures, 1, BATCH);
                }
                failIfAny(failures, Long.parseLong(statuses.group(2)) + Long.parseLong(statuses.group(3)),
                        "3xx or 4xx answers");
                failIfAny(failures, Long.parseLong(requests.group(1)), "streams without an answer (errored)");
                failIfAny(failures, Long.parseLong(requests.group(2)), "streams timed out");
                return new Counts(Long.parseLong(statuses.group(1)), Long.parseLong(statuses.group(4)), failures,
                        Double.parseDouble(finished.group(1)), BATCH);
            }
        };
    }

    /** Node's `ws` (scripts/ws-load.mjs): producers keeping metrics in flight, acks matched by id. */
    private static Client wsLoad(int port) {
        return new Client() {
            @Override
            public String name() {
                return "WebSocket";
            }

            @Override
            public List<String> command(Duration length, boolean overload) {
                return List.of("node", "scripts/ws-load.mjs", "ws://127.0.0.1:" + port,
                        overload ? "200" : "10", overload ? "500" : "50", "0", String.valueOf(length.toSeconds()));
            }

            @Override
            public boolean mayRefuse() {
                return false;
            }

            @Override
            public Counts read(String output) {
                JsonObject line = json(output, "ws-load.mjs");
                List<String> failures = new ArrayList<>();
                failIfAny(failures, line.getLong("errors", 0), "error messages instead of acks");
                JsonValue closes = line.get("closes");
                if (closes != null && !closes.asObject().isEmpty()) {
                    failures.add("producers closed by the server: " + closes);
                }
                return new Counts(line.getLong("acks", 0), 0, failures, line.getDouble("seconds", 1), 1);
            }
        };
    }

    /** Waits until the workers have read and acknowledged everything the overload left. */
    private static void awaitDrained(Rig rig, Findings findings, String after) throws InterruptedException {
        try (Jedis jedis = rig.jedis()) {
            Duration drained = Tally.awaitDrained(jedis, Rig.STREAM_KEY, DRAINED_WITHIN);
            findings.require(drained != null, "the workers did not drain the stream within %d s after the %s "
                    + "overload", DRAINED_WITHIN.toSeconds(), after);
            if (drained != null) {
                findings.figure("%s: the workers drained the stream %s after the load ended", after,
                        Findings.millis(drained.toNanos()));
            }
        }
    }

    private static String batchBody() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            items.add(SteadyLoad.metric("overload-" + i));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static JsonObject json(String output, String tool) {
        String line = LoadTool.lastJsonLine(output);
        if (line == null) {
            throw new IllegalStateException(tool + " printed no summary: "
                    + output.strip().lines().reduce((a, b) -> b).orElse("(nothing)"));
        }
        return Json.parse(line).asObject();
    }

    private static void failIfAny(List<String> failures, long count, String what) {
        if (count > 0) {
            failures.add("%,d %s".formatted(count, what));
        }
    }

    private static Matcher find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher : null;
    }

    /** A counter of the server's /stats, under "metrics". */
    private static long counter(URI stats, String field) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return Json.parse(body).asObject().get("metrics").asObject().getLong(field, 0);
        }
    }
}
