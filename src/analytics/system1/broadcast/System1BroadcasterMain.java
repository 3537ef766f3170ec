package analytics.system1.broadcast;

import analytics.lifecycle.Startup;

/**
 * System 1's broadcaster alone, until Ctrl-C:
 * {@code ./build.sh run analytics.system1.broadcast.System1BroadcasterMain}, with a Redis at
 * SYSTEM1_REDIS_HOST:SYSTEM1_REDIS_PORT (localhost:6379 by default); dashboards connect
 * to ws://localhost:SYSTEM1_WS_PORT (4002).
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 */
public final class System1BroadcasterMain {

    private System1BroadcasterMain() {
    }

    public static void main(String[] args) {
        Startup.run("system1-broadcaster", System1Broadcaster::start);
    }
}
