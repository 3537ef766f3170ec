package analytics.config;

import java.io.IOException;
import java.net.BindException;

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

    /** Starting a server: binds its port, so it may throw BindException. */
    @FunctionalInterface
    public interface Bind<T> {
        T bind() throws IOException;
    }

    /**
     * The one policy for taken ports: protocol servers throw the JDK's BindException and
     * know nothing of settings; the composition root, which knows which setting the port
     * came from, calls them through this and the user reads "SYSTEM1_HTTP_PORT 4000 is
     * already in use" instead of a stack trace.
     */
    public static <T> T bindOrFail(String variable, int port, Bind<T> bind) throws IOException {
        try {
            return bind.bind();
        } catch (BindException e) {
            throw portInUse(variable, port);
        }
    }
}
