package analytics.loadtest.driver;

import analytics.config.Config;
import analytics.loadtest.measure.DueTime;
import analytics.loadtest.measure.LatencyHistogram;
import analytics.loadtest.report.LevelResult;
import analytics.loadtest.report.ResultsCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A whole load run: each scenario at each level, one CSV row appended as each level ends
 * (so a run stopped half-way keeps what it measured), and one summary line per level.
 *
 * <pre>
 *   http1            HTTP/1.1 POSTs into System 1            latency: scheduled send → 202
 *   http2            HTTP/2 (h2c) POSTs into System 1        latency: scheduled send → 202
 *   ws               WebSocket metrics into System 2         latency: scheduled send → its ack
 *   fanout-system1   http1's load, plus N dashboards on System 1's broadcaster
 *   fanout-system2   ws's load, plus N dashboards on System 2   delay: timestamp → dashboard
 * </pre>
 *
 * Pattern: an experiment as data - scenarios × levels, every row a LevelResult.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: the schedule (OpenLoad, ClosedLoad); the wire (MetricSender); the CSV format
 *           and the comparison (analytics.loadtest.report).
 * Threads: the caller's, one level at a time.
 */
final class LoadDriver {

    /** Scenarios whose rows describe dashboards, and which system they watch. */
    private record Fanout(DashboardFleet.Kind kind, URI target) {
    }

    /** How long a system may take to settle after a level before the run gives up on it. */
    private static final Duration SETTLE_PATIENCE = Duration.ofMinutes(3);

    private final Config.LoadTest settings;
    private final DriverOptions options;
    private final PrintStream out;
    private final MetricPayload payload;
    private final AtomicLong seqs = new AtomicLong();
    private final List<LevelResult> results = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final Recovery recovery;

    LoadDriver(Config.LoadTest settings, DriverOptions options, PrintStream out) {
        this.settings = settings;
        this.options = options;
        this.out = out;
        this.payload = new MetricPayload(options.servers());
        this.recovery = new Recovery(out, SETTLE_PATIENCE);
    }

