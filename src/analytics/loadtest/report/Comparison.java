package analytics.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The driver's {@code compare} command: from one run CSV, three files beside it - a
 * side-by-side CSV for a spreadsheet, a Markdown table for a person or a pull request, and
 * an HTML page with charts for the dashboard server's /results/. For
 * {@code results/loadtest-20261130-180000.csv} they are {@code loadtest-20261130-180000-compare.csv},
 * {@code -compare.md} and {@code -compare.html}.
 *
 * Pattern: one model (ComparisonTable), several renderings; files named after their source.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: reading the run CSV (ResultsCsv); the HTML (ComparisonPage); serving it
 *           (analytics.dashboard).
 * Threads: stateless.
 */
public final class Comparison {

    static final String SUFFIX = "-compare";

    /** The per-scenario columns of the side-by-side CSV, after "<scenario>_". */
    static final List<String> SIDE_BY_SIDE_FIGURES = List.of("achieved_per_s", "p50_ms", "p99_ms", "max_ms",
            "errors", "server_cpu_us_per_metric", "generator_saturated");

    private Comparison() {
    }

    /**
     * Writes the three comparison files beside {@code runCsv}, replacing older ones.
     *
     * @return the files written: CSV, Markdown, HTML
     * @throws ResultsFormatException when the run CSV is malformed or holds no rows
     */
    public static List<Path> write(Path runCsv) throws IOException {
        List<LevelResult> rows = ResultsCsv.read(runCsv);
        if (rows.isEmpty()) {
            throw ResultsFormatException.of(runCsv, "no rows to compare: no level finished");
        }
        ComparisonTable table = ComparisonTable.of(rows);
        String run = baseName(runCsv);
        Path folder = runCsv.toAbsolutePath().getParent();
        Path csv = runCsv.resolveSibling(run + SUFFIX + ".csv");
        Path md = runCsv.resolveSibling(run + SUFFIX + ".md");
        Path html = runCsv.resolveSibling(run + SUFFIX + ".html");
        Files.createDirectories(folder);
        Files.writeString(csv, sideBySideCsv(table), StandardCharsets.UTF_8);
        Files.writeString(md, markdown(table, run), StandardCharsets.UTF_8);
        Files.writeString(html, ComparisonPage.render(table, run), StandardCharsets.UTF_8);
        return List.of(csv, md, html);
    }

    /** "loadtest-20261130-180000" for ".../loadtest-20261130-180000.csv". */
    static String baseName(Path runCsv) {
        String name = runCsv.getFileName().toString();
        return name.endsWith(".csv") ? name.substring(0, name.length() - ".csv".length()) : name;
    }

    // --- side-by-side CSV ---------------------------------------------------------------------

    /** model, level, offered_per_s, then the same figures for every scenario present. */
    static String sideBySideCsv(ComparisonTable table) {
        List<String> header = new ArrayList<>(List.of("model", "level", "offered_per_s"));
        for (ComparisonTable.Column c : table.columns()) {
            SIDE_BY_SIDE_FIGURES.forEach(figure -> header.add(c.scenario() + "_" + figure));
        }
        StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
        for (ComparisonTable.Level level : table.levels()) {
            List<String> cells = new ArrayList<>(List.of(level.model(), Integer.toString(level.level()),
                    ResultsCsv.decimal(table.offeredPerSecond(level), ResultsCsv.RATE_PLACES)));
            for (ComparisonTable.Column c : table.columns()) {
                cells.addAll(figures(table.cell(level, c)));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    /** The cells of one scenario at one level, in SIDE_BY_SIDE_FIGURES order; empty when absent. */
    private static List<String> figures(Optional<LevelResult> cell) {
        if (cell.isEmpty()) {
            return SIDE_BY_SIDE_FIGURES.stream().map(figure -> "").toList();
        }
        LevelResult r = cell.get();
        return List.of(ResultsCsv.decimal(r.achievedPerSecond(), ResultsCsv.RATE_PLACES),
                ResultsCsv.decimal(r.p50Ms(), ResultsCsv.MS_PLACES),
                ResultsCsv.decimal(r.p99Ms(), ResultsCsv.MS_PLACES),
                ResultsCsv.decimal(r.maxMs(), ResultsCsv.MS_PLACES),
                Long.toString(r.errors()),
                ResultsCsv.decimal(r.serverCpuMicrosPerMetric(), ResultsCsv.CPU_PLACES),
                Boolean.toString(r.generatorSaturated()));
    }

    // --- Markdown -----------------------------------------------------------------------------

    static String markdown(ComparisonTable table, String run) {
        StringBuilder md = new StringBuilder();
        md.append("# Load test comparison: ").append(run).append("\n\n");
        md.append("From `").append(run).append(".csv`. Each cell: achieved rate · p50 · p99 latency")
                .append(" (fan-out: from the metric's timestamp to the dashboards). ")
                .append(ComparisonTable.SATURATED_MARK).append(" the generator saturated, ")
                .append(ComparisonTable.ERRORS_MARK).append(" errors occurred: see the notes.\n\n");
        md.append("| level |");
        table.columns().forEach(c -> md.append(' ').append(c.title()).append(" |"));
        md.append("\n|---:|");
        table.columns().forEach(c -> md.append("---|"));
        md.append('\n');
        for (ComparisonTable.Level level : table.levels()) {
            md.append("| ").append(level.label()).append(" |");
            for (ComparisonTable.Column c : table.columns()) {
                md.append(' ').append(table.cell(level, c)
                        .map(r -> ComparisonTable.summary(r) + ComparisonTable.marks(r)).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Lowest p99 per level\n\n")
                .append("Among the transports without errors and whose generator kept up.\n\n");
        for (ComparisonTable.Level level : table.levels()) {
            md.append("- ").append(level.label()).append(": ").append(table.verdict(level)).append('\n');
        }
        List<String> notes = table.notes();
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }
}
