package analytics.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run CSV on real files: the exact format, the round trip, and what the reader refuses. */
class ResultsCsvTest {

    @TempDir
    Path dir;

    /** Values that the fixed decimals hold exactly, so a round trip can compare with equals. */
    static LevelResult row(String scenario, int level, Map<String, Long> errors, boolean saturated) {
        return new LevelResult(scenario, "http/1.1", "open", level, 64, 60.0, level, level - 1.5,
                (long) (level - 1.5) * 60, 1.25, 2.5, 4.75, 9.125, 12.5, new TreeMap<>(errors),
                0.25, 3.0, 87.5, saturated, 42.5, Double.NaN);
    }

    private Path csv() {
        return dir.resolve("results/run.csv");
    }

    private String messageOfReading(String text) throws Exception {
        Files.createDirectories(csv().getParent());
        Files.writeString(csv(), text);
        return assertThrows(ResultsFormatException.class, () -> ResultsCsv.read(csv())).getMessage();
    }

    private static String line(String... changes) {
        // A valid row; each change is "index=text", replacing that cell (0-based).
        String[] cells = ResultsCsv.line(row("http1", 1000, Map.of(), false)).split(",", -1);
        for (String change : changes) {
            int eq = change.indexOf('=');
            cells[Integer.parseInt(change.substring(0, eq))] = change.substring(eq + 1);
        }
        return String.join(",", cells);
    }

    @Test
    void headerIsExactlyTheAgreedColumns() {
        assertEquals("scenario,transport,model,level,connections,seconds,offered_per_s,achieved_per_s,ok,"
                + "p50_ms,p90_ms,p99_ms,p999_ms,max_ms,errors,errors_by_kind,generator_lag_p99_ms,"
                + "generator_lag_max_ms,generator_cpu_pct,generator_saturated,server_cpu_us_per_metric,"
                + "deliveries_per_s", ResultsCsv.HEADER);
    }

    @Test
    void writesFixedDecimalsSortedErrorKindsAndEmptyCellsForNaN() throws Exception {
        ResultsCsv.append(csv(), row("http1", 1000,
                Map.of("timeout", 3L, "status-503", 12L, "close-1011", 1L), true));
        assertEquals(List.of(ResultsCsv.HEADER,
                        "http1,http/1.1,open,1000,64,60.000,1000.0,998.5,59880,1.250,2.500,4.750,9.125,12.500,"
                                + "16,close-1011=1;status-503=12;timeout=3,0.250,3.000,87.5,true,42.5,"),
                Files.readAllLines(csv()));
    }

    @Test
    void roundTripsRowsWithNaNAndSeveralErrorKinds() throws Exception {
        LevelResult closed = new LevelResult("fanout-system2", "websocket", "closed", 50, 50, 2.5,
                Double.NaN, 31000.5, 77501, 0.125, 0.5, 1.0, 2.0, 30.0,
                new TreeMap<>(Map.of("close-1008", 2L, "unanswered", 7L)),
                Double.NaN, Double.NaN, 150.0, false, Double.NaN, 3100050.0);
        List<LevelResult> rows = List.of(row("http1", 100, Map.of(), false),
                row("http2", 5000, Map.of("status-503", 12L, "timeout", 3L, "connection", 1L), true),
                closed);
        for (LevelResult row : rows) {
            ResultsCsv.append(csv(), row);
        }
        assertEquals(rows, ResultsCsv.read(csv()));
        assertEquals(16, ResultsCsv.read(csv()).get(1).errors());
    }

    @Test
    void writesTheHeaderOnceAlsoIntoAnExistingEmptyFile() throws Exception {
        Files.createDirectories(csv().getParent());
        Files.writeString(csv(), "");
        ResultsCsv.append(csv(), row("http1", 100, Map.of(), false));
        ResultsCsv.append(csv(), row("http1", 1000, Map.of(), false));
        List<String> lines = Files.readAllLines(csv());
        assertEquals(3, lines.size());
        assertEquals(1, lines.stream().filter(ResultsCsv.HEADER::equals).count());
        assertEquals(ResultsCsv.HEADER, lines.get(0));
    }

