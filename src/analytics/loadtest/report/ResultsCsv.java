package analytics.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The run CSV: a header row, then one LevelResult per line, appended as each level ends so
 * a run stopped with Ctrl-C keeps the levels it finished. Numbers are written in
 * Locale.ROOT with fixed decimals (a spreadsheet in a comma-decimal locale still reads
 * them), NaN as an empty cell. The same column names drive the writer and the reader, so
 * the two cannot drift apart.
 *
 * Pattern: one codec both ways; strict reader that names file, line and column.
 * Lesson:  lessons/19-load-testing-done-right.md   Spec: RFC 4180 (a subset: no quoting)
 * Not here: quoting - every cell is a number or a plain name, and the writer refuses
 *           anything else rather than escape it; the comparison (Comparison).
 * Threads: stateless; appends to one file must come from one thread at a time.
 */
public final class ResultsCsv {

    public static final String HEADER = "scenario,transport,model,level,connections,seconds,"
            + "offered_per_s,achieved_per_s,ok,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,errors,"
            + "errors_by_kind,generator_lag_p99_ms,generator_lag_max_ms,generator_cpu_pct,"
            + "generator_saturated,server_cpu_us_per_metric,deliveries_per_s";

    private static final List<String> COLUMNS = List.of(HEADER.split(","));

    // Decimal places: a microsecond is the finest latency the driver resolves; a tenth of a
    // metric per second or of a CPU percent is already below the run-to-run spread.
    static final int MS_PLACES = 3;
    static final int RATE_PLACES = 1;
    static final int CPU_PLACES = 1;
    static final int SECONDS_PLACES = 3;

