package analytics.faults;

import analytics.demo.PrivateRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fault campaign: each scenario on a fresh rig of real processes (a private Redis, the
 * systems' programs in JVMs of their own, loopback ports nobody else uses), a fault injected
 * with SIGKILL, and the invariants checked after recovery. Prints each scenario's figures,
 * writes them to results/faults-&lt;time&gt;.md, and exits 1 when any invariant broke.
 * {@code make faults} (scripts/faults.sh) runs it; {@code --help} lists the options.
 *
 * Pattern: chaos testing in miniature - break a real deployment on purpose, in a bounded
 *          and repeatable way, and check what the design promises rather than "it still runs".
 * Lesson:  lessons/20-faults-and-floods.md
 * Threads: main runs the scenarios one after another; Ctrl-C ends the campaign, and the
 *          children stop by themselves (they watch this pid; Redis has a parent-death signal).
 */
public final class FaultCampaignMain {

    static final int EXIT_USAGE = 64;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private static final List<Scenario> SCENARIOS = List.of(
            new RedisKill(), new WorkerKills(), new BroadcasterRestart(), new System2Restart(),
            new DemoKills(), new Slowloris(), new IdleThousands(), new Overload(),
            new NeverReadingDashboards());

    private FaultCampaignMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("faults: " + e.getMessage() + " (--help lists the options)");
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.containsKey("help")) {
            System.out.println(help());
            return;
        }
        Optional<Path> redis = PrivateRedis.findExecutable();
        if (redis.isEmpty()) {
            System.err.println("faults: redis-server is not installed (sudo apt-get install redis-server)");
            System.exit(EXIT_USAGE);
            return;
        }
        Pace pace;
        List<Scenario> chosen;
        try {
            pace = pace(options);
            chosen = chosen(options.getOrDefault("only", ""));
        } catch (IllegalArgumentException e) {
            System.err.println("faults: " + e.getMessage() + " (--help lists the options)");
            System.exit(EXIT_USAGE);
            return;
        }
        String stamp = LocalDateTime.now().format(STAMP);
        List<Findings> all = new ArrayList<>();
        for (Scenario scenario : chosen) {
            System.out.println("== " + scenario.name() + ": " + scenario.description());
            Findings findings = new Findings(scenario.name());
            long began = System.nanoTime();
            try (Rig rig = new Rig(Path.of("run", "faults", stamp, scenario.name()), redis.get())) {
                scenario.run(rig, pace, findings);
            } catch (Exception e) {
                findings.require(false, "the scenario itself failed: %s", e);
            }
            findings.figure("took %d s; logs in run/faults/%s/%s/", (System.nanoTime() - began) / 1_000_000_000,
                    stamp, scenario.name());
            print(findings);
            all.add(findings);
        }
        Path report = write(stamp, pace, all);
        long failed = all.stream().filter(f -> !f.passed()).count();
        System.out.printf("%n%d of %d scenarios held every invariant; report: %s%n",
                all.size() - failed, all.size(), report);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void print(Findings findings) {
        findings.figures().forEach(line -> System.out.println("   " + line));
        findings.failures().forEach(line -> System.out.println("   FAILED: " + line));
        System.out.println(findings.passed() ? "   held" : "   BROKEN");
    }

    /** The report, in Markdown, beside the load driver's CSVs. */
    private static Path write(String stamp, Pace pace, List<Findings> all) throws IOException {
        StringBuilder text = new StringBuilder("# Fault campaign " + stamp + "\n\n")
                .append("Pace: steady %d s, down %d s, %d worker kills every %d s, %d metrics/s per transport.%n%n"
                        .formatted(pace.steady().toSeconds(), pace.down().toSeconds(), pace.workerKills(),
                                pace.killEvery().toSeconds(), pace.rate()));
        for (Findings findings : all) {
            text.append("## ").append(findings.scenario()).append(findings.passed() ? " - held\n\n" : " - BROKEN\n\n");
            findings.figures().forEach(line -> text.append("- ").append(line).append('\n'));
            findings.failures().forEach(line -> text.append("- **failed:** ").append(line).append('\n'));
            text.append('\n');
        }
        Path report = Path.of("results", "faults-" + stamp + ".md");
        Files.createDirectories(report.getParent());
        return Files.writeString(report, text);
    }

    /** --name value pairs, and --help; anything else is refused. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> known = List.of("only", "steady", "down", "kills", "kill-every", "rate", "overload");
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (name.equals("help")) {
                options.put("help", "");
            } else if (known.contains(name) && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(known.contains(name)
                        ? args[i] + " needs a value" : "unknown option " + args[i]);
            }
        }
        return options;
    }

    static Pace pace(Map<String, String> options) {
        Pace d = Pace.DEFAULT;
        return new Pace(
                Duration.ofSeconds(number(options, "steady", d.steady().toSeconds(), 1, 3_600)),
                Duration.ofSeconds(number(options, "down", d.down().toSeconds(), 0, 600)),
                (int) number(options, "kills", d.workerKills(), 1, 1_000),
                Duration.ofSeconds(number(options, "kill-every", d.killEvery().toSeconds(), 1, 600)),
                (int) number(options, "rate", d.rate(), 1, 5_000),
                Duration.ofSeconds(number(options, "overload", d.overload().toSeconds(), 1, 600)));
    }

    private static long number(Map<String, String> options, String name, long fallback, long min, long max) {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, in the same words
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to "
                + max + ", not '" + text + "'");
    }

    static List<Scenario> chosen(String only) {
        if (only.isBlank()) {
            return SCENARIOS;
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String name : only.split(",")) {
            chosen.add(SCENARIOS.stream().filter(s -> s.name().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario '" + name.strip()
                            + "'; there are " + names())));
        }
        return chosen;
    }

    private static String names() {
        return String.join(", ", SCENARIOS.stream().map(Scenario::name).toList());
    }

    private static String help() {
        StringBuilder text = new StringBuilder("""
                make faults [ARGS="..."]   (scripts/faults.sh ...)

                Kills parts of both systems with SIGKILL under load, on private processes and
                loopback ports, and checks what must hold afterwards. Options:
                  --only a,b        run only these scenarios (default: all)
                  --steady S        seconds of load before a fault and after recovery (default %d)
                  --down S          seconds a killed part stays dead (default %d)
                  --kills N         worker-kills: how many kills (default %d)
                  --kill-every S    worker-kills: seconds between kills (default %d)
                  --rate N          metrics per second per transport (default %d)
                  --overload S      overload: seconds past capacity on each transport (default %d)
                Scenarios:
                """.formatted(Pace.DEFAULT.steady().toSeconds(), Pace.DEFAULT.down().toSeconds(),
                Pace.DEFAULT.workerKills(), Pace.DEFAULT.killEvery().toSeconds(), Pace.DEFAULT.rate(),
                Pace.DEFAULT.overload().toSeconds()));
        SCENARIOS.forEach(s -> text.append("  %-20s %s%n".formatted(s.name(), s.description())));
        return text.toString();
    }
}
