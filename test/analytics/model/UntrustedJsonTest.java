package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.UntrustedJson.BadJsonException;
import com.eclipsesource.json.JsonObject;
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

    @Test
    void nestingUpToTheLimitIsFine() throws BadJsonException {
        String nested = "{\"a\":".repeat(UntrustedJson.MAX_DEPTH - 1) + "{}" + "}".repeat(UntrustedJson.MAX_DEPTH - 1);
        UntrustedJson.parseObject(nested, LIMIT);
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
