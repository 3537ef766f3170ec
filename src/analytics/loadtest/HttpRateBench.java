package analytics.loadtest;

import analytics.loadtest.measure.LatencyHistogram;
import analytics.loadtest.measure.ProcessCpu;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Open-loop HTTP load for System 1: N connections POST metrics at R requests/s in total on a
 * fixed schedule, and each latency counts from the request's PLANNED send time, so a server
 * stall shows in every request planned during it (what wrk2 does, and wrk cannot). Over
 * HTTP/1.1 (keep-alive, one request at a time per connection) or HTTP/2 (prior knowledge,
 * several streams per connection), with one report for both: throughput, p50/p99 and the
 * CPU per accepted metric of the server and of Redis, from /proc.
 *
 * Pattern: open-loop load generation over raw sockets; avoiding coordinated omission; one
 *          schedule and one report, the protocol a strategy (BenchConnection).
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Not here: the wire (Http1BenchConnection, Http2BenchConnection); the schedule and the
 *           counting of one connection (PacedRequests).
 * Threads: main connects, starts the connections, reads CPU at the window's edges, joins.
 */
public final class HttpRateBench {

    private static final String USAGE = "usage: [--protocol h1|h2] [--host 127.0.0.1]"
            + " [--port 4000 (h1), 4001 (h2)] [--path /metrics] [--connections 50 (h1), 10 (h2)]"
            + " [--streams 10 (h2: in flight per connection)] [--rate 5000] [--seconds 10]"
            + " [--warmup 2] [--server-pid PID] [--redis-pid PID] [--clk-tck 100] [--csv FILE]";

    private final Map<String, String> options;

    private HttpRateBench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                exit("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Result result;
        try {
            result = run(options);
        } catch (IllegalArgumentException e) {
            exit(e.getMessage());
            return;
        } catch (IOException e) {
            System.err.println("HttpRateBench: " + e.getMessage()); // e.g. nothing listens there
            System.exit(1);
            return;
        }
        System.out.println(result.describe());
        String csv = options.getOrDefault("csv", "");
        if (!csv.isEmpty()) {
            result.appendCsv(Path.of(csv));
        }
        System.exit(0); // a connection left behind may still wait for a last answer
    }

    private static void exit(String problem) {
        System.err.println("HttpRateBench: " + problem + "\n" + USAGE);
        System.exit(2);
    }

    /** One measured run, without System.exit: what main and the tests call. */
    static Result run(Map<String, String> options) throws IOException, InterruptedException {
        return new HttpRateBench(options).run();
    }

    private String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    private int positive(String name, String defaultValue) {
        String text = option(name, defaultValue);
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive number, got " + text);
    }

    /**
     * One measured run; CPU figures are seconds used inside the measured window.
     *
     * @param scenario the CSV's first column: "rate" for HTTP/1.1, "rate-h2" for HTTP/2, so
     *                 the two never share a median in scripts/bench-system1.sh
     */
    record Result(String scenario, String setup, long accepted, long refused, double seconds,
                  long p50Micros, long p99Micros, double serverCpuSeconds, double redisCpuSeconds) {

        double perSecond() {
            return accepted / seconds;
        }

        double microsPerMetric(double cpuSeconds) {
            return accepted == 0 ? Double.NaN : cpuSeconds * 1e6 / accepted;
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "%s (%s): %.0f accepted/s, %d refused, latency from planned send"
                            + " p50 %.2f ms, p99 %.2f ms, server CPU %.2f s = %.1f us per metric,"
                            + " redis CPU %.2f s = %.1f us per metric",
                    scenario, setup, perSecond(), refused, p50Micros / 1000.0, p99Micros / 1000.0,
                    serverCpuSeconds, microsPerMetric(serverCpuSeconds), redisCpuSeconds,
                    microsPerMetric(redisCpuSeconds));
        }