    /**
     * Runs every scenario; returns the rows it also appended to the CSV. A scenario that
     * cannot start (its system does not answer, or did not settle) is skipped and named in
     * {@link #skipped()}: the others still run.
     */
    List<LevelResult> run() throws IOException, InterruptedException {
        for (String scenario : settings.scenarios()) {
            switch (scenario) {
                case "http1" -> attempt("http1", this::http1, options.system1Pids(), null);
                case "http2" -> attempt("http2", () -> new HttpMetricSender(settings.http2Target(),
                        HttpClient.Version.HTTP_2, options.http2Connections(), options.http2Streams(),
                        payload, options.timeout()), options.system1Pids(), null);
                case "ws" -> attempt("ws", this::webSocket, options.system2Pids(), null);
                case "fanout" -> {
                    attempt("fanout-system1", this::http1, options.system1Pids(),
                            new Fanout(DashboardFleet.Kind.SYSTEM1, settings.system1WsTarget()));
                    attempt("fanout-system2", this::webSocket, options.system2Pids(),
                            new Fanout(DashboardFleet.Kind.SYSTEM2, settings.wsTarget()));
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
        return List.copyOf(results);
    }

    /** "scenario: why" for every scenario that could not run. */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    private void attempt(String scenario, Supplier<MetricSender> sender, List<Long> serverPids, Fanout fanout)
            throws IOException, InterruptedException {
        try {
            measure(scenario, sender.get(), serverPids, fanout);
        } catch (IOException e) {
            skipped.add(scenario + ": " + e.getMessage());
            out.println(scenario + ": skipped - " + e.getMessage());
        }
    }

    private MetricSender http1() {
        return new HttpMetricSender(settings.httpTarget(), HttpClient.Version.HTTP_1_1,
                options.http1Connections(), 1, payload, options.timeout());
    }

    private MetricSender webSocket() {
        return new WebSocketMetricSender(settings.wsTarget(), options.wsConnections(), payload, options.timeout());
    }

    /** One scenario at every level, on one set of connections kept warm between levels. */
    private void measure(String scenario, MetricSender sender, List<Long> serverPids, Fanout fanout)
            throws IOException, InterruptedException {
        List<Integer> levels = options.model() == DriverOptions.Model.OPEN ? settings.levels() : options.inFlight();
        URI ingest = switch (scenario) {
            case "http1", "fanout-system1" -> settings.httpTarget();
            case "http2" -> settings.http2Target();
            default -> settings.wsTarget();
        };
        String system = ingest.equals(settings.wsTarget()) ? "System 2" : "System 1";
        recovery.awaitSettled(system, ingest);
        try (sender; DashboardFleet fleet = fanout == null ? null : DashboardFleet.connect(
                fanout.kind(), fanout.target(), options.dashboards(), options.timeout())) {
            sender.open();
            out.printf(Locale.ROOT, "%s: %s over %d connection(s)%s, levels %s (%s model)%n", scenario,
                    sender.transport(), sender.connections(),
                    fleet == null ? "" : ", " + fleet.size() + " dashboards", levels,
                    options.model().name().toLowerCase(Locale.ROOT));
            for (int level : levels) {
                recovery.awaitSettled(system, ingest);
                Measured measured = level(scenario, sender, level, serverPids, fleet);
                results.add(measured.result());
                ResultsCsv.append(options.csv(), measured.result());
                out.println(summary(measured.result()));
                measured.firstErrors().forEach((kind, detail) -> out.println("  first " + kind + " error: " + detail));
            }
        }
    }

    /** A level's row, and the first words of each kind of error, for the person watching. */
    private record Measured(LevelResult result, SortedMap<String, String> firstErrors) {
    }

    private Measured level(String scenario, MetricSender sender, int level, List<Long> serverPids,
                              DashboardFleet fleet) throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureFrom = start + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.durationPerLevel().toNanos();
        LevelMeter meter = new LevelMeter(measureFrom, measureTo);
        GeneratorWatch watch = new GeneratorWatch(meter);
        CpuWindow serverCpu = CpuWindow.watch(serverPids, measureFrom, measureTo);
        if (fleet != null) {
            fleet.countBetween(wallMillis(measureFrom), wallMillis(measureTo));
        }
        boolean open = options.model() == DriverOptions.Model.OPEN;
        String label = String.format(Locale.ROOT, open ? "%s @ %d/s" : "%s @ %d in flight", scenario, level);
        ProgressLine progress = ProgressLine.start(label, meter, open ? watch : null, start, out);
        try {
            if (open) {
                OpenLoad.run(sender, level, start, measureTo, options.timeout(), seqs, meter, watch);
            } else {
                DueTime.await(start);
                ClosedLoad.run(sender, level, measureTo, options.timeout(), seqs, meter);
            }
        } finally {
            progress.stop();
        }
        if (fleet != null) {
            fleet.awaitQuiet();
        }
        double seconds = meter.windowSeconds();
        long ok = meter.acceptedInWindow();
        LatencyHistogram latencies = fleet == null ? meter.latencies() : fleet.delays();
        double cpu = serverCpu.seconds();
        LevelResult result = new LevelResult(scenario, sender.transport(), open ? "open" : "closed", level,
                sender.connections(), seconds, open ? level : Double.NaN, ok / seconds, ok,
                ms(latencies, 50), ms(latencies, 90), ms(latencies, 99), ms(latencies, 99.9),
                latencies.max() / 1000.0, meter.errorsByKind(),
                open ? watch.lagP99Ms() : Double.NaN, open ? watch.lagMaxMs() : Double.NaN,
                watch.cpuPercent(), watch.saturated(),
                ok == 0 ? Double.NaN : cpu * 1e6 / ok,
                fleet == null ? Double.NaN : fleet.deliveries() / seconds);
        return new Measured(result, meter.firstDetails());
    }

    private static double ms(LatencyHistogram histogram, double percentile) {
        return histogram.count() == 0 ? Double.NaN : histogram.percentile(percentile) / 1000.0;
    }

    private static long wallMillis(long nanos) {
        return System.currentTimeMillis() + (nanos - System.nanoTime()) / 1_000_000;
    }

    static String summary(LevelResult r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "%s @ %d%s: %.1f/s accepted, %s p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f ms, %d errors%s",
                r.scenario(), r.level(), r.model().equals("open") ? "/s" : " in flight",
                r.achievedPerSecond(), r.scenario().startsWith("fanout") ? "dashboard delay" : "latency",
                r.p50Ms(), r.p90Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.errors(),
                r.errorsByKind().isEmpty() ? "" : " " + r.errorsByKind()));
        if (!Double.isNaN(r.deliveriesPerSecond())) {
            line.append(String.format(Locale.ROOT, ", %.0f deliveries/s", r.deliveriesPerSecond()));
        }
        if (!Double.isNaN(r.serverCpuMicrosPerMetric())) {
            line.append(String.format(Locale.ROOT, ", server %.0f us CPU/metric", r.serverCpuMicrosPerMetric()));
        }
        line.append(String.format(Locale.ROOT, ", driver %.0f%% CPU", r.generatorCpuPercent()));
        if (r.generatorSaturated()) {
            line.append("\n  ! the driver could not keep up (lag or CPU): these latencies describe the"
                    + " driver as much as the server - fewer levels, or a second machine, next time");
        }
        return line.toString();
    }
}
