package analytics.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .env} file: {@code NAME=value} lines, {@code #} comments, optional
 * {@code export } prefix, optional single or double quotes around the value.
 *
 * Pattern: layered configuration - file defaults under real environment variables.
 * Lesson:  lessons/02-configuration-and-logging.md
 * Not here: variable expansion ({@code ${OTHER}}) and multi-line values; dotenv
 *           libraries have them, our settings never need them.
 */
final class DotEnvFile {

    private DotEnvFile() {
    }

    /** The file's variables in file order; an empty map when the file does not exist. */
    static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    static Map<String, String> parse(String fileName, List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            String where = fileName + " line " + (i + 1);
            if (equals <= 0) {
                throw new ConfigException(where + ": expected NAME=value");
            }
            String name = line.substring(0, equals).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException(where + ": '" + name + "' is not a variable name");
            }
            values.put(name, unquote(line.substring(equals + 1).strip(), where));
        }
        return values;
    }

    private static String unquote(String value, String where) {
        if (value.startsWith("\"") || value.startsWith("'")) {
            char quote = value.charAt(0);
            int end = value.indexOf(quote, 1);
            if (end < 0) {
                throw new ConfigException(where + ": the value's closing " + quote + " is missing");
            }
            return value.substring(1, end);
        }
        // An unquoted value ends at a " #" comment, as in most dotenv dialects.
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }
}
