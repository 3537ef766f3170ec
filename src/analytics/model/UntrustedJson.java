package analytics.model;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses JSON that came from a stranger into an object, or says in one line why not.
 * Cheap checks run before the parser: size, then nesting depth.
 *
 * Pattern: defend the parser - a recursive-descent parser meets "[[[[..." 100,000 deep
 *          with a StackOverflowError, so depth is counted first by a flat scan.
 * Lesson:  lessons/03-validating-untrusted-input.md   Spec: RFC 8259 §4 (unique names), §9
 * Not here: what the fields mean (MetricValidator).
 * Threads: stateless.
 */
public final class UntrustedJson {

    /** Deeper than any message of the contract (which needs 3) by a wide margin. */
    public static final int MAX_DEPTH = 32;
    private static final int SMALL_OBJECT = 16;

    private UntrustedJson() {
    }

    /** Thrown with the reason a client sees, e.g. "Unexpected character at 1:12". */
    public static final class BadJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        BadJsonException(String reason) {
            super(reason);
        }
    }

    /** The text as a JSON object; anything else (array, number, null) is rejected. */
    public static JsonObject parseObject(String text, int maxChars) throws BadJsonException {
        JsonValue value = parse(text, maxChars);
        if (!value.isObject()) {
            throw new BadJsonException("expected a JSON object, got " + kindOf(value));
        }
        return value.asObject();
    }

    /** Any JSON value, after the size, depth and duplicate-name checks. */
    public static JsonValue parse(String text, int maxChars) throws BadJsonException {
        if (text.length() > maxChars) {
            throw new BadJsonException("input of " + text.length()
                    + " characters is over the limit of " + maxChars);
        }
        requireDepthAtMost(text, MAX_DEPTH);
        JsonValue value;
        try {
            value = Json.parse(text);
        } catch (ParseException e) {
            throw new BadJsonException(e.getMessage());
        }
        requireUniqueNames(value, "");
        return value;
    }

    /**
     * Counts brackets outside strings. O(n), no recursion, so it is safe on any input;
     * the real parser then never recurses deeper than {@code max}.
     */
    static void requireDepthAtMost(String text, int max) throws BadJsonException {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++; // skip the escaped character, which may be a quote
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    throw new BadJsonException("nested deeper than " + max + " levels");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }

    /**
     * RFC 8259 leaves duplicate names' meaning open (parsers keep the first, the last,
     * or both); we refuse them rather than guess which "cpu" the sender meant.
     * Recursion is bounded by MAX_DEPTH, checked above.
     */
    private static void requireUniqueNames(JsonValue value, String path) throws BadJsonException {
        if (value.isObject()) {
            List<String> names = value.asObject().names();
            // Small objects (every message of the contract) compare pairwise: no HashSet.
            Set<String> seen = names.size() > SMALL_OBJECT ? new HashSet<>() : null;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                boolean duplicate = seen != null ? !seen.add(name) : names.subList(0, i).contains(name);
                if (duplicate) {
                    throw new BadJsonException("duplicate key \"" + shorten(join(path, name)) + "\"");
                }
                JsonValue child = value.asObject().get(name);
                if (child.isObject() || child.isArray()) { // leaves need no path: skip the string
                    requireUniqueNames(child, join(path, name));
                }
            }
        } else if (value.isArray()) {
            int index = 0;
            for (JsonValue item : value.asArray()) {
                if (item.isObject() || item.isArray()) {
                    requireUniqueNames(item, path + "[" + index + "]");
                }
                index++;
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A name quoted back to the client is cut short: the client sent it, it has it. */
    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** The named member if it is a JSON string, else null: "type":42 is no type at all. */
    public static String stringOrNull(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value != null && value.isString() ? value.asString() : null;
    }

    /** "an array", "a number", "null"...: for messages such as "expected an object, got an array". */
    public static String kindOf(JsonValue value) {
        if (value.isArray()) {
            return "an array";
        } else if (value.isString()) {
            return "a string";
        } else if (value.isNumber()) {
            return "a number";
        } else if (value.isBoolean()) {
            return "a boolean";
        } else if (value.isNull()) {
            return "null";
        }
        return "an object";
    }
}