        /** The row format of scripts/bench-system1.sh; the drain columns belong to the wrk rows. */
        void appendCsv(Path file) throws IOException {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER);
            }
            Files.writeString(file, String.format(Locale.ROOT,
                    "%s,%s,%.0f,%.3f,%.3f,%.3f,%.2f,%.3f,%.2f,,,%d%n",
                    scenario, setup.replace(',', ' '), perSecond(),
                    p50Micros / 1000.0, p99Micros / 1000.0,
                    serverCpuSeconds, microsPerMetric(serverCpuSeconds), redisCpuSeconds,
                    microsPerMetric(redisCpuSeconds), refused), StandardOpenOption.APPEND);
        }
    }

    static final String HEADER = "scenario,setup,per_second,p50_ms,p99_ms,server_cpu_s,"
            + "server_us_per_metric,redis_cpu_s,redis_us_per_metric,lag_drain_ms,pending_drain_ms,"
            + "non_2xx\n";

    private Result run() throws IOException, InterruptedException {
        String protocol = option("protocol", "h1");
        boolean h2 = switch (protocol) {
            case "h1" -> false;
            case "h2" -> true;
            default -> throw new IllegalArgumentException(
                    "--protocol must be h1 or h2, got " + protocol);
        };
        InetSocketAddress address = new InetSocketAddress(option("host", "127.0.0.1"),
                positive("port", h2 ? "4001" : "4000"));
        String path = option("path", "/metrics");
        int connections = positive("connections", h2 ? "10" : "50");
        int streams = positive("streams", "10");
        int rate = positive("rate", "5000");
        int seconds = positive("seconds", "10");
        int warmup = Integer.parseInt(option("warmup", "2"));
        long serverPid = Long.parseLong(option("server-pid", "-1"));
        long redisPid = Long.parseLong(option("redis-pid", "-1"));
        int clockTicks = positive("clk-tck", "100");

        List<BenchConnection> open = new ArrayList<>();
        List<PacedRequests> all = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) { // connected before the clock starts
                open.add(h2 ? Http2BenchConnection.connect(address, path, streams)
                        : Http1BenchConnection.connect(address, path));
            }
            long start = System.nanoTime() + 50_000_000L; // every connection started by then
            long measureFrom = start + warmup * 1_000_000_000L;
            long measureTo = measureFrom + seconds * 1_000_000_000L;
            double interval = 1e9 * connections / rate;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                // Connections are offset by a fraction of the interval so sends spread evenly.
                long first = start + (long) (interval * c / connections);
                PacedRequests requests = new PacedRequests("bench-" + c, first, interval,
                        measureFrom, measureTo);
                all.add(requests);
                threads.add(open.get(c).start(requests));
            }
            double[] before = awaitAndReadCpu(measureFrom, serverPid, redisPid, clockTicks);
            // Answers to requests planned just before the end still count: wait for them briefly.
            double[] after =
                    awaitAndReadCpu(measureTo + 200_000_000L, serverPid, redisPid, clockTicks);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(2)); // a connection that lingers is closed below
            }
            open.forEach(BenchConnection::close); // what is still unanswered counts as refused
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(2)); // makes its samples visible
            }
            LatencyHistogram latencies = new LatencyHistogram();
            long accepted = 0;
            long refused = 0;
            for (PacedRequests requests : all) {
                latencies.add(requests.latencies());
                accepted += requests.accepted();
                refused += requests.refused();
            }
            String setup = h2
                    ? "h2 " + connections + " connections x " + streams + " streams, "
                            + rate + "/s offered"
                    : connections + " connections, " + rate + "/s offered";
            return new Result(h2 ? "rate-h2" : "rate", setup, accepted, refused, seconds,
                    latencies.percentile(50), latencies.percentile(99),
                    after[0] - before[0], after[1] - before[1]);
        } finally {
            open.forEach(BenchConnection::close);
        }
    }

    private static double[] awaitAndReadCpu(long atNanos, long serverPid, long redisPid,
                                            int clockTicks) throws InterruptedException {
        long wait = atNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return new double[] {
            serverPid > 0 ? ProcessCpu.seconds(serverPid, clockTicks) : Double.NaN,
            redisPid > 0 ? ProcessCpu.seconds(redisPid, clockTicks) : Double.NaN,
        };
    }
}
