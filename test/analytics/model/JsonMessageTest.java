package analytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonMessageTest {

    @Test
    void readsTheTypeAndKeepsTheWholeObject() {
        JsonMessage.Typed message = assertInstanceOf(JsonMessage.Typed.class,
                JsonMessage.parse("{\"type\":\"subscribe\",\"serverId\":\"s-1\"}", 1000));
        assertEquals("subscribe", message.type());
        assertEquals("s-1", message.body().getString("serverId", ""));
    }

    /** "type":42 is no type at all: the handler answers "Unknown message type", not "malformed". */
    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":42}", "{\"type\":null}", "{\"type\":[\"metric\"]}"})
    void aMissingOrNonStringTypeIsTheEmptyType(String text) {
        JsonMessage.Typed message = assertInstanceOf(JsonMessage.Typed.class, JsonMessage.parse(text, 1000));
        assertEquals("", message.type());
    }

    @Test
    void anythingButAJsonObjectIsMalformedWithAReason() {
        assertEquals(new JsonMessage.Malformed("expected a JSON object, got an array"),
                JsonMessage.parse("[1,2]", 1000));
        assertInstanceOf(JsonMessage.Malformed.class, JsonMessage.parse("{\"type\":", 1000));
        assertEquals(new JsonMessage.Malformed("input of 11 characters is over the limit of 10"),
                JsonMessage.parse("{\"a\":12345}", 10));
    }
}
