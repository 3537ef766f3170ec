package analytics.loadtest;

import analytics.loadtest.measure.LatencyHistogram;
import analytics.loadtest.measure.ProcessCpu;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load for System 2 over WebSocket, in three scenarios, reporting throughput, latency
 * percentiles and the server's own CPU per unit of work:
 * <ul>
 *   <li>{@code ingest}: N producers, at most W unacknowledged metrics each (closed loop);</li>
 *   <li>{@code rate}: N producers offering R metrics/s in total on a fixed schedule (open
 *       loop: latency counts from the planned send time, so a stall is not hidden);</li>
 *   <li>{@code fanout}: D dashboards plus producers offering R metrics/s; delay is from a
 *       metric's timestamp to its arrival at a dashboard, reported per second too.</li>
 * </ul>
 *
 * Pattern: open-loop vs closed-loop load generation; avoiding coordinated omission.
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Threads: two virtual threads per connection (writer, reader).
 */
public final class System2Bench {

    private final Map<String, String> options;
    private final URI url;
    private final int seconds;
    private final int warmupSeconds;
    private final long serverPid;
    private final int clockTicks;

    private System2Bench(Map<String, String> options) {
        this.options = options;
        this.url = URI.create(option("url", "ws://127.0.0.1:4100"));
        this.seconds = Integer.parseInt(option("seconds", "10"));
        this.warmupSeconds = Integer.parseInt(option("warmup", "2"));
        this.serverPid = Long.parseLong(option("server-pid", "-1"));
        this.clockTicks = Integer.parseInt(option("clk-tck", "100"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        System2Bench bench = new System2Bench(options);
        String scenario = bench.option("scenario", "ingest");
        Result result = switch (scenario) {
            case "ingest" -> bench.producers(Integer.parseInt(bench.option("connections", "50")),
                    Integer.parseInt(bench.option("window", "100")), 0);
            case "rate" -> bench.producers(Integer.parseInt(bench.option("connections", "50")),
                    0, Integer.parseInt(bench.option("rate", "10000")));
            case "fanout" -> bench.fanout(Integer.parseInt(bench.option("dashboards", "200")),
                    Integer.parseInt(bench.option("connections", "10")),
                    Integer.parseInt(bench.option("rate", "500")));
            default -> {
                usage("unknown scenario " + scenario);
                yield null;
            }
        };
        System.out.println(result.describe());
        String csv = bench.option("csv", "");
        if (!csv.isEmpty()) {
            result.appendCsv(Path.of(csv));
        }
        System.exit(0); // reader threads block in socket reads; end them all
    }

    private static void usage(String problem) {
        System.err.println("System2Bench: " + problem + "\nusage: --scenario ingest|rate|fanout [--url ws://127.0.0.1:4100]"
                + " [--connections N] [--window W] [--rate R] [--dashboards D] [--seconds S] [--warmup S]"
                + " [--server-pid PID] [--clk-tck 100] [--csv FILE]");
        System.exit(2);
    }

    private String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    /** One measured run. {@code unit} is what was counted: "ack" or "update". */
    record Result(String scenario, String setup, String unit, long count, double seconds,
                  long p50Micros, long p99Micros, double serverCpuSeconds, List<Long> p99PerSecondMicros) {

        double perSecond() {
            return count / seconds;
        }

        double cpuMicrosPerUnit() {
            return count == 0 ? Double.NaN : serverCpuSeconds * 1e6 / count;
        }

        String describe() {
            return String.format(Locale.ROOT,
                    "%s (%s): %.0f %s/s, latency p50 %.2f ms, p99 %.2f ms, server CPU %.2f s = %.2f us per %s%s",
                    scenario, setup, perSecond(), unit, p50Micros / 1000.0, p99Micros / 1000.0,
                    serverCpuSeconds, cpuMicrosPerUnit(), unit,
                    p99PerSecondMicros.isEmpty() ? "" : "\n  p99 per second (ms): "
                            + p99PerSecondMicros.stream().map(v -> String.format(Locale.ROOT, "%.1f", v / 1000.0)).toList());
        }

        void appendCsv(Path file) throws IOException {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, "scenario,setup,unit,per_second,p50_ms,p99_ms,server_cpu_s,cpu_us_per_unit\n");
            }
            Files.writeString(file, String.format(Locale.ROOT, "%s,%s,%s,%.0f,%.3f,%.3f,%.3f,%.3f%n",
                    scenario, setup.replace(',', ' '), unit, perSecond(), p50Micros / 1000.0, p99Micros / 1000.0,
                    serverCpuSeconds, cpuMicrosPerUnit()), StandardOpenOption.APPEND);
        }
    }

