package analytics.loadtest.driver;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * The run command's options, parsed once: how many connections each scenario uses, the
 * load model, where the CSV goes and whose CPU to read. A bad option is refused with one
 * line naming it (the caller exits 64, EX_USAGE). Targets, levels and durations are
 * settings (LOAD_TEST_*), not options, so .env and the contract govern them.
 *
 * Pattern: parse, don't validate - the driver only ever sees checked values.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: immutable.
 */
record DriverOptions(Path csv, Model model, List<Integer> inFlight, int http1Connections,
                     int http2Connections, int http2Streams, int wsConnections, int dashboards,
                     int servers, Duration timeout, List<Long> system1Pids, List<Long> system2Pids) {

    enum Model { OPEN, CLOSED }

    static final String USAGE = """
            usage: LoadDriverMain run [options]     (targets, levels, durations: LOAD_TEST_* settings)
              --csv FILE               the run's CSV (default results/loadtest-<date>-<time>.csv)
              --model open|closed      open: constant arrival rate per level (default);
                                       closed: N in flight as fast as the server goes
              --in-flight N[,N...]     closed model: metrics in flight, one level each (64)
              --http1-connections N    http1 and fanout-system1: keep-alive connections (64)
              --http2-connections N    http2: HTTP/2 connections (4)
              --http2-streams N        http2: streams in flight per connection (64)
              --ws-connections N       ws and fanout-system2: producer WebSockets (50)
              --dashboards N           fanout: dashboards watching each system (100)
              --servers N              simulated servers the metrics come from (1000)
              --timeout-ms N           a metric unanswered this long is a timeout (10000)
              --system1-pids P[,P...]  System 1's JVM and Redis: CPU per metric from /proc
              --system2-pids P         System 2's JVM
            LoadDriverMain compare FILE.csv   the side-by-side comparison of one run""";

    static DriverOptions parse(List<String> args) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path csv = Path.of("results", "loadtest-" + stamp + ".csv");
        Model model = Model.OPEN;
        List<Integer> inFlight = List.of(64);
        int http1 = 64;
        int http2 = 4;
        int streams = 64;
        int ws = 50;
        int dashboards = 100;
        int servers = 1000;
        Duration timeout = Duration.ofSeconds(10);
        List<Long> system1Pids = List.of();
        List<Long> system2Pids = List.of();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException(name.startsWith("--")
                        ? name + " needs a value" : "unexpected argument " + name);
            }
            String value = args.get(i + 1);
            switch (name) {
                case "--csv" -> csv = Path.of(value);
                case "--model" -> model = switch (value) {
                    case "open" -> Model.OPEN;
                    case "closed" -> Model.CLOSED;
                    default -> throw new IllegalArgumentException("--model must be open or closed, got \"" + value + "\"");
                };
                case "--in-flight" -> inFlight = numbers(name, value, 1, 100_000).stream()
                        .map(Long::intValue).toList();
                case "--http1-connections" -> http1 = number(name, value, 1, 10_000);
                case "--http2-connections" -> http2 = number(name, value, 1, 1_000);
                case "--http2-streams" -> streams = number(name, value, 1, 10_000);
                case "--ws-connections" -> ws = number(name, value, 1, 10_000);
                case "--dashboards" -> dashboards = number(name, value, 0, 10_000);
                case "--servers" -> servers = number(name, value, 1, 1_000_000);
                case "--timeout-ms" -> timeout = Duration.ofMillis(number(name, value, 1, 600_000));
                case "--system1-pids" -> system1Pids = numbers(name, value, 1, Long.MAX_VALUE);
                case "--system2-pids" -> system2Pids = numbers(name, value, 1, Long.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new DriverOptions(csv, model, inFlight, http1, http2, streams, ws, dashboards,
                servers, timeout, system1Pids, system2Pids);
    }

    private static int number(String name, String value, int min, int max) {
        return Math.toIntExact(single(name, value, value, min, max));
    }

    private static List<Long> numbers(String name, String value, long min, long max) {
        return Arrays.stream(value.split(",", -1))
                .map(item -> single(name, item.strip(), value, min, max))
                .toList();
    }

    private static long single(String name, String item, String value, long min, long max) {
        try {
            long n = Long.parseLong(item);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // the one message below names the rule
        }
        throw new IllegalArgumentException(name + " must be " + (max == Long.MAX_VALUE
                ? "a list of process ids" : "a whole number from " + min + " to " + max)
                + ", got \"" + value + "\"");
    }
}
