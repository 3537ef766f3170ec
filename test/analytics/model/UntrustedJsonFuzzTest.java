package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.MetricValidator.Invalid;
import analytics.model.MetricValidator.Valid;
import analytics.model.MetricValidator.ValidBatch;
import analytics.testing.Fuzzer;
import com.eclipsesource.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged metrics against the two gates of lesson 03: UntrustedJson parses or
 * refuses with BadJsonException (never a StackOverflowError or a parser's own exception),
 * and MetricValidator answers Valid or Invalid for whatever parsed, never throws; a Valid
 * metric written back as JSON validates to the same metric.
 */
class UntrustedJsonFuzzTest {

    private static final long NOW = 1_764_180_000_000L;
    /** System 2's validator: a metric in its envelope. */
    private static final MetricValidator VALIDATOR =
            new MetricValidator(Set.of("type", "id"), () -> NOW);
    /** The ingest's limit on a body; inputs stay far below it, so syntax and depth are reached. */
    private static final int MAX_CHARS = 256 * 1024;

    private static final List<String> SEEDS = List.of(
            """
            {"serverId":"server-1","timestamp":1764180000000,
             "metrics":{"cpu":42.5,"memory":61.2,"disk":70.1,"network":{"in":320,"out":210}}}""",
            """
            {"serverId":"s","timestamp":1,"metrics":{"cpu":0,"memory":100,"disk":50}}""",
            """
            {"type":"metric","id":"7","serverId":"web-\\u00e9","timestamp":1.5e12,
             "metrics":{"cpu":1e1,"memory":0.5,"disk":-0,"gpu":3,"temp":-12.25}}""",
            """
            [{"serverId":"a","timestamp":0,"metrics":{"cpu":1,"memory":2,"disk":3}},
             {"serverId":"b","timestamp":2,
              "metrics":{"cpu":4,"memory":5,"disk":6,"network":{"in":0,"out":1}}}]""",
            """
            {"type":"metrics","items":[
              {"serverId":"a","timestamp":0,"metrics":{"cpu":1,"memory":2,"disk":3}}]}""");

    /**
     * Values on a rule's edge (mostly swapped for a whole number by Mutation.REPLACE_RUN) and
     * a few structural pieces; byte edits supply the broken syntax.
     */
    private static final List<String> TOKENS = List.of(
            "1e999", "-1e999", "1e-999", "-0", "-1", "100.0000001", "0.0000001", "NaN",
            "9223372036854775807", "18446744073709551616", "1764180300001", "null", "true",
            "\"42\"", "[]", "{}", "\"\\u0000\"", "\"\\ud800\"", ",\"cpu\":1",
            "[".repeat(40), "[".repeat(1000), "{\"a\":".repeat(40));

    @Test
    void parsesOrRefusesEveryInputAndValidatesWhateverParsed() throws Exception {
        List<byte[]> seeds = SEEDS.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        List<byte[]> tokens = TOKENS.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        int[] valid = new int[1];
        Fuzzer.Outcome outcome = Fuzzer.named("metric JSON").seeds(seeds).tokens(tokens)
                .rejectsWith(UntrustedJson.BadJsonException.class)
                // The parser's objects and the validator's errors, in proportion to the text.
                .allocationAtMost(input -> 64 * 1024 + 512L * input.length)
                .run(Fuzzer.iterations(10_000), input -> valid[0] += parseAndValidate(input));
        assertTrue(outcome.accepted() >= seeds.size(), "every seed parses: " + outcome);
        assertTrue(outcome.rejected() > 0, "some inputs are refused: " + outcome);
        assertTrue(valid[0] >= 4, "the seeds' metrics are valid: " + valid[0]);
    }

    /** The number of valid metrics the input held; a refusal is thrown by UntrustedJson. */
    private static int parseAndValidate(byte[] input) throws Exception {
        // Lenient UTF-8 (bad bytes become U+FFFD): the ingest refuses bad UTF-8 before JSON
        // is parsed, so strings are all UntrustedJson ever sees; these are strings too.
        JsonValue json = UntrustedJson.parse(new String(input, StandardCharsets.UTF_8), MAX_CHARS);
        if (json.isArray()) {
            return switch (VALIDATOR.validateBatch(json.asArray())) {
                case ValidBatch batch -> batch.metrics().stream()
                        .mapToInt(UntrustedJsonFuzzTest::roundTrips).sum();
                case Invalid invalid -> noneValid(invalid);
            };
        }
        if (!json.isObject()) {
            assertFalse(UntrustedJson.kindOf(json).isEmpty());
            return 0;
        }
        JsonValue items = json.asObject().get("items");
        if (items != null && items.isArray()) {
            VALIDATOR.validateBatch(items.asArray()); // System 2's batch message
        }
        return switch (VALIDATOR.validate(json.asObject())) {
            case Valid ok -> roundTrips(ok.metric());
            case Invalid invalid -> noneValid(invalid);
        };
    }

    private static int roundTrips(Metric metric) {
        Valid again = assertInstanceOf(Valid.class, VALIDATOR.validate(metric.toJson()));
        assertEquals(metric, again.metric(), "a valid metric written as JSON validates to itself");
        return 1;
    }

    private static int noneValid(Invalid invalid) {
        assertFalse(invalid.errors().isEmpty(), "an Invalid names at least one field");
        invalid.errors().forEach(error -> assertTrue(error.field().length() <= 200,
                "a field path quoted back is cut short: " + error.field().length()));
        return 0;
    }
}
