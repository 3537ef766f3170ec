package analytics.testing;

import analytics.log.Log;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What Log writes during one test, read back as JSON objects; the sink and the threshold
 * are restored afterwards. A test holds one as a field marked {@code @AutoClose}.
 *
 * Pattern: assert on the log as on any other output - it is the operator's interface.
 * Lesson:  lessons/01-build-and-test.md
 * Not here: filtering by logger; Log's sink is global, so tests that capture must not
 *           run in parallel with tests that log (JUnit runs them one at a time here).
 * Threads: any thread may log; lines() and close() on the test's.
 */
public final class CapturedLog implements AutoCloseable {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream previousSink;
    private final Log.Level previousThreshold;

    private CapturedLog(Log.Level threshold) {
        previousSink = Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        previousThreshold = Log.threshold();
        Log.setThreshold(threshold);
    }

    /** Starts capturing every line at {@code threshold} or above. */
    public static CapturedLog at(Log.Level threshold) {
        return new CapturedLog(threshold);
    }

    /** The lines so far, each parsed: a line that is not one JSON object fails the test. */
    public List<JsonObject> lines() {
        return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> !line.isEmpty())
                .map(line -> Json.parse(line).asObject())
                .toList();
    }

    /** The captured lines of one logger with one message, in order. */
    public List<JsonObject> lines(String logger, String message) {
        return lines().stream()
                .filter(line -> line.getString("logger", "").equals(logger))
                .filter(line -> line.getString("message", "").equals(message))
                .toList();
    }

    @Override
    public void close() {
        Log.redirect(previousSink);
        Log.setThreshold(previousThreshold);
    }
}
