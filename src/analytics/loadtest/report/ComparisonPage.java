package analytics.loadtest.report;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.List;
import java.util.function.Function;

/**
 * The comparison as a page a person would rather look at than read: three Chart.js charts
 * (p99 by level on a log axis, achieved against offered rate, server CPU per metric) and the
 * same table as the Markdown, in HTML, so the figures read without JavaScript. The run's
 * figures are embedded as JSON; the page's script and styles are the dashboard's own files.
 *
 * Pattern: data island - JSON in a non-executable script element, read by a static script.
 * Lesson:  lessons/19-load-testing-done-right.md   Spec: HTML §4.12.1.3 (data blocks)
 * Not here: the chart code (dashboard/compare.js); serving the page (analytics.dashboard).
 * Threads: stateless.
 */
final class ComparisonPage {

    /**
     * Where the dashboard server serves the pinned Chart.js (DashboardHandler.CHART_JS_PATH);
     * absolute, so the page works at /results/ and under any later path.
     */
    static final String CHART_JS_PATH = "/vendor/chart.umd.js";
    /** The chart code, a file of dashboard/ served beside the page's own app.js. */
    static final String SCRIPT_PATH = "/compare.js";
    static final String DATA_ELEMENT_ID = "comparison-data";

    // Why no inline script: the dashboard sends every page with a Content-Security-Policy of
    // script-src 'self', which blocks inline code. A data block is not executed, so the
    // policy lets it through, and the code that draws the charts stays a file of its own.
    private static final String TEMPLATE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{title}}</title>
              <link rel="stylesheet" href="/style.css">
              <script src="{{chartJs}}" defer></script>
              <script src="{{script}}" defer></script>
            </head>
            <body>
              <header>
                <h1>{{title}}</h1>
                <small>from {{run}}.csv · <a href="{{run}}-compare.md">Markdown</a> ·
                  <a href="{{run}}-compare.csv">side-by-side CSV</a> · <a href="{{run}}.csv">run CSV</a> ·
                  <a href="./">all runs</a></small>
              </header>
              <p id="charts-missing" hidden>The charts need the dashboard server (<code>make dashboard</code>,
                then open this page under /results/); the table below has every figure.</p>
              <section class="charts" aria-label="Charts">
                <figure><figcaption>p99 latency by level (ms, log scale)</figcaption>
                  <div class="chart-box"><canvas id="chart-p99" role="img"
                    aria-label="p99 latency per scenario at each level"></canvas></div></figure>
                <figure><figcaption>Achieved vs offered rate (metrics/s, log scale)</figcaption>
                  <div class="chart-box"><canvas id="chart-rate" role="img"
                    aria-label="achieved rate per scenario against the offered rate"></canvas></div></figure>
                <figure><figcaption>Server CPU per metric (µs)</figcaption>
                  <div class="chart-box"><canvas id="chart-cpu" role="img"
                    aria-label="server CPU time per metric per scenario"></canvas></div></figure>
              </section>
              <h2>Side by side</h2>
              <p>Each cell: achieved rate · p50 · p99 latency (fan-out: from the metric's timestamp
                to the dashboards). {{saturatedMark}} the generator saturated, {{errorsMark}} errors occurred.</p>
            {{table}}
              <h2>Lowest p99 per level</h2>
              <p>Among the transports without errors and whose generator kept up.</p>
              <ul>
            {{verdicts}}
              </ul>
              <h2>Notes</h2>
              <ul>
            {{notes}}
              </ul>
              <script type="application/json" id="{{dataId}}">{{data}}</script>
            </body>
            </html>
            """;

    private ComparisonPage() {
    }

    static String render(ComparisonTable table, String run) {
        String title = "Load test comparison: " + run;
        List<String> notes = table.notes();
        return TEMPLATE
                .replace("{{title}}", escape(title))
                .replace("{{run}}", escape(run))
                .replace("{{chartJs}}", CHART_JS_PATH)
                .replace("{{script}}", SCRIPT_PATH)
                .replace("{{saturatedMark}}", ComparisonTable.SATURATED_MARK)
                .replace("{{errorsMark}}", ComparisonTable.ERRORS_MARK)
                .replace("{{table}}", table(table))
                .replace("{{verdicts}}", items(table.levels().stream()
                        .map(l -> l.label() + ": " + table.verdict(l)).toList()))
                .replace("{{notes}}", items(notes.isEmpty() ? List.of("No errors, no saturated generator.") : notes))
                .replace("{{dataId}}", DATA_ELEMENT_ID)
                .replace("{{data}}", dataBlock(data(table, run)));
    }

    private static String table(ComparisonTable table) {
        StringBuilder html = new StringBuilder("  <table class=\"comparison\">\n    <thead><tr><th scope=\"col\">level</th>");
        table.columns().forEach(c -> html.append("<th scope=\"col\">").append(escape(c.title())).append("</th>"));
        html.append("</tr></thead>\n    <tbody>\n");
        for (ComparisonTable.Level level : table.levels()) {
            html.append("      <tr><th scope=\"row\">").append(escape(level.label())).append("</th>");
            for (ComparisonTable.Column c : table.columns()) {
                html.append(table.cell(level, c).map(r -> {
                    String marks = ComparisonTable.marks(r);
                    return (marks.isEmpty() ? "<td>" : "<td class=\"flagged\">")
                            + escape(ComparisonTable.summary(r) + marks) + "</td>";
                }).orElse("<td>–</td>"));
            }
            html.append("</tr>\n");
        }
        return html.append("    </tbody>\n  </table>").toString();
    }

    private static String items(List<String> lines) {
        StringBuilder html = new StringBuilder();
        lines.forEach(line -> html.append(html.isEmpty() ? "" : "\n").append("    <li>").append(escape(line)).append("</li>"));
        return html.toString();
    }

    /**
     * Column-wise arrays, one per figure, as Chart.js takes its datasets; null where a
     * scenario did not run at a level or a figure was not measured.
     */
    static JsonObject data(ComparisonTable table, String run) {
        JsonArray levels = new JsonArray();
        JsonArray offered = new JsonArray();
        for (ComparisonTable.Level level : table.levels()) {
            levels.add(level.label());
            offered.add(number(table.offeredPerSecond(level)));
        }
        JsonArray scenarios = new JsonArray();
        for (ComparisonTable.Column c : table.columns()) {
            scenarios.add(new JsonObject()
                    .add("id", c.scenario())
                    .add("title", c.title())
                    .add("achievedPerSecond", series(table, c, LevelResult::achievedPerSecond))
                    .add("p50Ms", series(table, c, LevelResult::p50Ms))
                    .add("p99Ms", series(table, c, LevelResult::p99Ms))
                    .add("maxMs", series(table, c, LevelResult::maxMs))
                    .add("errors", series(table, c, r -> (double) r.errors()))
                    .add("serverCpuMicrosPerMetric", series(table, c, LevelResult::serverCpuMicrosPerMetric))
                    .add("generatorSaturated", saturated(table, c)));
        }
        return new JsonObject().add("run", run).add("levels", levels).add("offeredPerSecond", offered)
                .add("scenarios", scenarios);
    }

    private static JsonArray series(ComparisonTable table, ComparisonTable.Column column,
                                    Function<LevelResult, Double> figure) {
        JsonArray values = new JsonArray();
        for (ComparisonTable.Level level : table.levels()) {
            values.add(table.cell(level, column).map(figure).map(ComparisonPage::number).orElse(Json.NULL));
        }
        return values;
    }

    private static JsonArray saturated(ComparisonTable table, ComparisonTable.Column column) {
        JsonArray values = new JsonArray();
        for (ComparisonTable.Level level : table.levels()) {
            values.add(table.cell(level, column).map(r -> Json.value(r.generatorSaturated())).orElse(Json.NULL));
        }
        return values;
    }

    /** JSON has no NaN: "not measured" is null. */
    private static JsonValue number(double value) {
        return Double.isNaN(value) ? Json.NULL : Json.value(value);
    }

    /**
     * JSON inside a script element ends at the first "</script"; writing every "<" as
     * its JSON escape means no text from the data can close the element or open a comment.
     */
    static String dataBlock(JsonObject data) {
        return data.toString().replace("<", "\\u003c");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
