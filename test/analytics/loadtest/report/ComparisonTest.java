package analytics.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison from a run CSV written here as text, not by ResultsCsv, so a change to the
 * writer cannot quietly change what this test expects. Three levels: at 100/s everything is
 * fair; at 1,000/s HTTP/1.1 has errors; at 10,000/s no transport is fair.
 */
class ComparisonTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));

    private static final String RUN = """
            scenario,transport,model,level,connections,seconds,offered_per_s,achieved_per_s,ok,p50_ms,p90_ms,\
            p99_ms,p999_ms,max_ms,errors,errors_by_kind,generator_lag_p99_ms,generator_lag_max_ms,\
            generator_cpu_pct,generator_saturated,server_cpu_us_per_metric,deliveries_per_s
            http1,http/1.1,open,100,64,60.000,100.0,99.0,5940,1.200,2.000,4.500,6.000,9.000,0,,0.100,0.500,12.0,false,40.0,
            http2,h2,open,100,4,60.000,100.0,100.0,6000,1.000,1.800,3.200,5.000,8.000,0,,0.100,0.400,11.0,false,30.0,
            ws,websocket,open,100,50,60.000,100.0,100.0,6000,0.400,0.800,1.100,2.000,3.000,0,,0.100,0.300,9.0,false,20.0,
            fanout-system1,websocket,open,100,50,60.000,100.0,100.0,6000,2.000,3.000,5.000,8.000,12.000,0,,0.100,0.300,15.0,false,,10000.0
            http1,http/1.1,open,1000,64,60.000,1000.0,985.0,59100,1.500,3.000,6.000,20.000,40.000,15,status-503=12;timeout=3,0.200,1.000,35.0,false,35.5,
            http2,h2,open,1000,4,60.000,1000.0,1000.0,60000,1.400,2.500,5.000,9.000,15.000,0,,0.200,0.900,30.0,false,28.0,
            ws,websocket,open,1000,50,60.000,1000.0,1000.0,60000,0.900,3.000,7.000,10.000,14.000,0,,0.200,0.800,25.0,false,18.0,
            http1,http/1.1,open,10000,64,60.000,10000.0,6200.0,372000,80.000,150.000,400.000,900.000,1500.000,0,,250.000,900.000,198.0,true,30.0,
            http2,h2,open,10000,4,60.000,10000.0,9000.0,540000,10.000,30.000,60.000,90.000,200.000,2,connection=2,5.000,20.000,150.0,false,25.0,
            ws,websocket,open,10000,50,60.000,10000.0,7000.0,420000,50.000,100.000,300.000,500.000,800.000,0,,300.000,700.000,199.0,true,15.0,
            """;

    @TempDir
    Path dir;

    private Path runCsv;
    private List<Path> written;

    @BeforeEach
    void compare() throws Exception {
        runCsv = dir.resolve("loadtest-20261130-180000.csv");
        Files.writeString(runCsv, RUN);
        written = Comparison.write(runCsv);
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    @Test
    void writesThreeFilesBesideTheRunNamedAfterIt() {
        assertEquals(List.of(dir.resolve("loadtest-20261130-180000-compare.csv"),
                dir.resolve("loadtest-20261130-180000-compare.md"),
                dir.resolve("loadtest-20261130-180000-compare.html")), written);
        written.forEach(file -> assertTrue(Files.isRegularFile(file), file.toString()));
    }

    @Test
    void sideBySideCsvHasOneRowPerLevelAndTheFiguresOfEveryScenario() throws Exception {
        List<String> lines = read("loadtest-20261130-180000-compare.csv").lines().toList();
        StringBuilder header = new StringBuilder("model,level,offered_per_s");
        for (String scenario : List.of("http1", "http2", "ws", "fanout-system1")) {
            for (String figure : List.of("achieved_per_s", "p50_ms", "p99_ms", "max_ms", "errors",
                    "server_cpu_us_per_metric", "generator_saturated")) {
                header.append(',').append(scenario).append('_').append(figure);
            }
        }
        assertEquals(header.toString(), lines.get(0));
        assertEquals(4, lines.size());
        assertEquals("open,1000,1000.0,985.0,1.500,6.000,40.000,15,35.5,false,"
                + "1000.0,1.400,5.000,15.000,0,28.0,false,"
                + "1000.0,0.900,7.000,14.000,0,18.0,false,"
                + ",,,,,,", lines.get(2));
        assertTrue(lines.get(3).startsWith("open,10000,10000.0,6200.0,80.000,400.000,1500.000,0,30.0,true,"),
                lines.get(3));
        // The fan-out measures no server CPU here: an empty cell, not a zero.
        assertTrue(lines.get(1).endsWith(",100.0,2.000,5.000,12.000,0,,false"), lines.get(1));
    }

    @Test
    void markdownTableHasALevelPerRowAndAScenarioPerColumn() throws Exception {
        String md = read("loadtest-20261130-180000-compare.md");
        assertTrue(md.contains("| level | HTTP/1.1 | HTTP/2 | WebSocket | Fan-out System 1 |\n|---:|---|---|---|---|\n"), md);
        assertTrue(md.contains("| 100/s | 99/s · p50 1.2 · p99 4.5 ms | 100/s · p50 1.0 · p99 3.2 ms | "
                + "100/s · p50 0.40 · p99 1.1 ms | 100/s · p50 2.0 · p99 5.0 ms · 10,000 deliveries/s |"), md);
        assertTrue(md.contains("| 1,000/s | 985/s · p50 1.5 · p99 6.0 ms‡ |"), md);
        assertTrue(md.contains("| 10,000/s | 6,200/s · p50 80.0 · p99 400.0 ms† |"), md);
    }

    @Test
    void markdownNamesTheFairWinnerOfEachLevelOrSaysThereIsNone() throws Exception {
        String md = read("loadtest-20261130-180000-compare.md");
        assertTrue(md.contains("- 100/s: lowest p99: WebSocket (1.1 ms); then HTTP/2 3.2 ms, HTTP/1.1 4.5 ms\n"), md);
        assertTrue(md.contains("- 1,000/s: lowest p99: HTTP/2 (5.0 ms); then WebSocket 7.0 ms; "
                + "not compared: HTTP/1.1 (15 errors)\n"), md);
        assertTrue(md.contains("- 10,000/s: no fair winner; not compared: HTTP/1.1 (generator saturated), "
                + "HTTP/2 (2 errors), WebSocket (generator saturated)\n"), md);
    }

    @Test
    void markdownFootnotesExplainEverySaturatedGeneratorAndEveryError() throws Exception {
        String md = read("loadtest-20261130-180000-compare.md");
        assertTrue(md.contains("- † 10,000/s, HTTP/1.1: the generator saturated (lag p99 250.0 ms, CPU 198 %), "
                + "so these latencies describe the driver, not the server.\n"), md);
        assertTrue(md.contains("- ‡ 1,000/s, HTTP/1.1: 15 errors (status-503=12, timeout=3) beside 59,100 accepted.\n"),
                md);
        assertEquals(4, md.lines().filter(line -> line.startsWith("- †") || line.startsWith("- ‡")).count());
    }

    @Test
    void htmlEmbedsTheDataAndLoadsChartJsFromTheDashboardsPath() throws Exception {
        String html = read("loadtest-20261130-180000-compare.html");
        assertTrue(html.contains("<script src=\"/vendor/chart.umd.js\" defer></script>"), html);
        assertTrue(html.contains("<script src=\"/compare.js\" defer></script>"), html);
        assertTrue(Files.isRegularFile(ROOT.resolve("dashboard/compare.js")), "the page's script is a dashboard file");
        String open = "<script type=\"application/json\" id=\"comparison-data\">";
        int start = html.indexOf(open) + open.length();
        JsonObject data = Json.parse(html.substring(start, html.indexOf("</script>", start))).asObject();
        assertEquals(Json.parse("[\"100/s\",\"1,000/s\",\"10,000/s\"]"), data.get("levels"));
        assertEquals(Json.parse("[100,1000,10000]"), data.get("offeredPerSecond"));
        JsonObject ws = data.get("scenarios").asArray().get(2).asObject();
        assertEquals("WebSocket", ws.getString("title", ""));
        assertEquals(Json.parse("[1.1,7,300]"), ws.get("p99Ms"));
        assertEquals(Json.parse("[false,false,true]"), ws.get("generatorSaturated"));
        JsonObject fanout = data.get("scenarios").asArray().get(3).asObject();
        assertEquals(Json.parse("[null,null,null]"), fanout.get("serverCpuMicrosPerMetric"));
        assertEquals(Json.parse("[5,null,null]"), fanout.get("p99Ms"));
    }

    @Test
    void htmlCarriesTheSameTableAndVerdictsForReadersWithoutJavaScript() throws Exception {
        String html = read("loadtest-20261130-180000-compare.html");
        assertTrue(html.contains("<td class=\"flagged\">985/s · p50 1.5 · p99 6.0 ms‡</td>"), html);
        assertTrue(html.contains("<li>1,000/s: lowest p99: HTTP/2 (5.0 ms); then WebSocket 7.0 ms; "
                + "not compared: HTTP/1.1 (15 errors)</li>"), html);
        assertFalse(html.contains("{{"), "a placeholder was left unfilled");
    }

    @Test
    void theDataBlockCannotCloseItsScriptElement() {
        String block = ComparisonPage.dataBlock(new JsonObject().add("run", "</script><!--"));
        assertFalse(block.contains("<"), block);
        assertEquals("</script><!--", Json.parse(block).asObject().getString("run", ""));
    }

    @Test
    void refusesARunWithoutRows() throws Exception {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, ResultsCsv.HEADER + "\n");
        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> Comparison.write(empty));
        assertEquals(empty + ": no rows to compare: no level finished", e.getMessage());
    }
}
