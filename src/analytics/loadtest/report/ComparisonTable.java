package analytics.loadtest.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's rows side by side: one row per load level, one column per scenario, and the
 * judgement a reader wants from it - which transport had the lowest p99 at each level,
 * counting only results that are fair to compare. The Markdown, CSV and HTML renderings
 * all read this one model, so they cannot disagree.
 *
 * Pattern: one model, several views; a verdict that states its own conditions.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: file formats (Comparison writes CSV and Markdown, ComparisonPage the HTML).
 * Threads: immutable once built.
 */
final class ComparisonTable {

    /** Marks a cell whose generator saturated: its latencies describe the driver. */
    static final String SATURATED_MARK = "†";
    /** Marks a cell with errors: its percentiles cover only the metrics that got through. */
    static final String ERRORS_MARK = "‡";

    static final String OPEN_MODEL = "open";

    /**
     * The transports first, in the order the lessons compare them, then fan-out; a
     * scenario the driver adds later goes after these, by name.
     */
    private static final Map<String, String> TITLES = orderedTitles();

    private static Map<String, String> orderedTitles() {
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("http1", "HTTP/1.1");
        titles.put("http2", "HTTP/2");
        titles.put("ws", "WebSocket");
        titles.put("fanout-system1", "Fan-out System 1");
        titles.put("fanout-system2", "Fan-out System 2");
        return titles;
    }

    /** A table row: the offered rate (open model) or the metrics in flight (closed). */
    record Level(String model, int level) {
        static final Comparator<Level> ORDER = Comparator
                .comparing((Level l) -> !l.model().equals(OPEN_MODEL))
                .thenComparing(Level::model)
                .thenComparingInt(Level::level);

        String label() {
            String count = String.format(Locale.ROOT, "%,d", level);
            return model.equals(OPEN_MODEL) ? count + "/s" : count + " in flight (" + model + ")";
        }
    }

    /** A table column: one scenario. Fan-out measures delivery, so it never "wins" a level. */
    record Column(String scenario, String title) {
        boolean isTransport() {
            return !scenario.startsWith("fanout");
        }
    }

    private final List<Level> levels;
    private final List<Column> columns;
    private final Map<Level, Map<String, LevelResult>> cells;

    private ComparisonTable(List<Level> levels, List<Column> columns, Map<Level, Map<String, LevelResult>> cells) {
        this.levels = levels;
        this.columns = columns;
        this.cells = cells;
    }

    /** When a scenario was measured twice at one level (a rerun appended), the later row counts. */
    static ComparisonTable of(List<LevelResult> rows) {
        Map<Level, Map<String, LevelResult>> cells = new TreeMap<>(Level.ORDER);
        TreeSet<String> others = new TreeSet<>();
        for (LevelResult row : rows) {
            cells.computeIfAbsent(new Level(row.model(), row.level()), l -> new LinkedHashMap<>())
                    .put(row.scenario(), row);
            if (!TITLES.containsKey(row.scenario())) {
                others.add(row.scenario());
            }
        }
        List<Column> columns = new ArrayList<>();
        for (var known : TITLES.entrySet()) {
            if (rows.stream().anyMatch(r -> r.scenario().equals(known.getKey()))) {
                columns.add(new Column(known.getKey(), known.getValue()));
            }
        }
        others.forEach(scenario -> columns.add(new Column(scenario, title(scenario))));
        return new ComparisonTable(List.copyOf(cells.keySet()), List.copyOf(columns), cells);
    }

    List<Level> levels() {
        return levels;
    }

    List<Column> columns() {
        return columns;
    }

    Optional<LevelResult> cell(Level level, Column column) {
        return Optional.ofNullable(cells.get(level).get(column.scenario()));
    }

    /** What the schedule asked for at this level: the same for every scenario of an open level. */
    double offeredPerSecond(Level level) {
        return cells.get(level).values().stream().mapToDouble(LevelResult::offeredPerSecond)
                .filter(v -> !Double.isNaN(v)).findFirst().orElse(Double.NaN);
    }

    // --- the verdict --------------------------------------------------------------------------

    /**
     * Only a result without errors and with a generator that kept up says something about
     * the server: a saturated driver measures itself, and errors leave out exactly the
     * requests that went worst.
     */
    static boolean isFair(LevelResult r) {
        return r.errors() == 0 && !r.generatorSaturated() && r.ok() > 0 && !Double.isNaN(r.p99Ms());
    }

