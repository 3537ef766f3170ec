package analytics.demo;

/**
 * Why the demo cannot start or had to stop, in one line a user can act on ("system2
 * exited with status 78: SYSTEM2_WS_PORT 4100 is already in use").
 *
 * Pattern: an error that is a message for the user, not a stack trace.
 * Lesson:  lessons/16-one-command-demo.md
 */
public final class DemoException extends Exception {

    private static final long serialVersionUID = 1L;

    public DemoException(String message) {
        super(message);
    }
}
