package analytics.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void findsAFieldWhateverTheCaseOfItsName() {
        Headers headers = Headers.of("Content-Type", "application/json");
        assertEquals("application/json", headers.first("content-type"));
        assertEquals("application/json", headers.first("CONTENT-TYPE"));
        assertNull(headers.first("Content-Length"));
    }

    @Test
    void keepsEveryValueOfARepeatedFieldInOrder() {
        Headers headers = Headers.of("Accept", "a", "accept", "b");
        assertEquals(List.of("a", "b"), headers.all("ACCEPT"));
        assertEquals("a", headers.first("Accept"));
        assertEquals(List.of(), headers.all("Missing"));
    }

    @Test
    void copiesATransportsMapAndSkipsItsRequestLineKey() {
        Map<String, List<String>> map = new HashMap<>();
        map.put(null, List.of("GET / HTTP/1.1"));
        map.put("x-probe", List.of("1"));
        map.put("X-Probe", List.of("2"));
        Headers headers = Headers.from(map);
        assertEquals(2, headers.all("X-PROBE").size());
        assertEquals(1, headers.asMap().size());
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginalAlone() {
        Headers original = Headers.of("Allow", "POST");
        Headers more = original.with("Retry-After", "1");
        assertNull(original.first("Retry-After"));
        assertEquals("1", more.first("retry-after"));
        assertEquals(Arrays.asList("POST"), more.all("allow"));
    }
}
