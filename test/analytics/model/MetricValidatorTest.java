package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.MetricValidator.Invalid;
import analytics.model.MetricValidator.Valid;
import com.eclipsesource.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricValidatorTest {

    private static final long NOW = 1_764_180_000_000L;
    private static final MetricValidator HTTP = new MetricValidator(Set.of(), () -> NOW);
    /** A caller whose messages wrap the metric in an envelope, as System 2's do. */
    private static final MetricValidator ENVELOPED =
            new MetricValidator(Set.of("type", "id"), () -> NOW);

    private static final String GOOD = """
            {"serverId":"server-1","timestamp":1764180000000,
             "metrics":{"cpu":42.5,"memory":61.2,"disk":70.1,"network":{"in":320,"out":210}}}""";

    private static MetricValidator.Result validate(MetricValidator validator, String json) {
        return validator.validate(Json.parse(json).asObject());
    }

    private static List<FieldError> errors(MetricValidator validator, String json) {
        return assertInstanceOf(Invalid.class, validate(validator, json)).errors();
    }

    @Test
    void acceptsTheContractsExample() {
        Metric metric = assertInstanceOf(Valid.class, validate(HTTP, GOOD)).metric();
        assertEquals(new Metric("server-1", 1_764_180_000_000L, 42.5, 61.2, 70.1,
                new Metric.Network(320, 210), Map.of()), metric);
    }

    @Test
    void jsonRoundTripGivesTheSameMetric() {
        Metric metric = assertInstanceOf(Valid.class, validate(HTTP, GOOD)).metric();
        Metric again = assertInstanceOf(Valid.class, HTTP.validate(metric.toJson())).metric();
        assertEquals(metric, again);
    }

    @Test
    void aMissingNetworkCountsAsZero() {
        Metric metric = assertInstanceOf(Valid.class, validate(HTTP, """
                {"serverId":"s","timestamp":1,"metrics":{"cpu":0,"memory":100,"disk":50}}""")).metric();
        assertNull(metric.network());
        assertEquals(0, metric.networkIn());
        assertEquals(0, metric.networkOut());
        assertTrue(!metric.toJson().get("metrics").asObject().names().contains("network"));
    }

    @Test
    void keepsExtraNumericMetricsInOrder() {
        Metric metric = assertInstanceOf(Valid.class, validate(HTTP, """
                {"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":2,"disk":3,"load1":0.7,"gpu":12}}""")).metric();
        assertEquals(List.of("load1", "gpu"), List.copyOf(metric.extras().keySet()));
        assertEquals(List.of("cpu", "memory", "disk", "load1", "gpu"), metric.metricsJson().names());
    }

    @Test
    void acceptsOnlyTheExtraFieldsItsCallerAllows() {
        String message = """
                {"type":"metric","id":7,"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":2,"disk":3}}""";
        assertInstanceOf(Valid.class, validate(ENVELOPED, message));
        assertEquals(List.of(new FieldError("type", "is not allowed"), new FieldError("id", "is not allowed")),
                errors(HTTP, message));
    }

    @Test
    void reportsEveryWrongFieldAtOnce() {
        assertEquals(List.of(
                        new FieldError("serverId", "is required"),
                        new FieldError("timestamp", "is required"),
                        new FieldError("metrics", "is required")),
                errors(HTTP, "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `"serverId":"","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1}`     | serverId | must be a non-empty string
            `"serverId":7,"timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1}`      | serverId | must be a non-empty string
            `"serverId":"s","timestamp":"1","metrics":{"cpu":1,"memory":1,"disk":1}`  | timestamp | must be a number of milliseconds since the epoch
            `"serverId":"s","timestamp":-1,"metrics":{"cpu":1,"memory":1,"disk":1}`   | timestamp | must be a number of milliseconds since the epoch
            `"serverId":"s","timestamp":1,"metrics":[1,2,3]`                          | metrics | must be an object
            `"serverId":"s","timestamp":1,"metrics":{"memory":1,"disk":1}`            | metrics.cpu | is required
            `"serverId":"s","timestamp":1,"metrics":{"cpu":"42","memory":1,"disk":1}` | metrics.cpu | must be a number from 0 to 100
            `"serverId":"s","timestamp":1,"metrics":{"cpu":100.01,"memory":1,"disk":1}` | metrics.cpu | must be a number from 0 to 100
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":-0.5,"disk":1}` | metrics.memory | must be a number from 0 to 100
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1e999}` | metrics.disk | must be a number from 0 to 100
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1,"network":5}` | metrics.network | must be an object with numbers in and out
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1,"network":{"in":-1,"out":0}}` | metrics.network.in | must be a number of at least 0
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1,"network":{"in":1}}` | metrics.network.out | is required
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1,"network":{"in":1,"out":1,"x":1}}` | metrics.network.x | is not allowed
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1,"label":"web"}` | metrics.label | must be a number
            `"serverId":"s","timestamp":1,"metrics":{"cpu":1,"memory":1,"disk":1},"extra":true` | extra | is not allowed
            """)
    void namesTheFieldAndWhatIsWrong(String body, String field, String message) {
        assertEquals(List.of(new FieldError(field, message)), errors(HTTP, "{" + body + "}"));
    }

    @Test
    void aTenThousandCharacterServerIdIsRefusedWithoutEchoingIt() {
        String body = "{\"serverId\":\"" + "s".repeat(10_000)
                + "\",\"timestamp\":1,\"metrics\":{\"cpu\":1,\"memory\":1,\"disk\":1}}";
        assertEquals(List.of(new FieldError("serverId", "must be at most 128 characters, got 10000")),
                errors(HTTP, body));
    }

    @Test
    void aServerIdOf128CharactersIsAccepted() {
        String body = "{\"serverId\":\"" + "s".repeat(128)
                + "\",\"timestamp\":1,\"metrics\":{\"cpu\":1,\"memory\":1,\"disk\":1}}";
        assertInstanceOf(Valid.class, validate(HTTP, body));
    }

    @Test
    void clockSkewOfMoreThanFiveMinutesIsRefused() {
        String template = "{\"serverId\":\"s\",\"timestamp\":%d,\"metrics\":{\"cpu\":1,\"memory\":1,\"disk\":1}}";
        assertInstanceOf(Valid.class, validate(HTTP, template.formatted(NOW + 300_000)));
        assertEquals(List.of(new FieldError("timestamp", "is more than 5 minutes in the future")),
                errors(HTTP, template.formatted(NOW + 300_001)));
        assertInstanceOf(Valid.class, validate(HTTP, template.formatted(NOW - 86_400_000L * 365)));
    }

    @Test
    void aBatchIsValidOnlyWhenEveryItemIs() {
        String item = "{\"serverId\":\"s\",\"timestamp\":1,\"metrics\":{\"cpu\":1,\"memory\":2,\"disk\":3}}";
        MetricValidator.ValidBatch batch = assertInstanceOf(MetricValidator.ValidBatch.class,
                HTTP.validateBatch(Json.parse("[" + item + "," + item + "]").asArray()));
        assertEquals(2, batch.metrics().size());

        MetricValidator.Invalid invalid = assertInstanceOf(MetricValidator.Invalid.class,
                HTTP.validateBatch(Json.parse("[" + item + ",7," + item.replace("\"cpu\":1", "\"cpu\":-1") + "]")
                        .asArray()));
        assertEquals(List.of(new FieldError("items[1]", "must be an object"),
                new FieldError("items[2].metrics.cpu", "must be a number from 0 to 100")), invalid.errors());
    }

    @Test
    void fieldErrorsSerializeAsTheContractsDetails() {
        assertEquals("[{\"field\":\"metrics.cpu\",\"message\":\"must be a number from 0 to 100\"}]",
                FieldError.toJson(List.of(new FieldError("metrics.cpu", "must be a number from 0 to 100"))).toString());
    }
}
