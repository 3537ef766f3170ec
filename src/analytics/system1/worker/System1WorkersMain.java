package analytics.system1.worker;

import analytics.lifecycle.Startup;

/**
 * System 1's workers alone, until Ctrl-C:
 * {@code ./build.sh run analytics.system1.worker.System1WorkersMain}. Start it in three terminals
 * and watch the group share the stream: {@code redis-cli XINFO CONSUMERS metrics:stream
 * metrics-workers}.
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/12-consumer-groups-and-at-least-once.md
 */
public final class System1WorkersMain {

    private System1WorkersMain() {
    }

    public static void main(String[] args) {
        Startup.run("system1-worker", System1Workers::start);
    }
}
