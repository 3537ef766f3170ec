package analytics.system1.ingest;

import analytics.lifecycle.Startup;

/**
 * System 1's HTTP ingest alone, until Ctrl-C:
 * {@code ./build.sh run analytics.system1.ingest.System1IngestMain}, with a Redis at
 * SYSTEM1_REDIS_HOST:SYSTEM1_REDIS_PORT (localhost:6379 by default).
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/10-stateless-http-ingest.md
 */
public final class System1IngestMain {

    private System1IngestMain() {
    }

    public static void main(String[] args) {
        Startup.run("system1-ingest", System1Ingest::start);
    }
}
