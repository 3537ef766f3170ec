package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.UntrustedJson.BadJsonException;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UntrustedJsonTest {

    private static final int LIMIT = 1 << 20;

    private static String reason(String text, int limit) {
        return assertThrows(BadJsonException.class, () -> UntrustedJson.parseObject(text, limit)).getMessage();
    }

    @Test
    void parsesAnObject() throws BadJsonException {
        JsonObject object = UntrustedJson.parseObject("{\"a\":{\"b\":[1,2]}}", LIMIT);
        assertEquals(2, object.get("a").asObject().get("b").asArray().size());
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertEquals("nested deeper than 32 levels", reason(deep, LIMIT));
        assertEquals("nested deeper than 32 levels", reason("{\"a\":" + deep + "}", LIMIT));
    }

    /** Objects nested {@code levels} deep: {"a":{"a":...{}}}. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    @Test
    void nestingUpToTheLimitIsParsedWholeAndOneLevelMoreIsRefused() throws BadJsonException {
        JsonObject outer = UntrustedJson.parseObject(nested(UntrustedJson.MAX_DEPTH), LIMIT);
        int depth = 1;
        for (JsonValue inner = outer.get("a"); inner != null; inner = inner.asObject().get("a")) {
            depth++;
        }
        assertEquals(UntrustedJson.MAX_DEPTH, depth);
        assertEquals("nested deeper than 32 levels", reason(nested(UntrustedJson.MAX_DEPTH + 1), LIMIT));
    }

    @Test
    void bracketsInsideStringsDoNotCount() throws BadJsonException {
        String text = "{\"s\":\"" + "[{".repeat(1000) + "\\\"[\"}";
        assertEquals("[{".repeat(1000) + "\"[", UntrustedJson.parseObject(text, LIMIT).get("s").asString());
    }

    @Test
    void aTenMegabyteStringIsRefusedBeforeParsing() {
        String huge = "{\"serverId\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        assertEquals("input of " + huge.length() + " characters is over the limit of " + LIMIT,
                reason(huge, LIMIT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{"cpu":NaN}`                  | Expected value at 1:8
            `{"cpu":Infinity}`             | Expected value at 1:8
            `{"a":1,}`                     | Expected name at 1:8
            `{"a":1`                       | Unexpected end of input at 1:7
            `[1,2]`                        | expected a JSON object, got an array
            `null`                         | expected a JSON object, got null
            `42`                           | expected a JSON object, got a number
            `"text"`                       | expected a JSON object, got a string
            `{"a":1,"a":2}`                | duplicate key "a"
            `{"m":{"cpu":1,"cpu":2}}`      | duplicate key "m.cpu"
            `{"l":[{"x":1},{"x":1,"x":2}]}` | duplicate key "l[1].x"
            """)
    void refusesWithTheReason(String text, String expected) {
        assertEquals(expected, reason(text, LIMIT));
    }

    @Test
    void anEmptyBodyIsBadJson() {
        assertTrue(reason("", LIMIT).startsWith("Unexpected end of input"));
    }
}