    /** The transport with the lowest p99 among the fair ones at this level, if any is fair. */
    Optional<Column> lowestP99(Level level) {
        return columns.stream().filter(Column::isTransport)
                .filter(c -> cell(level, c).filter(ComparisonTable::isFair).isPresent())
                .min(Comparator.comparingDouble(c -> cell(level, c).orElseThrow().p99Ms()));
    }

    /**
     * "lowest p99: WebSocket (1.1 ms); then HTTP/2 3.2 ms; not compared: HTTP/1.1 (15 errors)",
     * or "no fair winner; not compared: ..." - the reasons always shown, never just a name.
     */
    String verdict(Level level) {
        Optional<Column> winner = lowestP99(level);
        List<LevelResult> others = new ArrayList<>();
        List<String> unfair = new ArrayList<>();
        for (Column c : columns) {
            Optional<LevelResult> r = cell(level, c);
            if (!c.isTransport() || r.isEmpty() || winner.equals(Optional.of(c))) {
                continue;
            }
            if (isFair(r.get())) {
                others.add(r.get());
            } else {
                unfair.add(c.title() + " (" + whyUnfair(r.get()) + ")");
            }
        }
        others.sort(Comparator.comparingDouble(LevelResult::p99Ms));
        StringBuilder text = new StringBuilder(winner
                .map(c -> "lowest p99: " + c.title() + " (" + ms(cell(level, c).orElseThrow().p99Ms()) + " ms)")
                .orElse("no fair winner"));
        if (!others.isEmpty()) {
            text.append("; then ").append(String.join(", ", others.stream()
                    .map(r -> title(r.scenario()) + " " + ms(r.p99Ms()) + " ms").toList()));
        }
        if (!unfair.isEmpty()) {
            text.append("; not compared: ").append(String.join(", ", unfair));
        }
        return text.toString();
    }

    private static String title(String scenario) {
        return TITLES.getOrDefault(scenario, scenario);
    }

    private static String whyUnfair(LevelResult r) {
        List<String> why = new ArrayList<>();
        if (r.generatorSaturated()) {
            why.add("generator saturated");
        }
        if (r.errors() > 0) {
            why.add(r.errors() + " errors");
        }
        return why.isEmpty() ? "nothing measured" : String.join(", ", why);
    }

    // --- cell text ----------------------------------------------------------------------------

    /** "998/s · p50 1.2 · p99 4.5 ms", and the deliveries for a fan-out row. */
    static String summary(LevelResult r) {
        String text = rate(r.achievedPerSecond()) + "/s · p50 " + ms(r.p50Ms()) + " · p99 " + ms(r.p99Ms()) + " ms";
        return Double.isNaN(r.deliveriesPerSecond()) ? text
                : text + " · " + rate(r.deliveriesPerSecond()) + " deliveries/s";
    }

    /** The marks a cell carries; each is explained in {@link #notes()}. */
    static String marks(LevelResult r) {
        return (r.generatorSaturated() ? SATURATED_MARK : "") + (r.errors() > 0 ? ERRORS_MARK : "");
    }

    /** One sentence per marked cell, in table order. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        for (Level level : levels) {
            for (Column c : columns) {
                cell(level, c).ifPresent(r -> {
                    String where = level.label() + ", " + c.title() + ": ";
                    if (r.generatorSaturated()) {
                        notes.add(SATURATED_MARK + " " + where + "the generator saturated (lag p99 "
                                + ms(r.generatorLagP99Ms()) + " ms, CPU " + percent(r.generatorCpuPercent())
                                + "), so these latencies describe the driver, not the server.");
                    }
                    if (r.errors() > 0) {
                        notes.add(ERRORS_MARK + " " + where + r.errors() + " errors ("
                                + ResultsCsv.errorsByKind(r.errorsByKind()).replace(";", ", ")
                                + ") beside " + String.format(Locale.ROOT, "%,d", r.ok()) + " accepted.");
                    }
                });
            }
        }
        return notes;
    }

    /** Milliseconds for a person: 0.35, 4.5, 120.0; a dash when not measured. */
    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, value < 1 ? "%.2f" : "%.1f", value);
    }

    static String rate(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "not measured" : String.format(Locale.ROOT, "%.0f %%", value);
    }
}
