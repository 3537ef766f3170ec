package analytics.config;

/**
 * A configuration value the program cannot start with; its message is the one line
 * the user sees, and it names the variable.
 *
 * Pattern: fail fast at start-up with an error a person can act on.
 * Lesson:  lessons/02-configuration-and-logging.md
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** A server could not bind: "SYSTEM2_WS_PORT 4100 is already in use". */
    public static ConfigException portInUse(String variable, int port) {
        return new ConfigException(variable + " " + port + " is already in use");
    }
}
