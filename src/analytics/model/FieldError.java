package analytics.model;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.util.List;

/**
 * One thing wrong with an input, named by its path: {@code metrics.cpu} / "must be a
 * number from 0 to 100". Both systems send lists of these as the {@code details} array.
 *
 * Pattern: errors as data - collected, not thrown, so a client learns every mistake at once.
 * Lesson:  lessons/03-validating-untrusted-input.md
 */
public record FieldError(String field, String message) {

    public JsonObject toJson() {
        return new JsonObject().add("field", field).add("message", message);
    }

    public static JsonArray toJson(List<FieldError> errors) {
        JsonArray array = new JsonArray();
        errors.forEach(error -> array.add(error.toJson()));
        return array;
    }
}
