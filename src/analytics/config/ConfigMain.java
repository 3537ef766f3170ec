package analytics.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code make config}: prints every setting with the value in effect, or the one line
 * that says which variable is wrong.
 *
 * Pattern: an entry point that turns a user error into an exit code and one line.
 * Lesson:  lessons/02-configuration-and-logging.md
 */
public final class ConfigMain {

    /** Exit status for a configuration the program refuses (sysexits.h: EX_CONFIG). */
    public static final int EXIT_BAD_CONFIG = 78;

    private ConfigMain() {
    }

    public static void main(String[] args) {
        Map<String, String> shown;
        try {
            shown = Config.describe(Config.variables(System.getenv(), Path.of(".env")));
        } catch (ConfigException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        int width = shown.keySet().stream().mapToInt(String::length).max().orElse(0);
        shown.forEach((name, value) -> System.out.printf("%-" + width + "s = %s%n", name, value));
    }
}
