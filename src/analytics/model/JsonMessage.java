package analytics.model;

import com.eclipsesource.json.JsonObject;

/**
 * A text message of the contract, parsed once: a JSON object and its {@code type}, or the
 * reason it is not one. Both WebSocket applications start their onText here and then
 * switch on the type, each with its own table.
 *
 * Pattern: parse at the edge into a sealed result (like Handshake's Accept | Reject); the
 *          caller's switch must handle both cases.
 * Lesson:  lessons/09-system2-fan-out.md
 * Not here: what a type means or which fields it needs (each handler's own table).
 * Threads: stateless.
 */
public sealed interface JsonMessage {

    /** A JSON object; {@code type} is its "type" member, or "" when absent or not a string. */
    record Typed(String type, JsonObject body) implements JsonMessage {
    }

    /** Not a JSON object within UntrustedJson's limits; {@code reason} says why in one line. */
    record Malformed(String reason) implements JsonMessage {
    }

    static JsonMessage parse(String text, int maxChars) {
        try {
            JsonObject body = UntrustedJson.parseObject(text, maxChars);
            String type = UntrustedJson.stringOrNull(body, "type");
            return new Typed(type == null ? "" : type, body);
        } catch (UntrustedJson.BadJsonException e) {
            return new Malformed(e.getMessage());
        }
    }
}
