package analytics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvFileTest {

    @Test
    void readsCommentsQuotesAndExport() {
        Map<String, String> values = DotEnvFile.parse(".env", List.of(
                "# a comment",
                "",
                "PLAIN=4100",
                "export EXPORTED=yes",
                "DOUBLE=\"with # hash\"",
                "SINGLE='single'",
                "TRAILING=value # comment",
                "EMPTY="));
        assertEquals(Map.of("PLAIN", "4100", "EXPORTED", "yes", "DOUBLE", "with # hash",
                "SINGLE", "single", "TRAILING", "value", "EMPTY", ""), values);
    }

    @Test
    void aLineWithoutEqualsNamesTheFileAndLine() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> DotEnvFile.parse(".env", List.of("OK=1", "NOT A SETTING")));
        assertEquals(".env line 2: expected NAME=value", error.getMessage());
    }

    @Test
    void anUnclosedQuoteIsRefused() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> DotEnvFile.parse(".env", List.of("A=\"open")));
        assertEquals(".env line 1: the value's closing \" is missing", error.getMessage());
    }

    @Test
    void aBadNameIsRefused() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> DotEnvFile.parse(".env", List.of("1ABC=2")));
        assertEquals(".env line 1: '1ABC' is not a variable name", error.getMessage());
    }
}