    /** Closed loop (window > 0) or open loop at {@code rate} metrics/s in total. */
    private Result producers(int connections, int window, int rate) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmupSeconds * 1_000_000_000L;
        long measureTo = measureFrom + seconds * 1_000_000_000L;
        AtomicLong acksInWindow = new AtomicLong();
        List<LatencyHistogram> recorders = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            BenchWebSocketClient client = BenchWebSocketClient.connect(url);
            LatencyHistogram recorder = new LatencyHistogram();
            recorders.add(recorder);
            // Acks come back in send order on one connection, so a ring of send times suffices.
            long[] sentAt = new long[1 << 16];
            Semaphore permits = window > 0 ? new Semaphore(window) : null; // null: open loop
            long[] acked = {0};
            Thread.ofVirtual().start(() -> readQuietly(client, text -> {
                if (!text.contains("\"metric.ack\"")) {
                    return;
                }
                long now = System.nanoTime();
                long planned = sentAt[(int) (acked[0]++ & 0xFFFF)];
                if (permits != null) {
                    permits.release();
                }
                if (now >= measureFrom && now < measureTo) {
                    recorder.record((now - planned) / 1000);
                    acksInWindow.incrementAndGet();
                }
            }));
            String serverId = "bench-" + c;
            double interval = rate > 0 ? 1e9 * connections / rate : 0;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    long seq = 0;
                    while (System.nanoTime() < measureTo) {
                        long planned;
                        if (rate > 0) {
                            planned = start + (long) (seq * interval);
                            long wait = planned - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        } else {
                            if (!permits.tryAcquire()) {
                                client.flush();
                                permits.acquire();
                            }
                            planned = System.nanoTime();
                        }
                        sentAt[(int) (seq & 0xFFFF)] = planned;
                        client.send(metricJson(serverId, seq), rate > 0);
                        seq++;
                    }
                    client.flush();
                } catch (IOException | InterruptedException e) {
                    System.err.println("writer stopped: " + e);
                }
            }));
        }
        double cpuBefore = awaitAndReadCpu(measureFrom);
        double cpuAfter = awaitAndReadCpu(measureTo);
        LatencyHistogram all = new LatencyHistogram();
        recorders.forEach(all::add);
        String setup = connections + " connections, " + (rate > 0 ? rate + "/s offered" : "window " + window);
        return new Result(rate > 0 ? "rate" : "ingest", setup, "ack", acksInWindow.get(), seconds,
                all.percentile(50), all.percentile(99), cpuAfter - cpuBefore, List.of());
    }

    private Result fanout(int dashboards, int producers, int rate) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmupSeconds * 1_000_000_000L;
        long measureTo = measureFrom + seconds * 1_000_000_000L;
        AtomicLong delivered = new AtomicLong();
        List<LatencyHistogram> perSecond = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            perSecond.add(new LatencyHistogram());
        }
        for (int d = 0; d < dashboards; d++) {
            BenchWebSocketClient dashboard = BenchWebSocketClient.connect(url);
            dashboard.send("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null}", true);
            Thread.ofVirtual().start(() -> readQuietly(dashboard, text -> {
                if (!text.startsWith("{\"type\":\"metric.update\"")) {
                    return;
                }
                long nowNanos = System.nanoTime();
                if (nowNanos < measureFrom || nowNanos >= measureTo) {
                    return;
                }
                // Wall clock against wall clock: a clock step back would make it negative.
                long delayMicros =
                        Math.max(0, (System.currentTimeMillis() - timestampOf(text)) * 1000);
                // Dashboards record into the same second at once: the histogram takes it.
                int second = (int) ((nowNanos - measureFrom) / 1_000_000_000L);
                perSecond.get(second).record(delayMicros);
                delivered.incrementAndGet();
            }));
        }
        for (int p = 0; p < producers; p++) {
            BenchWebSocketClient producer = BenchWebSocketClient.connect(url);
            Thread.ofVirtual().start(() -> readQuietly(producer, text -> { }));
            String serverId = "fanout-" + p;
            double interval = 1e9 * producers / rate;
            Thread.ofVirtual().start(() -> {
                try {
                    for (long seq = 0; System.nanoTime() < measureTo; seq++) {
                        long wait = start + (long) (seq * interval) - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        producer.send(metricJson(serverId, seq), true);
                    }
                } catch (IOException e) {
                    System.err.println("producer stopped: " + e);
                }
            });
        }
        double cpuBefore = awaitAndReadCpu(measureFrom);
        double cpuAfter = awaitAndReadCpu(measureTo);
        LatencyHistogram all = new LatencyHistogram();
        List<Long> p99s = new ArrayList<>();
        for (LatencyHistogram second : perSecond) {
            all.add(second);
            p99s.add(second.percentile(99));
        }
        String setup = dashboards + " dashboards, " + producers + " producers, " + rate + "/s offered";
        return new Result("fanout", setup, "update", delivered.get(), seconds,
                all.percentile(50), all.percentile(99), cpuAfter - cpuBefore, p99s);
    }

    private double awaitAndReadCpu(long atNanos) throws InterruptedException {
        long wait = atNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return serverPid > 0 ? ProcessCpu.seconds(serverPid, clockTicks) : Double.NaN;
    }

    private static String metricJson(String serverId, long seq) {
        double wave = (seq % 100) / 100.0;
        return "{\"type\":\"metric\",\"id\":" + seq + ",\"serverId\":\"" + serverId + "\",\"timestamp\":"
                + System.currentTimeMillis() + ",\"metrics\":{\"cpu\":" + (20 + 60 * wave)
                + ",\"memory\":" + (40 + 20 * wave) + ",\"disk\":70.5,\"network\":{\"in\":" + (seq % 1000)
                + ",\"out\":" + (seq % 700) + "}}}";
    }

    /** The payload's "timestamp" number, found without a JSON parser (the reader must be cheap). */
    static long timestampOf(String update) {
        int at = update.indexOf("\"timestamp\":") + "\"timestamp\":".length();
        long value = 0;
        for (int i = at; i < update.length() && Character.isDigit(update.charAt(i)); i++) {
            value = value * 10 + (update.charAt(i) - '0');
        }
        return value;
    }

    private static void readQuietly(BenchWebSocketClient client, java.util.function.Consumer<String> onText) {
        try {
            client.readLoop(onText);
        } catch (IOException e) {
            // the run ended or the server closed the connection
        }
    }
}
