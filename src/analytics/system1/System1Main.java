package analytics.system1;

import analytics.lifecycle.Startup;

/**
 * {@code make run-system1}: ingest, workers and broadcaster in one JVM, until Ctrl-C,
 * against the Redis at SYSTEM1_REDIS_HOST:SYSTEM1_REDIS_PORT.
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md
 */
public final class System1Main {

    private System1Main() {
    }

    public static void main(String[] args) {
        Startup.run("system1", System1::start);
    }
}
