package analytics.system2;

import analytics.lifecycle.Startup;

/**
 * {@code make run-system2}: System 2 on SYSTEM2_WS_PORT until Ctrl-C.
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/09-system2-fan-out.md
 */
public final class System2Main {

    private System2Main() {
    }

    public static void main(String[] args) {
        Startup.run("system2", System2::start);
    }
}
