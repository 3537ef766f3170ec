package analytics.stats;

import com.eclipsesource.json.JsonObject;

/**
 * A system's figures at one instant, rendered two ways from the same values: JSON for
 * GET /stats (people, the dashboard) and Prometheus text for GET /metrics/prometheus
 * (a scraper). Each system has one record implementing it, so the two views cannot drift.
 *
 * Pattern: one immutable snapshot, several renderings (read once, format twice).
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: an immutable value; build it on any thread.
 */
public interface StatsSnapshot {

    JsonObject toJson();

    /** Every figure, with HELP and TYPE lines, under the system's metric-name prefix. */
    String toPrometheus();
}
