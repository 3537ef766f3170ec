package analytics.dashboard;

import analytics.lifecycle.Startup;

/**
 * {@code make dashboard}: the dashboard page on DASHBOARD_PORT until Ctrl-C.
 *
 * Pattern: a three-line entry point; Startup does the rest.
 * Lesson:  lessons/15-the-dashboard-page.md
 * Threads: main waits in Startup; its shutdown hook closes the server.
 */
public final class DashboardMain {

    private DashboardMain() {
    }

    public static void main(String[] args) {
        Startup.run("dashboard", Dashboard::start);
    }
}