    /** Names, transports, models and error kinds: nothing a CSV would have to quote. */
    static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./+-]*");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,18}");
    private static final String KIND_SEPARATOR = ";";

    private ResultsCsv() {
    }

    /**
     * Appends one row, writing the header first when the file is new or empty.
     *
     * @throws ResultsFormatException when the file exists with another header: appending
     *         there would mix two formats in one file, so nothing is written
     */
    public static void append(Path file, LevelResult row) throws IOException {
        String line = line(row) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.exists(file) || Files.size(file) == 0) {
            line = HEADER + "\n" + line;
        } else {
            String first = firstLine(file);
            if (!first.equals(HEADER)) {
                throw ResultsFormatException.at(file, 1, "not a results header, not appending: \""
                        + first + "\"");
            }
        }
        // One write per row: a crash leaves whole rows behind, not half of one.
        Files.writeString(file, line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every row of the file, in file order; blank lines are skipped. */
    public static List<LevelResult> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw ResultsFormatException.at(file, 1, "empty file, expected the header");
        }
        String headerProblem = headerProblem(lines.get(0));
        if (headerProblem != null) {
            throw ResultsFormatException.at(file, 1, headerProblem);
        }
        List<LevelResult> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                rows.add(parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw ResultsFormatException.at(file, i + 1, e.getMessage());
            }
        }
        return rows;
    }

    // --- writing ------------------------------------------------------------------------------

    static String line(LevelResult r) {
        RowWriter w = new RowWriter();
        w.name("scenario", r.scenario());
        w.name("transport", r.transport());
        w.name("model", r.model());
        w.cell("level", Integer.toString(r.level()));
        w.cell("connections", Integer.toString(r.connections()));
        w.decimal("seconds", r.seconds(), SECONDS_PLACES);
        w.decimal("offered_per_s", r.offeredPerSecond(), RATE_PLACES);
        w.decimal("achieved_per_s", r.achievedPerSecond(), RATE_PLACES);
        w.cell("ok", Long.toString(r.ok()));
        w.decimal("p50_ms", r.p50Ms(), MS_PLACES);
        w.decimal("p90_ms", r.p90Ms(), MS_PLACES);
        w.decimal("p99_ms", r.p99Ms(), MS_PLACES);
        w.decimal("p999_ms", r.p999Ms(), MS_PLACES);
        w.decimal("max_ms", r.maxMs(), MS_PLACES);
        w.cell("errors", Long.toString(r.errors()));
        w.cell("errors_by_kind", errorsByKind(r.errorsByKind()));
        w.decimal("generator_lag_p99_ms", r.generatorLagP99Ms(), MS_PLACES);
        w.decimal("generator_lag_max_ms", r.generatorLagMaxMs(), MS_PLACES);
        w.decimal("generator_cpu_pct", r.generatorCpuPercent(), CPU_PLACES);
        w.cell("generator_saturated", Boolean.toString(r.generatorSaturated()));
        w.decimal("server_cpu_us_per_metric", r.serverCpuMicrosPerMetric(), CPU_PLACES);
        w.decimal("deliveries_per_s", r.deliveriesPerSecond(), RATE_PLACES);
        return w.done();
    }

    /** A fixed-decimal number in Locale.ROOT; NaN (not measured) is the empty string. */
    static String decimal(double value, int places) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("an infinite value is not a measurement");
        }
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    /** {@code status-503=12;timeout=3}, sorted by kind; empty when there were none. */
    static String errorsByKind(SortedMap<String, Long> errors) {
        StringBuilder cell = new StringBuilder();
        for (var e : errors.entrySet()) {
            requirePlain("error kind", e.getKey());
            cell.append(cell.isEmpty() ? "" : KIND_SEPARATOR).append(e.getKey()).append('=').append(e.getValue());
        }
        return cell.toString();
    }

    private static void requirePlain(String what, String value) {
        if (!PLAIN_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not a plain name (letters, digits, _./+-): \""
                    + value + "\"");
        }
    }

    /** Cells in header order; each names its column, so a slip in the order fails at once. */
    private static final class RowWriter {
        private final List<String> cells = new ArrayList<>();

        void cell(String column, String text) {
            String expected = COLUMNS.get(cells.size());
            if (!expected.equals(column)) {
                throw new IllegalStateException("wrote " + column + " where the header has " + expected);
            }
            cells.add(text);
        }

        void name(String column, String value) {
            requirePlain(column, value);
            cell(column, value);
        }

        void decimal(String column, double value, int places) {
            try {
                cell(column, ResultsCsv.decimal(value, places));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(column + ": " + e.getMessage(), e);
            }
        }

        String done() {
            return String.join(",", cells);
        }
    }

    // --- reading ------------------------------------------------------------------------------

    private static String firstLine(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("");
        }
    }

    /** Null when the line is the header; otherwise the first difference, in words. */
    private static String headerProblem(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < Math.min(cells.length, COLUMNS.size()); i++) {
            if (!cells[i].equals(COLUMNS.get(i))) {
                return "header column " + (i + 1) + " is \"" + cells[i] + "\", expected \""
                        + COLUMNS.get(i) + "\"";
            }
        }
        return cells.length == COLUMNS.size() ? null
                : "header has " + cells.length + " columns, expected " + COLUMNS.size();
    }

    private static LevelResult parse(String line) {
        RowReader r = new RowReader(line);
        return new LevelResult(
                r.name("scenario"), r.name("transport"), r.name("model"),
                r.whole("level"), r.whole("connections"), r.decimal("seconds"),
                r.decimal("offered_per_s"), r.decimal("achieved_per_s"), r.count("ok"),
                r.decimal("p50_ms"), r.decimal("p90_ms"), r.decimal("p99_ms"), r.decimal("p999_ms"),
                r.decimal("max_ms"), r.errorsByKind("errors", "errors_by_kind"),
                r.decimal("generator_lag_p99_ms"), r.decimal("generator_lag_max_ms"),
                r.decimal("generator_cpu_pct"), r.bool("generator_saturated"),
                r.decimal("server_cpu_us_per_metric"), r.decimal("deliveries_per_s"));
    }

    /** Cells in header order, each checked as it is taken; problems are IllegalArgumentException. */
    private static final class RowReader {
        private final String[] cells;
        private int next;

        RowReader(String line) {
            cells = line.split(",", -1);
            if (cells.length != COLUMNS.size()) {
                throw new IllegalArgumentException(cells.length + " cells, expected " + COLUMNS.size());
            }
        }

        private String take(String column) {
            String expected = COLUMNS.get(next);
            if (!expected.equals(column)) {
                throw new IllegalStateException("read " + column + " where the header has " + expected);
            }
            return cells[next++];
        }

        String name(String column) {
            String text = take(column);
            if (!PLAIN_NAME.matcher(text).matches()) {
                throw new IllegalArgumentException(column + " is not a plain name: \"" + text + "\"");
            }
            return text;
        }

        double decimal(String column) {
            String text = take(column);
            if (text.isEmpty()) {
                return Double.NaN;
            }
            if (!DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException(column + " is not a number: \"" + text + "\"");
            }
            return Double.parseDouble(text);
        }

        long count(String column) {
            return wholeNumber(column, take(column));
        }

        int whole(String column) {
            long value = count(column);
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(column + " is too large: " + value);
            }
            return (int) value;
        }

        boolean bool(String column) {
            String text = take(column);
            return switch (text) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(column + " is not true or false: \""
                        + text + "\"");
            };
        }

        /** The total and its breakdown, which must agree. */
        SortedMap<String, Long> errorsByKind(String totalColumn, String column) {
            long total = count(totalColumn);
            String text = take(column);
            SortedMap<String, Long> kinds = new TreeMap<>();
            for (String entry : text.isEmpty() ? new String[0] : text.split(KIND_SEPARATOR, -1)) {
                int eq = entry.indexOf('=');
                String kind = eq < 0 ? entry : entry.substring(0, eq);
                if (eq < 0 || !PLAIN_NAME.matcher(kind).matches()) {
                    throw new IllegalArgumentException(column + " entry is not kind=count: \"" + entry + "\"");
                }
                if (kinds.put(kind, wholeNumber(column, entry.substring(eq + 1))) != null) {
                    throw new IllegalArgumentException(column + " names " + kind + " twice");
                }
            }
            long sum = kinds.values().stream().mapToLong(Long::longValue).sum();
            if (sum != total) {
                throw new IllegalArgumentException(totalColumn + " is " + total + " but " + column
                        + " adds up to " + sum);
            }
            return kinds;
        }

        private static long wholeNumber(String column, String text) {
            if (!WHOLE.matcher(text).matches()) {
                throw new IllegalArgumentException(column + " is not a whole number: \"" + text + "\"");
            }
            return Long.parseLong(text);
        }
    }
}