    @Test
    void appendLeavesEveryEarlierByteIntact() throws Exception {
        ResultsCsv.append(csv(), row("http1", 100, Map.of("timeout", 1L), false));
        byte[] before = Files.readAllBytes(csv());
        ResultsCsv.append(csv(), row("ws", 100, Map.of(), false));
        byte[] after = Files.readAllBytes(csv());
        byte[] prefix = new byte[before.length];
        System.arraycopy(after, 0, prefix, 0, before.length);
        assertArrayEquals(before, prefix);
        assertTrue(new String(after, StandardCharsets.UTF_8).endsWith("\n"));
        assertEquals(2, ResultsCsv.read(csv()).size());
    }

    @Test
    void appendRefusesAFileWithAnotherHeaderAndWritesNothing() throws Exception {
        Files.createDirectories(csv().getParent());
        Files.writeString(csv(), "level,p99\n100,4.5\n");
        ResultsFormatException e = assertThrows(ResultsFormatException.class,
                () -> ResultsCsv.append(csv(), row("http1", 100, Map.of(), false)));
        assertEquals(csv() + ":1: not a results header, not appending: \"level,p99\"", e.getMessage());
        assertEquals("level,p99\n100,4.5\n", Files.readString(csv()));
    }

    @Test
    void theWriterRefusesANameThatWouldNeedQuoting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsCsv.append(csv(), row("http1,evil", 100, Map.of(), false)));
        assertEquals("scenario is not a plain name (letters, digits, _./+-): \"http1,evil\"", e.getMessage());
        assertFalse(Files.exists(csv()));
    }

    @Test
    void rejectsAWrongHeaderNamingTheFirstDifferentColumn() throws Exception {
        String header = ResultsCsv.HEADER.replace(",level,", ",lvl,");
        assertEquals(csv() + ":1: header column 4 is \"lvl\", expected \"level\"",
                messageOfReading(header + "\n" + line() + "\n"));
        assertEquals(csv() + ":1: header has 23 columns, expected 22",
                messageOfReading(ResultsCsv.HEADER + ",extra\n"));
        assertEquals(csv() + ":1: empty file, expected the header", messageOfReading(""));
    }

    @Test
    void rejectsAMalformedLineNamingFileLineAndColumn() throws Exception {
        String text = ResultsCsv.HEADER + "\n" + line() + "\n" + line("7=abc") + "\n";
        assertEquals(csv() + ":3: achieved_per_s is not a number: \"abc\"", messageOfReading(text));
    }

    /** Double.parseDouble would take all of these; the format takes none. */
    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "1e3", "0x1p3", "4.5d", "4,5", " 4.5", "4."})
    void rejectsNumbersTheWriterNeverWrites(String p99) throws Exception {
        String message = messageOfReading(ResultsCsv.HEADER + "\n" + line("11=" + p99) + "\n");
        assertTrue(message.startsWith(csv() + ":2: "), message);
    }

    @Test
    void rejectsRowsWhoseShapeOrTotalsAreWrong() throws Exception {
        assertEquals(csv() + ":2: 3 cells, expected 22", messageOfReading(ResultsCsv.HEADER + "\nhttp1,h2,open\n"));
        assertEquals(csv() + ":2: errors is 5 but errors_by_kind adds up to 4",
                messageOfReading(ResultsCsv.HEADER + "\n" + line("14=5", "15=timeout=4") + "\n"));
        assertEquals(csv() + ":2: errors_by_kind entry is not kind=count: \"timeout\"",
                messageOfReading(ResultsCsv.HEADER + "\n" + line("14=4", "15=timeout") + "\n"));
        assertEquals(csv() + ":2: generator_saturated is not true or false: \"yes\"",
                messageOfReading(ResultsCsv.HEADER + "\n" + line("19=yes") + "\n"));
        assertEquals(csv() + ":2: level is not a whole number: \"1000.0\"",
                messageOfReading(ResultsCsv.HEADER + "\n" + line("3=1000.0") + "\n"));
    }
}
